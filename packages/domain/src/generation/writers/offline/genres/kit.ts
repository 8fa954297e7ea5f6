/**
 * The vocabulary of one genre. The offline writer draws every name, place,
 * prop and sensory detail from these tables, so a fantasy book smells of
 * woodsmoke and a science-fiction book of recycled air. Place patterns use
 * `{town}` for a generated proper name; everything else is literal text.
 */
export type GenreKey = "fantasy" | "science_fiction" | "mystery" | "thriller" | "romance" | "horror" | "literary";

export interface PlaceKind {
  /** The place's name, `{town}` standing for a generated proper name. */
  pattern: string;
  description: string;
  /** Things in the place that a scene can show. */
  features: readonly string[];
}

export interface GenreKit {
  key: GenreKey;
  /** How the genre is named in prose ("a fantasy novel"). */
  label: string;
  names: { female: readonly string[]; male: readonly string[]; family: readonly string[] };
  /** Halves of generated place names ("Ash" + "mere"); an empty second half keeps the first alone. */
  townParts: { first: readonly string[]; second: readonly string[] };
  places: readonly PlaceKind[];
  setting: { patterns: readonly string[]; eras: readonly string[]; descriptions: readonly string[] };
  professions: readonly string[];
  /** What the book turns on: the object, person or truth everyone wants. */
  centres: readonly string[];
  /** The force set against the protagonist. */
  threats: readonly string[];
  /** What sets the story going, as a present-tense clause about `{centre}` and `{place}`. */
  incidents: readonly string[];
  /** What is lost if the protagonist fails, as a present-tense clause. */
  stakes: readonly string[];
  secrets: readonly string[];
  themes: readonly string[];
  motifs: readonly string[];
  rules: readonly string[];
  culture: readonly string[];
  senses: {
    sounds: readonly string[];
    smells: readonly string[];
    lights: readonly string[];
    textures: readonly string[];
    weather: readonly string[];
  };
  /** Small objects characters handle, with their article. */
  props: readonly string[];
  titles: { nouns: readonly string[]; adjectives: readonly string[] };
  /** Short exclamations for dialogue. */
  oaths: readonly string[];
}
