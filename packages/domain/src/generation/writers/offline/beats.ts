import type { BeatSheet, HighConcept, World } from "../../outputs";
import type { ProjectBrief } from "../writer";
import { capitalise, inSentence, withArticle } from "./english";
import { randomFor } from "./random";
import { firstNameOf, storyCore } from "./story";
import { fill } from "./template";

/**
 * The classic three-act beats. Slots: {P} the protagonist's first name,
 * {job}, {place}, {setting}, {centre}, {threat}, {quest}, {incident},
 * {secret}, {theme}, {stakes}.
 */
const BEATS: readonly { act: 1 | 2 | 3; name: string; position: number; description: string }[] = [
  { act: 1, name: "Opening Image", position: 0, description: "{P} at {place}, doing the ordinary work of {job}, with {setting} as it is and the first crack already showing." },
  { act: 1, name: "Inciting Incident", position: 0.1, description: "{Incident}. Nothing in {P}'s life will stay as it was." },
  { act: 1, name: "Debate", position: 0.17, description: "{P} hesitates: getting involved means crossing {threat}, and {P} has good reasons to keep out of it." },
  { act: 1, name: "Break into Two", position: 0.24, description: "{P} resolves to {quest}, and leaves the safety of {place} behind." },
  { act: 2, name: "Fun and Games", position: 0.35, description: "{P} follows the trail of {centre} across {setting}, collecting allies, enemies and half-truths." },
  { act: 2, name: "Midpoint", position: 0.5, description: "A false victory: {P} gets close to {centre} and learns the truth about {secret}, which changes what winning would mean." },
  { act: 2, name: "Bad Guys Close In", position: 0.62, description: "The pressure from {threat} grows; allies begin to doubt {P}, and old loyalties crack." },
  { act: 2, name: "All Is Lost", position: 0.72, description: "Everything {P} has built falls apart, and someone {P} cares about pays for it." },
  { act: 2, name: "Dark Night of the Soul", position: 0.77, description: "Alone, {P} has to face what the book has been asking about {theme}." },
  { act: 3, name: "Break into Three", position: 0.8, description: "{P} sees what has to be done, and what it will cost." },
  { act: 3, name: "Finale", position: 0.9, description: "{P} confronts {threat} over {centre}, and every thread of the story is pulled tight." },
  { act: 3, name: "Final Image", position: 1, description: "{Setting} after the storm: changed, and {P} changed with it, or else {stakes}." },
];

/** Peaks of tension at the big beats, on a rising line. */
const TENSION_PEAKS: readonly { at: number; height: number; width: number }[] = [
  { at: 0.1, height: 0.15, width: 0.05 },
  { at: 0.5, height: 0.2, width: 0.06 },
  { at: 0.72, height: 0.15, width: 0.05 },
  { at: 0.9, height: 0.3, width: 0.06 },
];

function tensionAt(position: number): number {
  const rising = 0.2 + 0.5 * position;
  const peaks = TENSION_PEAKS.reduce((sum, peak) => sum + peak.height * Math.exp(-(((position - peak.at) / peak.width) ** 2)), 0);
  // The last pages come down from the climax.
  const falling = position > 0.95 ? (position - 0.95) * 6 : 0;
  return rising + peaks - falling;
}

export function buildBeatSheet(brief: ProjectBrief, earlier: { highConcept: HighConcept; world: World }): BeatSheet {
  const core = storyCore(brief);
  const random = randomFor(brief.seed, "beat_sheet");
  const first = firstNameOf(core.protagonist);
  const place = earlier.world.places[0]?.name ?? core.setting.name;
  const incident = core.incident.replace("{centre}", core.centre).replace("{place}", inSentence(place));
  const values: Record<string, string> = {
    P: first,
    job: withArticle(core.protagonistProfession),
    place: inSentence(place),
    setting: earlier.world.setting.name,
    Setting: capitalise(earlier.world.setting.name),
    centre: core.centre,
    threat: core.threat,
    quest: core.quest,
    Incident: capitalise(incident),
    secret: random.pick(core.kit.secrets),
    theme: earlier.highConcept.themes[0] ?? "loyalty",
    stakes: core.stakes,
  };
  const beats = BEATS.map((beat) => {
    // Inner beats drift a little from book to book; the first and last stay put.
    const drift = beat.position > 0 && beat.position < 1 ? (random.next() - 0.5) * 0.03 : 0;
    return {
      act: beat.act,
      name: beat.name,
      description: fill(beat.description, (slot) => values[slot] ?? slot),
      position: Math.round((beat.position + drift) * 1000) / 1000,
    };
  });
  const chapters = Math.max(1, brief.chapters);
  const pacing_curve = Array.from({ length: chapters }, (_, index) => {
    const position = chapters === 1 ? 0.5 : index / (chapters - 1);
    const jitter = (random.next() - 0.5) * 0.08;
    return Math.round(Math.min(1, Math.max(0.05, tensionAt(position) + jitter)) * 100) / 100;
  });
  return { beats, pacing_curve };
}
