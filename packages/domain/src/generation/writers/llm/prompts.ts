import { describeLanguage } from "@scriptorium/contract";
import type { BeatSheet, Cast, Character, HighConcept, World } from "../../outputs";
import type { RevisionStageKey } from "../../stages";
import type { ProjectBrief, SceneInput, SceneRewrite, StoryPlan } from "../writer";

/** One model request: standing instructions and the task at hand. */
export interface Prompt {
  system: string;
  prompt: string;
}

/*
 * Size limits keep every prompt bounded however large the plan grows: each
 * section of carried-forward material is clipped, and scene prompts carry
 * only the parts of the plan the scene needs. The scene text being revised
 * is never clipped: the answer must contain all of it.
 */
const LIMITS = {
  synopsis: 4_000,
  section: 6_000,
  previousSceneEnding: 1_500,
  nextSceneOpening: 1_500,
  sceneContext: 2_500,
};

// ---------------------------------------------------------------- planning (stages 1–5)

export function highConceptPrompt(brief: ProjectBrief): Prompt {
  return {
    system: plannerSystem(brief),
    prompt: [
      section("The project", describeBrief(brief)),
      [
        "Develop the high concept of this novel:",
        "- logline: the story in one sentence;",
        "- premise: one paragraph on the situation, the protagonist and what is at stake;",
        "- themes: two to four ideas the book explores;",
        "- motifs: three to five recurring concrete images, objects or sounds that carry the themes;",
        "- core_conflict: what stands between the protagonist and their goal;",
        "- narrative_voice: first or third person, past or present tense, and a description of the prose style that fits the tone.",
      ].join("\n"),
    ].join("\n\n"),
  };
}

export function worldBuildingPrompt(brief: ProjectBrief, earlier: Pick<StoryPlan, "highConcept">): Prompt {
  return {
    system: plannerSystem(brief),
    prompt: [
      section("The project", describeBrief(brief)),
      section("High concept", describeHighConcept(earlier.highConcept)),
      [
        "Build the world of this novel:",
        "- setting: its name, the era, and a description of the world the story happens in;",
        "- places: four to eight distinct places where scenes can happen, each with a vivid description;",
        "- rules: what governs this world (physical, social, economic or supernatural, as fits the genre);",
        "- culture: customs, beliefs and tensions people live with.",
        "Everything must serve the premise and the core conflict.",
      ].join("\n"),
    ].join("\n\n"),
  };
}

export function beatSheetPrompt(brief: ProjectBrief, earlier: Pick<StoryPlan, "highConcept" | "world">): Prompt {
  return {
    system: plannerSystem(brief),
    prompt: [
      section("The project", describeBrief(brief)),
      section("High concept", describeHighConcept(earlier.highConcept)),
      section("World", describeWorld(earlier.world)),
      [
        "Write the beat sheet of this novel in three acts:",
        "- beats: eight to fifteen beats in story order (opening image, inciting incident, turning points, midpoint, crisis, climax, resolution), each with its act (1, 2 or 3), a name, what happens, and its position in the book from 0 (first page) to 1 (last page);",
        `- pacing_curve: exactly ${brief.chapters} numbers from 0 to 1, the tension of each chapter in order, rising towards the climax.`,
      ].join("\n"),
    ].join("\n\n"),
  };
}

export function charactersPrompt(brief: ProjectBrief, earlier: Pick<StoryPlan, "highConcept" | "world" | "beats">): Prompt {
  const protagonist = brief.protagonist.trim()
    ? `The protagonist is ${brief.protagonist.trim()}; keep that name.`
    : "Name the protagonist.";
  return {
    system: plannerSystem(brief),
    prompt: [
      section("The project", describeBrief(brief)),
      section("High concept", describeHighConcept(earlier.highConcept)),
      section("World", describeWorld(earlier.world)),
      section("Beat sheet", describeBeats(earlier.beats)),
      [
        "Create the cast of this novel: the protagonist and three to eight other characters who drive the beats.",
        protagonist,
        "For each: name (distinct, fitting the setting), role in the story, goal, arc (how they change), voice (how they speak and think), traits, and relationships with other cast members, by their exact names.",
      ].join("\n"),
    ].join("\n\n"),
  };
}

export function sceneOutlinePrompt(brief: ProjectBrief, earlier: Omit<StoryPlan, "outline">): Prompt {
  const scenes = brief.chapters * brief.scenes_per_chapter;
  const wordsPerScene = Math.round(brief.target_words / scenes);
  return {
    system: plannerSystem(brief),
    prompt: [
      section("The project", describeBrief(brief)),
      section("High concept", describeHighConcept(earlier.highConcept)),
      section("World", describeWorld(earlier.world)),
      section("Beat sheet", describeBeats(earlier.beats)),
      section("Cast", describeCast(earlier.cast)),
      [
        `Outline every scene of the novel: exactly ${brief.chapters} chapters numbered 1 to ${brief.chapters}, each with a title and exactly ${brief.scenes_per_chapter} scenes numbered from 1 within the chapter.`,
        "For each scene:",
        "- pov: the point-of-view character, a cast member's exact name;",
        "- place: where it happens, a place's exact name from the world;",
        "- goal: what the POV character wants in the scene;",
        "- conflict: what opposes it;",
        "- outcome: how the scene ends and what changes;",
        `- target_words: about ${wordsPerScene}, so that all ${scenes} scenes together come to about ${brief.target_words} words.`,
        "Follow the beat sheet and the pacing curve; each outcome leads into the next scene. Keep every field to one or two sentences.",
      ].join("\n"),
    ].join("\n\n"),
  };
}

// ---------------------------------------------------------------- scenes (stages 6–11)

export function draftScenePrompt(input: SceneInput): Prompt {
  return {
    system: novelistSystem(input),
    prompt: [
      sceneContext(input),
      `Write this scene in about ${input.ref.scene.target_words} words, from ${input.ref.scene.pov}'s point of view, in the narrative voice above. Reach the planned outcome. Show through action, dialogue and sensory detail; end on a note that leads on.`,
      "Answer with the scene's text only.",
    ].join("\n\n"),
  };
}

type RevisionStage = Exclude<RevisionStageKey, "continuity_audit">;

/** What each revision stage changes; everything else about the scene stays. */
function revisionTask(stage: RevisionStage, highConcept: HighConcept): string {
  switch (stage) {
    case "self_refine":
      return "Revise this scene for clarity and rhythm: sharpen vague wording into concrete detail, vary sentence length, cut repetition and filler, and make each paragraph move the scene forward.";
    case "dialogue_pass":
      return "Revise the dialogue and the characters' inner life: each speaker sounds like their voice, people talk past and around each other, subtext replaces stated feelings, and every reaction is psychologically plausible for who they are and what just happened.";
    case "voice_pass":
      return `Make the narrative voice consistent: ${describeVoice(highConcept)}. Correct every slip of person or tense, and bring word choice and sentence music in line with that voice.`;
    case "motif_infusion":
      return `Weave the themes (${highConcept.themes.join("; ")}) and the motifs (${highConcept.motifs.join("; ")}) through this scene with a light touch: let motifs appear as concrete images, objects and echoes, and let the themes surface through choices and consequences, never by naming them.`;
  }
}

export function revisionPrompt(stage: RevisionStage, input: SceneInput): Prompt {
  return {
    system: novelistSystem(input),
    prompt: [
      sceneContext(input),
      section("The scene", input.text),
      revisionTask(stage, input.plan.highConcept),
      "Keep the events, the outcome and about the same length. Answer with the whole revised scene only.",
    ].join("\n\n"),
  };
}

export function auditPrompt(input: SceneInput): Prompt {
  const { plan } = input;
  return {
    system: novelistSystem(input),
    prompt: [
      sceneContext(input),
      section("The whole cast", clip(plan.cast.cast.map((member) => `- ${member.name}: ${member.role}`).join("\n"), LIMITS.section)),
      section("Places", clip(plan.world.places.map((place) => `- ${place.name}`).join("\n"), LIMITS.section)),
      section("Rules of the world", clip(bullets(plan.world.rules), LIMITS.section)),
      section("The scene", input.text),
      [
        "Check the scene for continuity against the plan, the cast, the world and the end of the previous scene:",
        "- name: a misspelt, changed or wrong name of a person or place, or a character in the wrong role;",
        "- timeline: events out of order, impossible timing, a time of day or season that contradicts what came before;",
        "- fact: a detail that contradicts the world's rules, the plan or earlier events.",
        "Fix each inconsistency in the text with the smallest change that resolves it, and change nothing else.",
        "Answer with text: the whole scene with every fix applied; and issues: one entry per inconsistency with its kind, a description of what was wrong and the fix you made (an empty list when the scene is consistent).",
      ].join("\n"),
    ].join("\n\n"),
  };
}

/**
 * A rewrite of one scene at the writer's request: the scene's plan, the
 * chapter's outline around it and the neighbouring scenes, the writer's
 * instruction, and for a revision the current text.
 */
export function rewritePrompt(rewrite: SceneRewrite, input: SceneInput): Prompt {
  const task =
    rewrite.from === "revise"
      ? "Revise the scene above following the writer's instruction: change what it asks for, keep everything else, and stay close to the same length. Answer with the whole revised scene only."
      : `Write this scene anew in about ${input.ref.scene.target_words} words, from ${input.ref.scene.pov}'s point of view, in the narrative voice above, following the writer's instruction. Reach the planned outcome unless the instruction changes it, and lead into the next scene. Answer with the scene's text only.`;
  return {
    system: novelistSystem(input),
    prompt: [
      sceneContext(input),
      section("The chapter's outline", clip(describeChapterOutline(input), LIMITS.section)),
      rewrite.nextText ? section("How the next scene begins", startOf(rewrite.nextText, LIMITS.nextSceneOpening)) : "",
      rewrite.from === "revise" ? section("The scene", input.text) : "",
      section("The writer's instruction", rewrite.instruction),
      task,
    ]
      .filter(Boolean)
      .join("\n\n"),
  };
}

function describeChapterOutline(input: SceneInput): string {
  const chapter = input.plan.outline.chapters.find((candidate) => candidate.number === input.ref.chapter);
  const scenes = chapter?.scenes ?? [input.ref.scene];
  return scenes.map((scene) => `- Scene ${scene.number} (${scene.pov}, ${scene.place}): ${scene.goal} ${scene.conflict} ${scene.outcome}`).join("\n");
}

// ---------------------------------------------------------------- shared parts

function plannerSystem(brief: ProjectBrief): string {
  return [
    `You are an experienced novelist and story developer planning a ${brief.genre} novel.`,
    "Be specific and original: concrete names, places and stakes, no clichés and no placeholders.",
    languageInstruction(brief),
  ].join(" ");
}

/** The book's language, asked for in every request: the prose and every text field of the plan. */
function languageInstruction(brief: ProjectBrief): string {
  return `Write in ${describeLanguage(brief.language)}.`;
}

const SCENE_FORMAT =
  "Write plain prose: paragraphs separated by one blank line, dialogue in typographic double quotes (“ ”). No title, heading, chapter or scene number, scene-break marker, markdown or commentary.";

function novelistSystem(input: SceneInput): string {
  const { brief } = input;
  const byline = brief.author.trim() ? ` by ${brief.author.trim()}` : "";
  const tone = brief.tone.trim() ? ` The tone is ${brief.tone.trim()}.` : "";
  return `You are a novelist writing the ${brief.genre} novel “${brief.title}”${byline}.${tone} ${languageInstruction(brief)} ${SCENE_FORMAT}`;
}

/** The parts of the plan a scene needs, and nothing else: the voice, the scene's plan, its POV character, its place and what came just before. */
function sceneContext(input: SceneInput): string {
  const { plan, ref, previousText } = input;
  const { scene } = ref;
  const chapterScenes = plan.outline.chapters.find((chapter) => chapter.number === ref.chapter)?.scenes.length;
  const position = `Chapter ${ref.chapter} “${ref.chapterTitle}”, scene ${scene.number}${chapterScenes ? ` of ${chapterScenes}` : ""}.`;
  const povCharacter = findByName(plan.cast.cast, scene.pov);
  const place = findByName(plan.world.places, scene.place);
  return [
    section("The book", clip(`${plan.highConcept.logline}\nThemes: ${plan.highConcept.themes.join("; ")}.\nMotifs: ${plan.highConcept.motifs.join("; ")}.`, LIMITS.sceneContext)),
    section("Narrative voice", describeVoice(plan.highConcept)),
    section(
      "This scene",
      [position, `Point of view: ${scene.pov}`, `Place: ${scene.place}`, `Goal: ${scene.goal}`, `Conflict: ${scene.conflict}`, `Outcome: ${scene.outcome}`].join("\n"),
    ),
    section(`Point-of-view character`, povCharacter ? clip(describeCharacter(povCharacter), LIMITS.sceneContext) : scene.pov),
    section("The place", clip(place ? `${place.name}: ${place.description}` : `${plan.world.setting.name}: ${plan.world.setting.description}`, LIMITS.sceneContext)),
    previousText
      ? section("How the previous scene ended", endOf(previousText, LIMITS.previousSceneEnding))
      : "This is the first scene of the book.",
  ].join("\n\n");
}

function describeBrief(brief: ProjectBrief): string {
  const scenes = brief.chapters * brief.scenes_per_chapter;
  const lines = [
    `Title: ${brief.title}`,
    brief.author.trim() && `Author: ${brief.author.trim()}`,
    `Genre: ${brief.genre}`,
    `Language: ${describeLanguage(brief.language)}`,
    brief.tone.trim() && `Tone: ${brief.tone.trim()}`,
    brief.protagonist.trim() && `Protagonist: ${brief.protagonist.trim()}`,
    brief.synopsis.trim() && `Synopsis: ${clip(brief.synopsis.trim(), LIMITS.synopsis)}`,
    `Length: about ${brief.target_words} words in ${brief.chapters} chapters of ${brief.scenes_per_chapter} scenes (about ${Math.round(brief.target_words / scenes)} words per scene).`,
  ];
  return lines.filter(Boolean).join("\n");
}

function describeHighConcept(highConcept: HighConcept): string {
  return clip(
    [
      `Logline: ${highConcept.logline}`,
      `Premise: ${highConcept.premise}`,
      `Themes: ${highConcept.themes.join("; ")}`,
      `Motifs: ${highConcept.motifs.join("; ")}`,
      `Core conflict: ${highConcept.core_conflict}`,
      `Narrative voice: ${describeVoice(highConcept)}`,
    ].join("\n"),
    LIMITS.section,
  );
}

function describeVoice(highConcept: HighConcept): string {
  const voice = highConcept.narrative_voice;
  return `${voice.person} person, ${voice.tense} tense; ${voice.description}`;
}

function describeWorld(world: World): string {
  return clip(
    [
      `Setting: ${world.setting.name} (${world.setting.era}): ${world.setting.description}`,
      `Places:\n${world.places.map((place) => `- ${place.name}: ${place.description}`).join("\n")}`,
      `Rules:\n${bullets(world.rules)}`,
      `Culture:\n${bullets(world.culture)}`,
    ].join("\n"),
    LIMITS.section,
  );
}

function describeBeats(beats: BeatSheet): string {
  return clip(
    [
      ...beats.beats.map((beat) => `- Act ${beat.act}, ${beat.name} (at ${Math.round(beat.position * 100)}%): ${beat.description}`),
      `Tension by chapter: ${beats.pacing_curve.map((value) => value.toFixed(2)).join(", ")}`,
    ].join("\n"),
    LIMITS.section,
  );
}

function describeCast(cast: Cast): string {
  return clip(cast.cast.map((member) => `- ${describeCharacter(member)}`).join("\n"), LIMITS.section);
}

function describeCharacter(character: Character): string {
  const relationships = character.relationships.map((relation) => `${relation.with} (${relation.kind})`).join(", ");
  return [
    sentence(`${character.name}, ${character.role}`),
    sentence(`Goal: ${character.goal}`),
    sentence(`Arc: ${character.arc}`),
    sentence(`Voice: ${character.voice}`),
    character.traits.length > 0 && sentence(`Traits: ${character.traits.join(", ")}`),
    relationships && sentence(`Relationships: ${relationships}`),
  ]
    .filter(Boolean)
    .join(" ");
}

function findByName<T extends { name: string }>(items: readonly T[], name: string): T | undefined {
  const wanted = name.trim().toLowerCase();
  return items.find((item) => item.name.trim().toLowerCase() === wanted);
}

function section(title: string, body: string): string {
  return `## ${title}\n${body}`;
}

/** Ends a phrase with a full stop unless it already ends a sentence. */
function sentence(text: string): string {
  const trimmed = text.trim();
  return /[.!?…]$/.test(trimmed) ? trimmed : `${trimmed}.`;
}

function bullets(lines: readonly string[]): string {
  return lines.map((line) => `- ${line}`).join("\n");
}

/** The start of a text, at most `max` characters. */
function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max).trimEnd()}…`;
}

/** The start of a text, at most `max` characters, ending at a sentence when one ends far enough in. */
function startOf(text: string, max: number): string {
  if (text.length <= max) return text;
  const head = text.slice(0, max);
  const end = [...head.matchAll(/[.!?”](?=\s)/g)].at(-1);
  const cut = end && end.index > max / 3 ? end.index + 1 : max;
  return `${head.slice(0, cut).trimEnd()}…`;
}

/** The end of a text, at most `max` characters, starting at a paragraph or sentence when one is near. */
function endOf(text: string, max: number): string {
  if (text.length <= max) return text;
  const tail = text.slice(text.length - max);
  const boundary = tail.search(/(\n\n|[.!?”]\s)/);
  const start = boundary >= 0 && boundary < max / 3 ? boundary + 1 : 0;
  return `…${tail.slice(start).trimStart()}`;
}
