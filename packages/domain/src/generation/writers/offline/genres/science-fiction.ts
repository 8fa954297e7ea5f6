import type { GenreKit } from "./kit";

export const scienceFiction: GenreKit = {
  key: "science_fiction",
  label: "science fiction",
  names: {
    female: ["Juno", "Anika", "Imani", "Noor", "Saffron", "Yuki", "Calla", "Delphine", "Esme", "Ingrid", "Kaia", "Lyra", "Mireille", "Nadia", "Priya", "Rosalind", "Sunniva", "Talia", "Vesna", "Zora", "Adaeze", "Beatrix", "Oona", "Hester"],
    male: ["Tal", "Ezra", "Anders", "Bastian", "Cormac", "Dmitri", "Emeka", "Felix", "Gideon", "Hiro", "Ivo", "Jonah", "Kofi", "Lazlo", "Mateo", "Nikolai", "Oren", "Quentin", "Rafael", "Soren", "Tobias", "Viktor", "Yusuf", "Cyprian"],
    family: ["Okafor", "Reyes", "Lindqvist", "Achebe", "Novak", "Tanaka", "Vasquez", "Halloran", "Mbeki", "Castellan", "Dragomir", "Eriksen", "Farrow", "Grieve", "Haldane", "Ishikawa", "Kowalczyk", "Marchetti", "Nakamura", "Osei", "Petrov", "Sandoval", "Teller", "Voss"],
  },
  townParts: {
    first: ["Kepler", "Vashti", "Halcyon", "Meridian", "Tycho", "Perihelion", "Calder", "Ossian", "Zenith", "Arcadia", "Helix", "Lagrange", "Corvus", "Sable", "Tethys", "Vega"],
    second: [""],
  },
  places: [
    { pattern: "{town} Station", description: "A spinning ring station at the edge of the system, cramped, loud and three decades past its design life.", features: ["the observation blister", "the docking spine", "the crowded mess hall", "the maintenance crawlway"] },
    { pattern: "The Hydroponics Bay", description: "Terraced tanks of lettuce and algae under violet grow-lamps, the only place aboard that smells alive.", features: ["the algae tanks", "the grow-lamps", "the seed vault", "the irrigation pumps"] },
    { pattern: "{town} Colony", description: "A pressurised settlement dug into the wall of a crater, governed by a charter nobody has read in years.", features: ["the airlock", "the crater window", "the assembly hall", "the rover garage"] },
    { pattern: "The Bridge of the {town}", description: "The command deck of an ageing survey ship, all soft amber screens and worn acceleration couches.", features: ["the navigation console", "the captain's couch", "the main screen", "the comms station"] },
    { pattern: "The Undercity", description: "The unlit lower levels, where the ventilation fails first and the black market never closes.", features: ["the noodle stall", "the flooded corridor", "the chop shop", "the old freight lift"] },
    { pattern: "The {town} Archive", description: "A cold vault of data cores guarding the records of the first landing, sealed by the Directorate.", features: ["the core stacks", "the reading terminals", "the blast door", "the cooling vents"] },
    { pattern: "The Medical Deck", description: "White corridors and humming cryo-pods, where the ship's doctor keeps more secrets than the captain.", features: ["the cryo-pods", "the surgical bay", "the dispensary", "the quarantine ward"] },
    { pattern: "The {town} Shipyard", description: "A zero-gravity yard of half-built hulls and welding light, run by a union older than the colony.", features: ["the welding gantry", "the cargo cradle", "the foreman's cabin", "the suit lockers"] },
  ],
  setting: {
    patterns: ["the {town} System", "the {town} Reach", "the Outer {town} Belt", "the generation ship {town}"],
    eras: ["the two hundredth year after Landfall", "the decade after the Collapse of the Relay Network", "the third century of the Long Voyage", "the early years of the Treaty of Ceres"],
    descriptions: [
      "A thinly settled system of mining stations and one failing colony, months from any help.",
      "A generation ship so old its passengers have forgotten it was ever meant to arrive anywhere.",
      "A frontier of company towns and free habitats, held together by the slow relay of news between them.",
    ],
  },
  professions: ["engineer", "pilot", "xenobiologist", "medic", "navigator", "data archivist", "security officer", "salvager", "hydroponicist", "systems analyst", "union organiser", "courier"],
  centres: ["the missing black box", "the first-landing records", "the alien signal", "the cryo-pod that should be empty", "the stolen navigation key", "the prototype drive"],
  threats: ["the Directorate", "the Meridian Corporation", "the ship's failing AI", "the Quiet Fleet", "the Ceres Security Bureau"],
  incidents: ["{centre} surfaces in a salvage lot near {place}", "a maintenance crew finds {centre} at {place}", "the power fails across {place} and {centre} disappears", "a dead courier docks at {place} carrying {centre}"],
  stakes: ["the colony's air runs out", "the Directorate seals every station in the system", "the ship loses its last chance to change course", "the truth about Landfall is erased for good"],
  secrets: ["what really happened on the first landing", "who disabled the distress beacon", "the real contents of the sealed cargo", "why the relay went silent", "whose orders vented the lower deck"],
  themes: ["the stories a people tells about its origins", "freedom against safety", "what we owe the generations after us", "the loneliness of distance", "trust in a world run by machines", "memory and what counts as a person"],
  motifs: ["starlight", "a stopped clock", "seeds", "static", "breath on glass", "the colour blue", "a child's drawing", "echoes"],
  rules: [
    "Faster-than-light travel is impossible; every message and every ship crawls between stars.",
    "Air is rationed by the Directorate, and the ration is the law.",
    "Every adult carries a neural tag that logs location, and tampering with it is a capital crime.",
    "The ship's AI may not lie, but it may decline to answer.",
    "Salvage belongs to whoever tags it first, under the old union charter.",
  ],
  culture: [
    "Births are planned to the decade, and an unplanned child is a scandal and a debt.",
    "Crews name their children after the stars they will never reach.",
    "Real coffee is a currency; recycled water is a joke everyone makes once.",
    "Funerals end with the body given to the recyclers and a name painted on the hull.",
    "Old Earth films are shown every rest-day, and everyone knows the lines.",
  ],
  senses: {
    sounds: ["the hum of the air scrubbers", "the tick of cooling metal", "a distant pressure alarm", "the murmur of the comms channel", "the thud of a hatch sealing", "the whine of a maintenance drone", "the groan of the hull under load"],
    smells: ["recycled air", "ozone", "machine oil", "burnt coffee", "antiseptic", "hot solder", "hydroponic green"],
    lights: ["the blue glow of the consoles", "the amber emergency lighting", "the cold white of the overhead strips", "the slow sweep of starlight through the viewport", "the flicker of a failing panel"],
    textures: ["the cold rim of the console", "the worn grip tape of the ladder", "the smooth curve of the bulkhead", "the stiff fabric of a pressure suit", "the gritty deck plating"],
    weather: ["a dust storm on the crater rim", "a solar flare warning", "the long night of the orbit", "a hard vacuum frost on the viewports", "a radiation advisory"],
  },
  props: ["a cracked data slate", "a sealed cargo tag", "a ration card", "a pocket torch", "a coil of fibre cable", "a stolen access chip", "a dented thermos", "an old paper star chart"],
  titles: {
    nouns: ["Signal", "Orbit", "Drift", "Static", "Vacuum", "Landfall", "Relay", "Horizon", "Reactor", "Silence", "Archive", "Voyage", "Airlock", "Starlight", "Beacon", "Wake", "Ring", "Descent", "Seed", "Echo"],
    adjectives: ["Dark", "Cold", "Lost", "Quiet", "Deep", "Broken", "First", "Last", "Silent", "Distant", "Burning", "Hollow"],
  },
  oaths: ["Hell", "Stars above", "Void take it", "Oh, for pity's sake"],
};
