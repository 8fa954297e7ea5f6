import type { GenreKit } from "./kit";

export const thriller: GenreKit = {
  key: "thriller",
  label: "thriller",
  names: {
    female: ["Kate", "Alexa", "Dana", "Elena", "Farah", "Gemma", "Hana", "Jess", "Katya", "Leila", "Mira", "Nina", "Paige", "Renata", "Sasha", "Tess", "Vera", "Zoe", "Carmen", "Ingrid", "Lucia", "Marta", "Noemi", "Petra"],
    male: ["Jack", "Adam", "Cole", "Declan", "Erik", "Frank", "Grant", "Hugo", "Ivan", "Julian", "Karl", "Luca", "Marcus", "Nate", "Omar", "Pavel", "Ryan", "Simon", "Tariq", "Wade", "Anton", "Bruno", "Dominic", "Stefan"],
    family: ["Mercer", "Calloway", "Brandt", "Keller", "Sokolov", "Harlan", "Decker", "Moreau", "Vidal", "Kessler", "Lindgren", "Ortega", "Radcliffe", "Serrano", "Thorpe", "Varga", "Whitaker", "Zeller", "Navarro", "Hale", "Strand", "Fischer", "Asante", "Rourke"],
  },
  townParts: {
    first: ["Berlin", "Lisbon", "Vienna", "Marseille", "Istanbul", "Prague", "Tangier", "Geneva", "Rotterdam", "Trieste", "Budapest", "Naples"],
    second: [""],
  },
  places: [
    { pattern: "The Safe House in {town}", description: "A fourth-floor flat with two exits, blackout curtains and a refrigerator holding nothing but batteries.", features: ["the blackout curtains", "the back stairwell", "the kitchen table", "the bolted door"] },
    { pattern: "{town} Central Station", description: "A cavernous station of departure boards and pickpockets, the easiest place in the city to be nobody.", features: ["the departure board", "the left-luggage lockers", "the platform café", "the taxi rank"] },
    { pattern: "The Embassy in {town}", description: "A stucco embassy behind iron railings, polite by day and very busy at night.", features: ["the security desk", "the cipher room", "the courtyard", "the ambassador's study"] },
    { pattern: "The Harbourside Warehouse", description: "A rusting customs warehouse where containers arrive with the wrong manifests and leave before dawn.", features: ["the loading bay", "the container stacks", "the foreman's office", "the crane gantry"] },
    { pattern: "The Hotel Excelsior", description: "A grand old hotel where the concierge keeps a second register and the bar never asks names.", features: ["the revolving door", "the bar", "the service lift", "the fifth-floor corridor"] },
    { pattern: "The Vantage Building", description: "A glass tower housing a private intelligence firm with better satellites than most governments.", features: ["the server floor", "the atrium", "the executive suite", "the underground car park"] },
    { pattern: "The Old Town", description: "A maze of stepped lanes and courtyards, full of cameras no one admits to owning.", features: ["the cathedral steps", "the market arcade", "the narrow lane", "the tram stop"] },
    { pattern: "The Lakeside Villa", description: "A shuttered villa on the lake, owned through seven shell companies and guarded by men in good suits.", features: ["the boathouse", "the terrace", "the gatehouse", "the cellar"] },
  ],
  setting: {
    patterns: ["{town} and the cities of the old border", "the European underground", "a divided {town}"],
    eras: ["the present day", "the winter the markets crashed", "the months after the summit", "an election year"],
    descriptions: [
      "A Europe of open borders and closed doors, where information is the only currency that keeps its value.",
      "A few ancient cities stitched together by night trains, private jets and data nobody should have.",
      "A world of contractors, fixers and deniable operations, where every ally is on loan.",
    ],
  },
  professions: ["intelligence officer", "journalist", "hacker", "forensic accountant", "bodyguard", "diplomat", "defence lawyer", "surgeon", "translator", "police detective", "courier", "security consultant"],
  centres: ["the Vantage files", "the missing witness", "the stolen drive", "the list of names", "the ledger of payments", "the defector's evidence"],
  threats: ["the Consortium", "a contract killer called the Tailor", "the deputy director", "Kessler's private army", "someone inside the Service"],
  incidents: ["a courier carrying {centre} is shot outside {place}", "{centre} goes missing from a locked room in {place}", "an old contact calls from {place} to sell {centre}", "a bomb at {place} destroys everything except {centre}"],
  stakes: ["the names on the list are killed one by one", "the election is bought outright", "an innocent analyst takes the blame", "the Consortium walks away clean"],
  secrets: ["who burned the Lisbon network", "the real owner of the shell companies", "what happened on the Trieste operation", "who authorised the second transfer", "the informant's true name"],
  themes: ["trust as a weapon", "the price of loyalty to an institution", "the truth and who gets to own it", "what violence does to the people who use it", "surveillance and privacy", "the ordinary people behind great events"],
  motifs: ["a ticking watch", "burner phones", "rain on neon", "mirrors", "a red thread", "train whistles", "fingerprints", "a child's photograph"],
  rules: [
    "Every phone is a microphone, and every camera is somebody's.",
    "Nobody is extracted without a signed order, and orders can be delayed.",
    "The Service denies everything and protects no one who gets caught.",
    "Money moves faster than people, and leaves a trail that people do not.",
  ],
  culture: [
    "Operatives meet in public, never twice in the same place.",
    "A favour owed is the strongest currency in the trade.",
    "Nobody uses their real name, and nobody asks.",
    "The old hands still use dead drops, and laugh at anyone who trusts encryption.",
  ],
  senses: {
    sounds: ["the wail of a distant siren", "the hiss of traffic on wet asphalt", "the chime of an arriving lift", "the beat of a helicopter somewhere overhead", "the buzz of a phone on the table", "the rattle of a passing tram", "the sound of footsteps in the stairwell"],
    smells: ["diesel fumes", "cheap cologne", "wet concrete", "espresso", "gun oil", "cigarette smoke", "the sea"],
    lights: ["the glare of a phone screen", "the orange wash of the streetlights", "the flicker of a dying fluorescent tube", "the sweep of headlights across the ceiling", "the grey light of dawn"],
    textures: ["the cold steel of the railing", "the slick leather of the car seat", "the grit of the windowsill", "the smooth glass of the table", "the rough concrete of the wall"],
    weather: ["a hard, slanting rain", "a freezing fog", "a heavy summer heat", "a wind off the harbour", "an early dusk"],
  },
  props: ["a burner phone", "a flash drive", "a folded passport", "a pair of hotel keycards", "a paper coffee cup", "a pistol with the serial filed off", "an envelope of cash", "a set of car keys"],
  titles: {
    nouns: ["Extraction", "Cipher", "Handler", "Asset", "Border", "Blackout", "Crossfire", "Signal", "Cover", "Exit", "Trigger", "Deadline", "Burn", "Witness", "Ledger", "Safehouse", "Shadow", "Transfer", "Protocol", "Countdown"],
    adjectives: ["Cold", "Black", "Clean", "Deniable", "Last", "Silent", "Burned", "Double", "Hard", "Final", "Open", "Blind"],
  },
  oaths: ["Christ", "Hell", "Damn it", "For God's sake"],
};
