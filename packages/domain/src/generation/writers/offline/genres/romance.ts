import type { GenreKit } from "./kit";

export const romance: GenreKit = {
  key: "romance",
  label: "romance",
  names: {
    female: ["Ellie", "Amelia", "Brooke", "Charlotte", "Daisy", "Evie", "Freya", "Grace", "Hazel", "Isla", "Josie", "Lily", "Maisie", "Nora", "Olivia", "Poppy", "Rosie", "Sadie", "Tilly", "Willa", "Clara", "Harper", "Juliet", "Stella"],
    male: ["Finn", "Aiden", "Callum", "Dylan", "Elliot", "Gabriel", "Harry", "Jamie", "Kieran", "Leo", "Miles", "Noah", "Oscar", "Rory", "Sam", "Theo", "Wyatt", "Xavier", "Ben", "Luke", "Rowan", "Jasper", "Owen", "Reid"],
    family: ["Bennett", "Hart", "Sinclair", "Whitmore", "Ashworth", "Brennan", "Carlisle", "Dunmore", "Ellison", "Fairfax", "Gallagher", "Hollis", "Kendrick", "Lancaster", "Montgomery", "Prescott", "Quinlan", "Rutherford", "Sterling", "Thornton", "Winslow", "Abbott", "Cavendish", "Delaney"],
  },
  townParts: {
    first: ["Willow", "Harbor", "Juniper", "Maple", "Silver", "Cedar", "Primrose", "Larkspur", "Bramble", "Honey"],
    second: [" Bay", " Creek", " Hollow", " Cove", " Falls", " Point"],
  },
  places: [
    { pattern: "{town}", description: "A small seaside town of painted shopfronts and long memories, where the summer people leave in September.", features: ["the harbour wall", "the bandstand", "the high street", "the lighthouse path"] },
    { pattern: "The {town} Bakery", description: "A family bakery with a bell over the door, a failing oven and three generations of recipes.", features: ["the counter", "the proving shelves", "the back kitchen", "the window seat"] },
    { pattern: "The Old Boathouse", description: "A weathered boathouse being restored, one stubborn plank at a time, by the man who bought it.", features: ["the workbench", "the jetty", "the loft", "the half-built boat"] },
    { pattern: "The Lighthouse Inn", description: "A whitewashed inn on the point, with a quiz night, a crackling fire and a landlady who matchmakes without mercy.", features: ["the fireplace", "the bar", "the bay window", "the garden terrace"] },
    { pattern: "{town} Farm", description: "A struggling apple farm on the hill above town, beautiful in blossom season and mortgaged to the rafters.", features: ["the orchard", "the cider barn", "the farmhouse kitchen", "the porch swing"] },
    { pattern: "The Gallery on Quay Street", description: "A small art gallery in a former chandlery, full of seascapes and unspoken ambitions.", features: ["the front window", "the framing room", "the spiral stair", "the studio upstairs"] },
    { pattern: "The Beach at {town}", description: "A long curve of pale sand and rock pools, empty and windswept out of season.", features: ["the rock pools", "the dunes", "the beach huts", "the tideline"] },
    { pattern: "The Town Hall", description: "A fussy Victorian town hall where the festival committee meets and every vote is personal.", features: ["the committee room", "the steps", "the notice board", "the ballroom"] },
  ],
  setting: {
    patterns: ["the seaside town of {town}", "{town} and the coast road", "the valley around {town}"],
    eras: ["one summer, now", "the autumn the festival nearly closed", "the year the old pier came down", "a long, bright summer"],
    descriptions: [
      "A small coastal town where everybody knows your business and turns up anyway when it matters.",
      "A pretty, struggling town caught between the holiday trade and the people who live there all year.",
      "A valley of orchards and old grudges, an hour from the city and a world away from it.",
    ],
  },
  professions: ["baker", "carpenter", "veterinarian", "architect", "florist", "boatbuilder", "teacher", "chef", "journalist", "painter", "lawyer", "midwife"],
  centres: ["the family bakery", "the summer festival", "the old boathouse", "the lighthouse restoration", "the farm", "the letter that was never sent"],
  threats: ["the developer's offer", "an old flame", "the city", "a family feud", "the bank"],
  incidents: ["an outsider buys {place}, threatening {centre}", "a will leaves {centre} to two people who cannot stand each other", "a storm damages {place} and puts {centre} at risk", "an old love comes home to {place} just as {centre} is about to be lost"],
  stakes: ["the bakery closes for good", "the town loses its heart", "two stubborn people lose their last chance", "a family breaks apart"],
  secrets: ["the real reason for the broken engagement", "who bought the boathouse", "the debt on the farm", "the letter in the drawer", "why Grandmother never sold"],
  themes: ["second chances", "home and the courage to stay", "pride and vulnerability", "grief giving way to hope", "the families we choose", "ambition against belonging"],
  motifs: ["lemon cake", "sea glass", "a paper boat", "the lighthouse beam", "wild roses", "an old song on the radio", "rain on a tin roof", "the tide"],
  rules: [
    "The festival committee's decisions are final, and its members never forget.",
    "Nothing stays secret in town for longer than a weekend.",
    "The bank's deadline is the end of summer.",
  ],
  culture: [
    "The whole town turns out for the lantern parade on midsummer night.",
    "Newcomers are judged on whether they come to the pub quiz.",
    "Recipes are inherited, argued over and never written down.",
    "Everyone swims in the sea on New Year's Day, however cold.",
  ],
  senses: {
    sounds: ["the cry of gulls over the harbour", "the bell over the shop door", "the drag of waves on the shingle", "an old love song on someone's radio", "the clink of glasses from the pub", "the patter of rain on the roof", "the sound of children on the beach"],
    smells: ["warm bread", "salt spray", "cut grass", "coffee", "cinnamon", "sun cream", "wood shavings", "roses"],
    lights: ["the golden evening light", "the sweep of the lighthouse beam", "the glow of fairy lights along the terrace", "the soft morning light over the bay", "candlelight"],
    textures: ["the warm wood of the counter", "the cool sand underfoot", "the soft wool of a borrowed jumper", "the rough bark of the old apple tree", "the smooth stone of the harbour wall"],
    weather: ["a soft sea mist", "a warm evening breeze", "a sudden summer shower", "a bright, blowy afternoon", "a heavy thunderstorm"],
  },
  props: ["a chipped mug", "a flour-dusted apron", "a bunch of wild flowers", "a paper bag of pastries", "an old photograph", "a set of keys", "a sketchbook", "a jar of sea glass"],
  titles: {
    nouns: ["Summer", "Tide", "Harbour", "Lighthouse", "Roses", "Promise", "Kiss", "Heart", "Home", "Storm", "Festival", "Bakery", "Sea Glass", "Letter", "Dance", "Orchard", "Lanterns", "Sunrise", "Chance", "Shore"],
    adjectives: ["Sweet", "Second", "Golden", "Stolen", "Wild", "Bright", "Last", "Secret", "Soft", "Borrowed", "Unexpected", "Long"],
  },
  oaths: ["Oh my God", "Honestly", "For heaven's sake", "Bloody hell"],
};
