import type { GenreKit } from "./kit";

export const mystery: GenreKit = {
  key: "mystery",
  label: "mystery",
  names: {
    female: ["Harriet", "Agatha", "Beatrice", "Clementine", "Dorothy", "Eleanor", "Florence", "Georgina", "Imogen", "Judith", "Lavinia", "Margery", "Nancy", "Philippa", "Rosamund", "Sylvia", "Theodora", "Ursula", "Violet", "Winifred", "Cecily", "Edith", "Maud", "Prudence"],
    male: ["Edwin", "Ambrose", "Bertram", "Cyril", "Desmond", "Everett", "Frederick", "Gerald", "Horace", "Jasper", "Laurence", "Montague", "Neville", "Percival", "Reginald", "Sebastian", "Timothy", "Vernon", "Walter", "Rupert", "Clement", "Hugo", "Lionel", "Stanley"],
    family: ["Marsh", "Ashcombe", "Pennington", "Blackthorn", "Carstairs", "Drummond", "Ellery", "Fairbairn", "Gresham", "Hartley", "Inglewood", "Jarvis", "Kingsley", "Lowther", "Mortimer", "Netherby", "Oakes", "Pryce", "Radley", "Summerfield", "Trevelyan", "Whitlock", "Fenwick", "Crabtree"],
  },
  townParts: {
    first: ["Little", "Lower", "Market", "King's", "Saint", "Upper", "Long", "Much"],
    second: [" Barton", " Haddon", " Wychford", " Ashby", " Pelham", " Stoke", " Mardle", " Fennick"],
  },
  places: [
    { pattern: "{town}", description: "A tidy market village of gossip and thatch, where everyone knows everyone's business except the one that matters.", features: ["the village green", "the war memorial", "the post office", "the churchyard wall"] },
    { pattern: "{town} House", description: "A shabby country house with a fine library, a leaking roof and a family that will not sell.", features: ["the library", "the long gallery", "the conservatory", "the servants' stair"] },
    { pattern: "The Red Lion", description: "The village pub, low-beamed and smoky, where the landlord hears everything and repeats half of it.", features: ["the snug", "the bar", "the inglenook", "the back parlour"] },
    { pattern: "The Vicarage", description: "A draughty vicarage full of parish records, jam jars and a vicar who notices more than he says.", features: ["the study", "the garden gate", "the parish chest", "the kitchen table"] },
    { pattern: "The {town} Police Station", description: "A two-room county police station with one telephone, one cell and a sergeant who resents London.", features: ["the front desk", "the cell", "the inspector's office", "the evidence cupboard"] },
    { pattern: "The Railway Hotel", description: "A faded commercial hotel by the branch line, where strangers sign the register under names that are not theirs.", features: ["the lobby", "the register", "the residents' lounge", "the dining room"] },
    { pattern: "The Boathouse", description: "A rotting boathouse on the lake below the big house, locked since the drowning.", features: ["the jetty", "the boat racks", "the loft", "the slipway"] },
    { pattern: "The Church of Saint Aldhelm", description: "A flint church with a crooked spire and a crypt the churchwardens would rather nobody opened.", features: ["the vestry", "the crypt steps", "the bell ropes", "the family pew"] },
  ],
  setting: {
    patterns: ["{town} and its parish", "the county town of {town}", "the valley below {town}"],
    eras: ["the autumn of 1934", "the hard winter of 1947", "the summer of 1952", "the spring after the war"],
    descriptions: [
      "A small English parish where the war memorial lists too many names and the old families still own the land.",
      "A market town of solicitors, churchwardens and long memories, an hour by branch line from anywhere.",
      "A quiet valley of farms and one great house, where respectability is the last thing anyone will give up.",
    ],
  },
  professions: ["detective inspector", "doctor", "solicitor", "schoolteacher", "vicar", "housekeeper", "journalist", "chemist", "postmistress", "gardener", "police constable", "bookseller", "nurse", "land agent"],
  centres: ["the death of the old colonel", "the missing ledger", "the poisoned decanter", "the forged will", "the woman in the lake", "the stolen Fabergé egg"],
  threats: ["the murderer", "a blackmailer", "the Chief Constable", "the family's lawyers", "the anonymous letter-writer"],
  incidents: ["a body is found at {place} and {centre} begins", "an anonymous letter about {centre} arrives at {place}", "a guest at {place} collapses at dinner, and {centre} follows", "the dogs find something at {place} that points to {centre}"],
  stakes: ["an innocent man hangs", "the killer strikes again", "the family name is ruined for good", "the truth is buried with the next funeral"],
  secrets: ["who changed the will", "where the colonel went on the night of the storm", "the child nobody speaks of", "the real reason the doctor left London", "who bought the arsenic from the chemist"],
  themes: ["the lies respectable people tell", "justice against mercy", "what a small community will forgive", "the past refusing to stay buried", "class and who is believed", "the cost of knowing the truth"],
  motifs: ["a stopped clock", "ink stains", "lilies", "rain on windows", "a missing glove", "church bells", "the smell of almonds", "a locked drawer"],
  rules: [
    "The inspector must have evidence a jury would accept; a hunch hangs no one.",
    "Every suspect was in the house on the night it happened.",
    "The post, the telephone exchange and the pub carry news faster than the police.",
    "Nobody in the village speaks ill of the dead before the funeral.",
  ],
  culture: [
    "The big house still expects the village to stand when the family enters church.",
    "Sunday lunch is sacred, and a visit during it is an insult.",
    "The Women's Institute knows more than the parish council and says less.",
    "Outsiders are polite strangers for twenty years before they are neighbours.",
    "Wills are read aloud in the library, and the whole family attends.",
  ],
  senses: {
    sounds: ["the tick of the hall clock", "the drum of rain on the conservatory glass", "the sound of a gramophone in another room", "the crunch of tyres on gravel", "the church bell striking the hour", "the rattle of teacups", "the bark of a dog in the stable yard"],
    smells: ["pipe tobacco", "furniture polish", "damp tweed", "lavender water", "coal smoke", "old paper", "boiled cabbage"],
    lights: ["the yellow light of the reading lamp", "a grey afternoon light", "the glow of the fire", "a single bulb on a flex", "the last red light over the hills"],
    textures: ["the cold brass of the door handle", "the worn velvet of the armchair", "the gritty gravel underfoot", "the smooth mahogany of the desk", "the damp stone of the porch"],
    weather: ["a steady drizzle", "a thick fog off the water meadows", "a bitter east wind", "a sudden summer storm", "a heavy, airless heat"],
  },
  props: ["a pocket notebook", "a railway timetable", "a silver cigarette case", "a torn envelope", "a bunch of keys", "a cup of cold tea", "a magnifying glass", "a crumpled telegram"],
  titles: {
    nouns: ["Clock", "Lilies", "Ledger", "Decanter", "Glove", "Will", "Vicarage", "Crypt", "Alibi", "Letter", "Lake", "Inquest", "Key", "Portrait", "Fog", "Verdict", "Shadow", "Stair", "Telegram", "Witness"],
    adjectives: ["Stopped", "Missing", "Poisoned", "Quiet", "Locked", "Last", "False", "Silent", "Borrowed", "Crooked", "Hidden", "Cold"],
  },
  oaths: ["Good Lord", "Heavens", "Oh, for goodness' sake", "Damn it"],
};
