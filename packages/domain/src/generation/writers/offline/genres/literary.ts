import type { GenreKit } from "./kit";

export const literary: GenreKit = {
  key: "literary",
  label: "literary",
  names: {
    female: ["Anna", "Claire", "Helen", "Irene", "Joanna", "Leah", "Margaret", "Naomi", "Paula", "Ruth", "Susan", "Vivian", "Alice", "Frances", "Hannah", "Laura", "Miriam", "Teresa", "Elisabeth", "Catherine", "Dora", "Greta", "Marian", "Yvonne"],
    male: ["Daniel", "Arthur", "Charles", "David", "Francis", "George", "Jacob", "Martin", "Nicholas", "Patrick", "Robert", "Thomas", "Vincent", "William", "Michael", "Peter", "Joseph", "Lewis", "Albert", "Ernest", "Bernard", "Frank", "Gordon", "Raymond"],
    family: ["Calder", "Ashton", "Brooks", "Conway", "Doyle", "Ellis", "Fraser", "Gardiner", "Hayes", "Irving", "Jennings", "Keane", "Lister", "Moran", "Nolan", "Parry", "Quayle", "Rowe", "Shaw", "Tierney", "Vaughan", "Walsh", "Whelan", "Burke"],
  },
  townParts: {
    first: ["Alder", "Birch", "Elm", "Linden", "Sycamore", "Hawthorn", "Rowan", "Laurel", "Chestnut", "Poplar"],
    second: [" Street", " Road", " Lane", " Grove"],
  },
  places: [
    { pattern: "The House on {town}", description: "The narrow family house, its rooms still arranged for people who no longer live in them.", features: ["the kitchen table", "the front room", "the back garden", "the stairs"] },
    { pattern: "The River", description: "A slow brown river at the bottom of the town, where the children once swam and one of them did not come back.", features: ["the towpath", "the footbridge", "the weir", "the bench by the water"] },
    { pattern: "The Hospital", description: "The county hospital, a tired sprawl of corridors and vending machines and waiting.", features: ["the ward", "the corridor", "the car park", "the visitors' room"] },
    { pattern: "The Bookshop", description: "A second-hand bookshop that has not made money in years and will not close while its owner lives.", features: ["the till", "the poetry shelves", "the back room", "the window display"] },
    { pattern: "The Allotment", description: "A rented strip of earth with a shed, a water butt and thirty years of patient work.", features: ["the shed", "the bean rows", "the water butt", "the compost heap"] },
    { pattern: "The Station Café", description: "A steamy café by the station, where the same people sit at the same tables every morning.", features: ["the counter", "the window table", "the tea urn", "the notice board"] },
    { pattern: "The Seafront", description: "A faded promenade of shelters and shuttered kiosks, beautiful in the off-season light.", features: ["the shelter", "the railings", "the pier", "the steps down to the beach"] },
    { pattern: "The School", description: "The old grammar school, now an academy, whose corridors smell exactly as they did fifty years ago.", features: ["the staff room", "the playground", "the assembly hall", "the empty classroom"] },
  ],
  setting: {
    patterns: ["a small northern town", "the estuary town of {town}", "a city suburb"],
    eras: ["the present day", "the long summer of 1976", "the year the factory closed", "the decade after the war"],
    descriptions: [
      "An ordinary town past its best, where the same families have lived for generations and quietly kept count of one another.",
      "A place of terraced streets, a closed factory and a river, where nothing much happens and everything matters.",
      "A suburb of hedges and good intentions, where grief is done privately and politely.",
    ],
  },
  professions: ["schoolteacher", "nurse", "bookseller", "retired engineer", "translator", "social worker", "pianist", "postman", "accountant", "photographer", "carer", "lecturer"],
  centres: ["the family house", "the father's letters", "the sister who left", "the unfinished novel", "the accident on the river", "the inheritance"],
  threats: ["the family's silence", "time", "an old resentment", "the sale of the house", "the illness"],
  incidents: ["a death brings the family back to {place}, and with it {centre}", "a box of letters found at {place} reopens {centre}", "a stranger arrives at {place} claiming a share in {centre}", "a diagnosis forces a return to {place} and to {centre}"],
  stakes: ["the family never speaks again", "the house is sold with its secrets in it", "a life is spent in the wrong shape", "the last chance to forgive passes"],
  secrets: ["what happened on the river that summer", "why the father never wrote back", "the money that went missing", "the child given up", "who really left whom"],
  themes: ["memory and its unreliability", "the distance between parents and children", "grief and ordinary life", "the things we inherit without choosing", "forgiveness that comes too late", "class and belonging"],
  motifs: ["a wristwatch", "birdsong", "the river", "photographs", "a piano nobody plays", "apples", "letters", "the colour yellow"],
  rules: [
    "The family does not talk about the accident.",
    "The house cannot be sold without all three signatures.",
    "Everyone in town remembers, and nobody mentions it.",
  ],
  culture: [
    "Sunday lunch at the house, whatever happens, at one o'clock.",
    "Feelings are expressed through tea, lifts to the station and small repairs.",
    "The town measures people by which school they went to and whether they came back.",
  ],
  senses: {
    sounds: ["the kettle coming to the boil", "a radio murmuring in the next room", "traffic on the wet road", "a blackbird in the garden", "the tick of the kitchen clock", "the rattle of the letterbox", "a train on the viaduct"],
    smells: ["toast", "damp coats", "furniture polish", "cut grass", "hospital soap", "old books", "rain on warm pavement"],
    lights: ["the flat grey light of the afternoon", "the yellow kitchen light", "low winter sun across the table", "the blue of the television", "the streetlight through thin curtains"],
    textures: ["the cold tile of the kitchen floor", "the worn arm of the chair", "the soft paper of an old letter", "the chipped enamel of the sink", "the damp wood of the gate"],
    weather: ["a fine, steady rain", "a low grey sky", "an unseasonable warmth", "a sharp frost", "a blustery wind off the estuary"],
  },
  props: ["a cup of tea", "a shoebox of letters", "a set of house keys", "a folded newspaper", "an old wristwatch", "a photograph in a cheap frame", "a packet of cigarettes", "a library book"],
  titles: {
    nouns: ["Rooms", "River", "Letters", "Weather", "House", "Inheritance", "Light", "Apples", "Silence", "Birds", "Kitchen", "Afternoon", "Distance", "Photographs", "Keys", "Garden", "Tide", "Winter", "Habit", "Return"],
    adjectives: ["Small", "Ordinary", "Late", "Quiet", "Borrowed", "Empty", "Long", "Last", "Unspoken", "Grey", "Other", "Half"],
  },
  oaths: ["God", "Christ", "Oh, for heaven's sake", "Honestly"],
};
