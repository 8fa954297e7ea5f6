/**
 * Narrative voices. The high concept names one in its description; the voice
 * pass recognises it by its keywords (so a description written by any writer
 * can select one) and applies its vocabulary and rhythm to the narration.
 */
export interface VoiceProfile {
  key: "terse" | "lyrical" | "wry" | "brooding" | "warm";
  /** How the high concept describes it. */
  description: string;
  keywords: RegExp;
  /** Narration phrases the voice always says its own way: [plain, voiced]. */
  vocabulary: readonly (readonly [string, string])[];
  /** How the voice treats sentence length. */
  rhythm: "split" | "join" | "keep";
  /** Short codas the voice adds to a few descriptive sentences. */
  codas: readonly string[];
}

export const VOICE_PROFILES: readonly VoiceProfile[] = [
  {
    key: "terse",
    description: "terse and clipped: short declarative sentences, plain words, no ornament",
    keywords: /\b(?:terse|clipped|spare|sparse|minimal|punchy|hard-boiled)\b/i,
    vocabulary: [
      ["gazed at", "looked at"],
      ["wandered", "walked"],
      ["perhaps", "maybe"],
      ["as though", "as if"],
      ["murmured", "said"],
      ["for a long moment", "a moment"],
      // No ornament: manner adverbs go.
      [" slowly", ""],
      [" carefully", ""],
      [" briefly", ""],
      [" quietly", ""],
    ],
    rhythm: "split",
    codas: [],
  },
  {
    key: "lyrical",
    description: "lyrical and unhurried: long, flowing sentences and an eye for light and texture",
    keywords: /\b(?:lyrical|poetic|lush|flowing|dreamy|elegiac)\b/i,
    vocabulary: [
      ["looked at", "gazed at"],
      ["looked out at", "gazed out at"],
      ["walked", "wandered"],
      ["quiet", "hushed"],
    ],
    rhythm: "join",
    codas: [", soft as breath on glass", ", like a half-remembered song", ", slow as honey in winter", ", like light moving under water", ", the way a bell goes on sounding after it is struck"],
  },
  {
    key: "wry",
    description: "wry and dry-humoured: an ironic distance that notices what people would rather hide",
    keywords: /\b(?:wry|ironic|dry|witty|sardonic|droll)\b|humou?r/i,
    vocabulary: [
      ["dangerous", "inadvisable"],
      ["terrible", "regrettable"],
      ["furious", "displeased"],
    ],
    rhythm: "keep",
    codas: [", naturally", ", which was about what anyone could have expected", ", as these things went", ", because of course it did", ", which was one way of putting it"],
  },
  {
    key: "brooding",
    description: "brooding and watchful: a heavy atmosphere in which every silence means something",
    keywords: /\b(?:brooding|gothic|ominous|haunted|grim|bleak|dark)\b/i,
    vocabulary: [
      ["looked at", "stared at"],
      ["quiet", "silent"],
      ["glanced at", "stared at"],
      ["a little", "a shade"],
    ],
    rhythm: "keep",
    codas: [", like something waiting", ", heavy as a held breath", ", as if the place itself were listening", ", and it did not feel like a welcome", ", the way a wound remembers the blade"],
  },
  {
    key: "warm",
    description: "warm and intimate: close to the characters' feelings, generous with small kindnesses",
    keywords: /\b(?:warm|intimate|tender|gentle|cosy|cozy|heartfelt)\b/i,
    vocabulary: [
      ["tired", "weary"],
      ["stared at", "looked at"],
      ["glared", "frowned"],
      ["muttered", "said softly"],
    ],
    rhythm: "keep",
    codas: [", and it was good to be there", ", which was its own small kindness", ", familiar as an old coat", ", the way it always had", ", and something in the chest eased a little"],
  },
];

/** The voice a description asks for, if it names one. */
export function voiceProfileOf(description: string): VoiceProfile | null {
  return VOICE_PROFILES.find((profile) => profile.keywords.test(description)) ?? null;
}

export function voiceProfile(key: VoiceProfile["key"]): VoiceProfile {
  const profile = VOICE_PROFILES.find((candidate) => candidate.key === key);
  if (!profile) throw new Error(`unknown voice ${key}`);
  return profile;
}

/** Which voice suits a tone the user wrote, if the tone says. */
export function voiceForTone(tone: string): VoiceProfile["key"] | null {
  const lower = tone.toLowerCase();
  if (/dark|grim|bleak|eerie|menac|sinister|gothic/.test(lower)) return "brooding";
  if (/funny|humou?r|witty|comic|playful|light-hearted|satir|wry/.test(lower)) return "wry";
  if (/warm|cos[yi]|hopeful|tender|heartfelt|romantic|gentle|uplifting/.test(lower)) return "warm";
  if (/tense|gritty|fast|taut|punchy|hard|lean/.test(lower)) return "terse";
  if (/lyrical|poetic|dreamy|melanchol|elegiac|literary|quiet/.test(lower)) return "lyrical";
  return null;
}
