import type { GenreKit } from "./kit";

export const fantasy: GenreKit = {
  key: "fantasy",
  label: "fantasy",
  names: {
    female: ["Maren", "Isolde", "Wren", "Sefa", "Brannagh", "Corra", "Eluned", "Fenna", "Halla", "Jessamy", "Liraen", "Morwen", "Nerys", "Oriel", "Rhosyn", "Tamsin", "Ysolt", "Aveline", "Gwenna", "Odile", "Selka", "Vanya", "Ilsabet", "Kerra"],
    male: ["Tomas", "Aldric", "Bran", "Cadoc", "Dorran", "Emrys", "Gareth", "Hakon", "Idris", "Jory", "Kestor", "Lucan", "Madoc", "Osric", "Piran", "Rhun", "Severin", "Teodor", "Ulric", "Varro", "Wystan", "Fenwick", "Anselm", "Berengar"],
    family: ["Quill", "Ashby", "Thorne", "Vance", "Marlow", "Greaves", "Holloway", "Kestrel", "Blackwood", "Carrow", "Deverell", "Fairweather", "Gallen", "Harrowgate", "Iverson", "Lockhart", "Morrow", "Penhallow", "Ravensworth", "Stroud", "Tallis", "Underhill", "Wexley", "Yarrow"],
  },
  townParts: {
    first: ["Ash", "Bram", "Cold", "Dun", "Elder", "Fen", "Grey", "Hollow", "Iron", "Kes", "Lorn", "Mar", "Oak", "Rook", "Salt", "Thorn", "Vey", "Wyn", "Gall", "Stan"],
    second: ["mere", "ford", "wick", "holt", "haven", "gate", "moor", "stead", "fell", "by", "dale", "marsh"],
  },
  places: [
    { pattern: "{town}", description: "A walled river town of tanneries and toll bridges, loyal to whoever last paid its garrison.", features: ["the toll bridge", "the market cross", "the tannery yards", "the river stairs"] },
    { pattern: "{town} Keep", description: "An old border fortress, half of it fallen in, where the lord's steward still keeps the rolls.", features: ["the gatehouse", "the great hall", "the broken tower", "the chapel of the keep"] },
    { pattern: "The Harbour at {town}", description: "A grey harbour crowded with fishing boats and smugglers' cogs, where news from the south lands first.", features: ["the long quay", "the net sheds", "the harbour wall", "the customs house"] },
    { pattern: "The Wolf and Lantern", description: "A crooked inn on the drovers' road whose landlord sells rooms, ale and secrets in that order.", features: ["the hearth", "the back stair", "the corner table", "the taproom"] },
    { pattern: "{town} Abbey", description: "A library abbey on a cold hill, where the archivist-monks copy what the crown would rather forget.", features: ["the scriptorium", "the cloister", "the bell tower", "the herb garden"] },
    { pattern: "The {town} Wood", description: "An old forest the charcoal burners will not enter after dark, older than any road through it.", features: ["the charcoal clearing", "the standing stone", "the stream crossing", "the hollow oak"] },
    { pattern: "The Salt Road", description: "The worn trade road between the coast and the capital, lined with waystones and gibbets.", features: ["the waystone", "the ditch", "the ruined shrine", "the ford"] },
    { pattern: "The Palace of {town}", description: "The regent's palace, all mirrors and guarded doors, where every courtier is somebody's spy.", features: ["the mirrored gallery", "the guarded doors", "the council chamber", "the kitchen passage"] },
  ],
  setting: {
    patterns: ["the Kingdom of {town}", "the Free Cities of the {town} Coast", "the Marches of {town}", "the Principality of {town}"],
    eras: ["the ninth year of the Regency", "the long winter after the Sundering", "the last years of the Old Crown", "the age of the Warden Kings"],
    descriptions: [
      "A cold northern realm of river towns and border keeps, where the old magic is outlawed and remembered anyway.",
      "A quarrelling patchwork of lordships held together by trade roads, tithe bells and an ageing regent.",
      "A kingdom rebuilt on the bones of an older one, whose ruins still hum on certain nights.",
    ],
  },
  professions: ["cartographer", "blacksmith", "herbalist", "archivist", "ferrywoman", "smuggler", "knight", "apothecary", "scribe", "falconer", "mercenary", "innkeeper", "stonemason", "priest"],
  centres: ["the Ember Crown", "the lost heir", "the Warden's Key", "the Book of Ashes", "the sleeping dragon's egg", "the true map of the Marches"],
  threats: ["the regent's wardens", "the Ashen Order", "the Grey Company", "the witch-finders", "the Hollow King's riders"],
  incidents: ["{centre} vanishes from the vaults of {place}", "a dying courier brings word of {centre} to {place}", "{centre} is found in the ruins near {place}", "the regent's wardens burn {place} searching for {centre}"],
  stakes: ["the old war begins again", "the regent takes the throne for good", "the Marches fall to famine", "the last of the old magic dies"],
  secrets: ["the true line of succession", "what happened at the burning of the abbey", "who opened the gates during the siege", "the name written on the sealed warrant", "where the tithe silver really went"],
  themes: ["loyalty and what it costs", "the weight of inheritance", "power and the people it is used on", "the stories a kingdom tells about itself", "mercy as a kind of courage", "home as something chosen"],
  motifs: ["salt", "a cracked bell", "ravens", "keys", "candle smoke", "a broken sword", "the turning of the tide", "snow"],
  rules: [
    "Magic is paid for in memory: every working takes something the caster will not get back.",
    "Oaths sworn on iron bind the swearer until death or release.",
    "Only the crown may hold a sealed warrant, and only a sealed warrant opens the royal vaults.",
    "No one crosses the old forest after dark and comes out the same.",
    "The abbeys are neutral ground; blood spilled there is a crime against every house.",
  ],
  culture: [
    "Debts are recorded in knotted cords, and a cut cord is a declaration of feud.",
    "Travellers leave a coin at every waystone for the dead who built the road.",
    "The winter feast of Long Night is the one day a servant may speak plainly to a lord.",
    "Names are half-secret: most people go by a trade-name outside their own family.",
    "Bells mark every hour, and their silence means fire, plague or war.",
  ],
  senses: {
    sounds: ["the creak of a cart wheel", "the bark of a dog somewhere below", "the distant toll of a bell", "the hiss of rain on the thatch", "the clatter of hooves in the yard", "the crack of a log settling in the fire", "the cry of gulls over the water", "the sound of a lute from another room"],
    smells: ["woodsmoke", "wet wool", "tallow and old rushes", "horse sweat and leather", "salt and tar", "baking bread", "pine resin", "river mud"],
    lights: ["the grey light through the shutters", "the red glow of the hearth", "a single tallow candle", "thin winter sunlight", "the last of the daylight", "the lantern by the door"],
    textures: ["the cold iron of the latch", "the rough grain of the table", "the smooth stone of the wall", "the damp wool of a cloak", "the worn leather of a saddlebag"],
    weather: ["a thin rain", "a cold wind off the hills", "a low fog from the river", "the first snow of the year", "a hard frost"],
  },
  props: ["a tarnished compass", "a sealed letter", "the map case", "a horn cup", "a ring of iron keys", "a dagger with a wrapped hilt", "a purse of clipped silver", "a stub of candle"],
  titles: {
    nouns: ["Crown", "Ashes", "Keep", "Oath", "Raven", "Tide", "Lantern", "Road", "Warden", "Winter", "Bell", "Blade", "Ford", "Vault", "Embers", "Frost", "Thorn", "Heir", "Wolf", "Abbey"],
    adjectives: ["Broken", "Silent", "Iron", "Hollow", "Burning", "Last", "Sealed", "Drowned", "Grey", "Long", "Black", "Forgotten"],
  },
  oaths: ["Gods", "Saints preserve us", "By the old stones", "Blood and ashes"],
};
