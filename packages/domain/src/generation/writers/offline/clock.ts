import { randomFor } from "./random";

/**
 * The book's clock. Every chapter starts on a new day, and the scenes of a
 * chapter move forward through it; each scene opens with a phrase that says
 * when it happens. The continuity audit reads the same phrases back.
 */
export const TIMES_OF_DAY = ["dawn", "morning", "noon", "afternoon", "evening", "night"] as const;
export type TimeOfDay = (typeof TIMES_OF_DAY)[number];

export interface SceneTime {
  /** Null when a chapter has more scenes than the day has parts: the scene is just "later". */
  time: TimeOfDay | null;
  /** The opening phrase, capitalised ("The next morning"). */
  marker: string;
}

/** Phrases for a time later the same day. */
const SAME_DAY: Record<TimeOfDay, readonly string[]> = {
  dawn: ["At dawn", "At first light"],
  morning: ["That morning", "Later that morning"],
  noon: ["At noon", "By midday"],
  afternoon: ["That afternoon", "Later that afternoon"],
  evening: ["That evening", "By evening"],
  night: ["That night", "Late that night"],
};

/** Phrases for a time on a later day. */
const NEW_DAY: Record<TimeOfDay, readonly string[]> = {
  dawn: ["At dawn the next day", "At first light the following day"],
  morning: ["The next morning", "The following morning", "Two days later, in the morning"],
  noon: ["At noon the next day", "Two days later, at midday"],
  afternoon: ["The next afternoon", "The following afternoon", "Three days later, in the afternoon"],
  evening: ["The next evening", "Two days later, in the evening"],
  night: ["The next night", "Three nights later"],
};

/** Parts of the day the scenes of a chapter fall in, in order. */
function chapterTimes(seed: number, chapter: number, scenes: number): (TimeOfDay | null)[] {
  const random = randomFor(seed, "clock", chapter);
  // Most scenes happen between morning and night; dawn and noon are rarer.
  const indexes = random.sample([0, 1, 1, 2, 3, 3, 4, 4, 5], 9);
  const chosen = [...new Set(indexes)].slice(0, Math.min(scenes, TIMES_OF_DAY.length)).sort((a, b) => a - b);
  return Array.from({ length: scenes }, (_, index) => {
    const time = chosen[index];
    return time === undefined ? null : (TIMES_OF_DAY[time] ?? null);
  });
}

export function sceneTime(seed: number, chapter: number, scene: number, scenesPerChapter: number): SceneTime {
  const time = chapterTimes(seed, chapter, scenesPerChapter)[scene - 1] ?? null;
  const random = randomFor(seed, "clock", chapter, scene);
  if (time === null) return { time, marker: random.pick(["Later", "Some time later", "An hour later"]) };
  const startsDay = scene === 1;
  if (startsDay && chapter === 1) return { time, marker: random.pick(SAME_DAY[time]).replace(/^Later that/, "That") };
  return { time, marker: random.pick(startsDay ? NEW_DAY[time] : SAME_DAY[time]) };
}

/** An opening that puts a scene earlier on the same day than the scene before it: a continuity slip. */
export function earlierSameDayMarker(before: TimeOfDay): string | null {
  const index = TIMES_OF_DAY.indexOf(before);
  if (index < 2) return null;
  const earlier = TIMES_OF_DAY[index === 2 ? 1 : index - 2] ?? "morning";
  return SAME_DAY[earlier][0] ?? null;
}
