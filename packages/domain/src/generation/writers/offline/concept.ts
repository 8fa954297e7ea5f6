import type { HighConcept } from "../../outputs";
import type { ProjectBrief } from "../writer";
import { inSentence, withArticle } from "./english";
import type { GenreKey } from "./genres";
import { randomFor } from "./random";
import { firstNameOf, storyCore, type StoryCore } from "./story";
import { voiceForTone, voiceProfile, type VoiceProfile } from "./voices";
import { worldPlaces } from "./world";

/** How likely each voice is in each genre, when the tone does not choose one. */
const VOICE_WEIGHTS: Readonly<Record<GenreKey, readonly (readonly [VoiceProfile["key"], number])[]>> = {
  fantasy: [["lyrical", 3], ["brooding", 2], ["wry", 1], ["warm", 1], ["terse", 1]],
  science_fiction: [["terse", 2], ["wry", 2], ["lyrical", 1], ["brooding", 2]],
  mystery: [["wry", 3], ["terse", 2], ["brooding", 1]],
  thriller: [["terse", 4], ["wry", 1], ["brooding", 1]],
  romance: [["warm", 4], ["wry", 2], ["lyrical", 1]],
  horror: [["brooding", 4], ["lyrical", 1], ["terse", 1]],
  literary: [["lyrical", 3], ["warm", 1], ["wry", 1], ["brooding", 1], ["terse", 1]],
};

const FLAWS = [
  "a gift for noticing what others miss and a habit of saying so",
  "a past {s} would rather not discuss",
  "more pride than money",
  "a reputation {s} did not entirely earn",
  "a debt {s} can never quite repay",
  "a temper {s} has spent years learning to hide",
];

/** The genre as an adjective in a sentence ("a science fiction novel"). */
function genrePhrase(core: StoryCore): string {
  return `${withArticle(core.kit.label)} novel`;
}

export function buildHighConcept(brief: ProjectBrief): HighConcept {
  const core = storyCore(brief);
  const random = randomFor(brief.seed, "high_concept");
  const first = firstNameOf(core.protagonist);
  const pronoun = core.protagonistPronouns;
  const homePlace = worldPlaces(core, brief.seed)[0]?.name ?? core.setting.name;
  const incident = core.incident.replace("{centre}", core.centre).replace("{place}", inSentence(homePlace));
  const themes = random.sample(core.kit.themes, random.between(2, 3));
  const motifs = random.sample(core.kit.motifs, random.between(3, 4));
  const flaw = random.pick(FLAWS).replace("{s}", pronoun.subject);

  const person = random.chance(core.kit.key === "romance" ? 0.5 : 0.3) ? "first" : "third";
  const tense = random.chance(0.3) ? "present" : "past";
  const voice = voiceProfile(voiceForTone(brief.tone) ?? random.weighted(VOICE_WEIGHTS[core.kit.key]));
  const whose = person === "first" ? `First person, told by ${first}` : `Close third person, mostly through ${first}`;

  const synopsis = brief.synopsis.trim();
  const premise = [
    synopsis,
    `${brief.title.trim() || "The book"} is ${genrePhrase(core)} set in ${core.setting.name} during ${core.setting.era}.`,
    `${core.protagonist} is ${withArticle(core.protagonistProfession)} with ${flaw}.`,
    `When ${incident}, ${first} is drawn into a struggle with ${core.threat} that ${pronoun.subject} cannot walk away from.`,
    `To ${core.quest}, ${first} will have to trust people ${pronoun.subject} has every reason to doubt.`,
    `If ${pronoun.subject} fails, ${core.stakes}.`,
  ].filter((sentence) => sentence !== "");

  return {
    logline: `When ${incident}, ${core.protagonist}, ${withArticle(core.protagonistProfession)}, must ${core.quest} before ${core.stakes}.`,
    premise: premise.join(" "),
    themes,
    motifs,
    core_conflict: `${first} wants to ${core.quest}; ${core.threat} will do anything to stop ${pronoun.object}. Beneath that struggle runs another, about ${themes[0] ?? "what it costs to be loyal"}, which ${first} cannot win by force.`,
    narrative_voice: {
      person,
      tense,
      description: `${whose}, ${tense} tense; ${voice.description}.`,
    },
  };
}
