import type { World } from "../../outputs";
import type { ProjectBrief } from "../writer";
import { randomFor } from "./random";
import { storyCore, type StoryCore } from "./story";

/** How many places a world has. */
const PLACE_COUNT = 6;

/** The world's places, derived from the brief alone so the high concept can already name the first. */
export function worldPlaces(core: StoryCore, seed: number): World["places"] {
  const random = randomFor(seed, "places");
  const towns = [...core.townNames];
  return random.sample(core.kit.places, PLACE_COUNT).map((kind) => ({
    name: kind.pattern.includes("{town}") ? kind.pattern.replace("{town}", towns.shift() ?? "Greywater") : kind.pattern,
    description: kind.description,
  }));
}

export function buildWorld(brief: ProjectBrief): World {
  const core = storyCore(brief);
  const random = randomFor(brief.seed, "world_building");
  return {
    setting: core.setting,
    places: worldPlaces(core, brief.seed),
    rules: random.sample(core.kit.rules, 3),
    culture: random.sample(core.kit.culture, 3),
  };
}
