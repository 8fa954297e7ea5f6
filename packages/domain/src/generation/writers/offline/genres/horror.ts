import type { GenreKit } from "./kit";

export const horror: GenreKit = {
  key: "horror",
  label: "horror",
  names: {
    female: ["Abigail", "Bridget", "Constance", "Delia", "Evangeline", "Hattie", "Lenore", "Mercy", "Ophelia", "Rachel", "Sarah", "Temperance", "Agnes", "Miriam", "Ruth", "Lydia", "Eliza", "Martha", "Nell", "Verity", "Cordelia", "Jane", "Esther", "Honor"],
    male: ["Silas", "Abel", "Caleb", "Ezekiel", "Gideon", "Isaac", "Josiah", "Levi", "Micah", "Nathaniel", "Obadiah", "Samuel", "Thaddeus", "Virgil", "Amos", "Elias", "Jonas", "Lucius", "Owen", "Simeon", "Walter", "Henry", "Cyrus", "Edmund"],
    family: ["Ashgrove", "Blackwell", "Crane", "Dunmore", "Ebbing", "Fairchild", "Graves", "Hollins", "Ivers", "Kettering", "Lamb", "Mordaunt", "Nightingale", "Pike", "Rook", "Sallow", "Thatcher", "Vane", "Wick", "Yates", "Corbin", "Harrow", "Locke", "Marsden"],
  },
  townParts: {
    first: ["Hollow", "Black", "Gallows", "Raven", "Cinder", "Widow", "Sorrow", "Mourn", "Crow", "Dark"],
    second: [" Creek", "water", " Hill", "field", "moor", " End"],
  },
  places: [
    { pattern: "{town}", description: "A shrinking mill town in a river valley, where the church bells are rung every dusk and nobody says why.", features: ["the main street", "the shuttered mill", "the bridge", "the churchyard"] },
    { pattern: "The Ashgrove House", description: "A tall, sagging house at the end of the lane, empty for forty years and never quite silent.", features: ["the staircase", "the nursery", "the locked door on the landing", "the cellar steps"] },
    { pattern: "The {town} Chapel", description: "A deconsecrated chapel on the hill, its windows bricked up from the inside.", features: ["the altar", "the bricked-up windows", "the bell rope", "the crypt door"] },
    { pattern: "The Old Mill", description: "A dead cotton mill by the weir, its wheel still turning on nights without wind.", features: ["the mill wheel", "the loom floor", "the weir", "the foreman's stair"] },
    { pattern: "The {town} Asylum", description: "A red-brick asylum closed after the fire, its records supposedly destroyed.", features: ["the admissions hall", "the burnt wing", "the day room", "the records office"] },
    { pattern: "The Woods Above {town}", description: "Dense pine woods where the paths move and the hunters leave offerings on the stumps.", features: ["the clearing", "the marked stump", "the dry well", "the hunting hide"] },
    { pattern: "The Parsonage", description: "A cold stone parsonage, its study lined with the journals of seven dead ministers.", features: ["the study", "the kitchen", "the back garden", "the attic"] },
    { pattern: "The General Store", description: "The last open shop in town, where the owner sells salt by the sack and asks no questions.", features: ["the counter", "the back room", "the porch", "the stockroom"] },
  ],
  setting: {
    patterns: ["the valley of {town}", "{town} and the hills around it", "the parish of {town}"],
    eras: ["the autumn of 1893", "the present day", "the dry summer of 1976", "the winter after the mill closed"],
    descriptions: [
      "An isolated valley town that has shrunk by half in a generation and does not talk about the ones who left.",
      "A poor hill parish of stone farms and older customs, where the church is new and the graves are not.",
      "A river town built on a bargain its founders made, and the bill has come due.",
    ],
  },
  professions: ["schoolteacher", "priest", "nurse", "photographer", "historian", "mill worker", "sheriff", "doctor", "gravedigger", "folklorist", "caretaker", "librarian"],
  centres: ["the thing in the cellar", "the missing children", "the Ashgrove house", "the drowned bell", "the journal of the first minister", "the town's old bargain"],
  threats: ["the thing beneath the house", "the Widow", "the congregation", "the thing in the woods", "the founder's ghost"],
  incidents: ["a child disappears near {place}, and talk turns to {centre}", "a new tenant moves into {place} and wakes {centre}", "the floods uncover a grave at {place} tied to {centre}", "the bells at {place} ring on their own, as they did before {centre}"],
  stakes: ["another child is taken", "the town is swallowed by what it buried", "the protagonist joins the ones who never left", "the bargain is renewed in blood"],
  secrets: ["what the founders promised", "who was really buried in the Ashgrove plot", "why the mill closed", "what the minister saw in the cellar", "the names struck from the parish register"],
  themes: ["the sins of the fathers", "grief that will not let go", "the cost of belonging", "faith and its failures", "what a community will sacrifice to survive", "the horror of being unbelieved"],
  motifs: ["bells", "black water", "moths", "a child's song", "salt lines", "scratching in the walls", "a locked door", "dead flowers"],
  rules: [
    "Salt across a threshold keeps it out, but only if no one inside invites it in.",
    "It only comes in the hours between the last bell and first light.",
    "The dead answer to their names, so the town does not say them.",
    "What is taken into the woods is never given back whole.",
  ],
  culture: [
    "Every house keeps a bowl of salt by the door, and nobody calls it superstition.",
    "Children are taught not to answer if they hear their name called from outside after dark.",
    "The church bells are rung every dusk, a custom older than the church.",
    "Strangers are welcome, and watched.",
  ],
  senses: {
    sounds: ["a slow dripping somewhere below", "the creak of a floorboard overhead", "the wind worrying at the shutters", "a scratching behind the plaster", "a bell tolling in the valley", "the tick of a cooling stove", "a child humming, very far away"],
    smells: ["damp earth", "mildew", "cold ashes", "candle wax", "something sweet and rotten", "wet stone", "old lilies"],
    lights: ["the thin grey light of the window", "the wavering light of a candle", "a guttering lantern", "the blue of early dusk", "moonlight on the floorboards"],
    textures: ["the cold, sweating wall", "the splintered banister", "the damp wallpaper", "the slick stone of the step", "the rough rope of the bell"],
    weather: ["a cold rain", "a fog that came down off the hills", "a wind that never quite stopped", "a heavy, waiting stillness", "the first frost"],
  },
  props: ["a brass lantern", "a family Bible", "a box of matches", "a rusted key", "a photograph with a face scratched out", "a jar of salt", "a child's shoe", "a pocket watch that had stopped"],
  titles: {
    nouns: ["Bell", "Cellar", "Hollow", "Widow", "Woods", "Salt", "Hymn", "Wake", "Grave", "Threshold", "Dusk", "Door", "Moths", "Water", "Bargain", "Silence", "Lantern", "Mill", "Cradle", "Bones"],
    adjectives: ["Black", "Drowned", "Hungry", "Last", "Quiet", "Empty", "Buried", "Cold", "Forsaken", "Small", "Unquiet", "Long"],
  },
  oaths: ["God help us", "Lord", "Christ", "God in heaven"],
};
