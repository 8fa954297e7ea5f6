import { fantasy } from "./fantasy";
import { horror } from "./horror";
import type { GenreKey, GenreKit } from "./kit";
import { literary } from "./literary";
import { mystery } from "./mystery";
import { romance } from "./romance";
import { scienceFiction } from "./science-fiction";
import { thriller } from "./thriller";

export type { GenreKey, GenreKit } from "./kit";

const KITS: Record<GenreKey, GenreKit> = {
  fantasy,
  science_fiction: scienceFiction,
  mystery,
  thriller,
  romance,
  horror,
  literary,
};

/** Words that identify a genre in the free-text genre field, checked in this order. */
const GENRE_WORDS: readonly (readonly [GenreKey, RegExp])[] = [
  ["science_fiction", /science[\s-]*fiction|sci[\s-]*fi|\bsf\b|space|cyberpunk|dystopi/],
  ["fantasy", /fantasy|sword|sorcery|myth|fairy/],
  ["mystery", /myster|crime|detective|whodunn?it|cozy|noir/],
  ["thriller", /thriller|spy|espionage|suspense|action|heist/],
  ["romance", /romanc|love|romcom|rom-com/],
  ["horror", /horror|gothic|ghost|haunt|supernatural/],
  ["literary", /literary|literature|drama|family/],
];

/** The genre kit for a free-text genre; anything unrecognised reads as literary fiction. */
export function genreKit(genre: string): GenreKit {
  const normalised = genre.toLowerCase();
  const match = GENRE_WORDS.find(([, pattern]) => pattern.test(normalised));
  return KITS[match ? match[0] : "literary"];
}

/** Every profession any genre knows, so the continuity audit can recognise one in prose. */
export const ALL_PROFESSIONS: readonly string[] = [...new Set(Object.values(KITS).flatMap((kit) => kit.professions))].sort();
