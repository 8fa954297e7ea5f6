/**
 * The small amount of English grammar the offline writer needs: verb forms
 * for the verbs its prose uses, articles, capitals and numbers in words.
 */

/** Irregular verbs: base → [past, past participle]. */
const IRREGULAR: Readonly<Record<string, readonly [string, string]>> = {
  be: ["was", "been"],
  have: ["had", "had"],
  do: ["did", "done"],
  go: ["went", "gone"],
  come: ["came", "come"],
  see: ["saw", "seen"],
  know: ["knew", "known"],
  think: ["thought", "thought"],
  take: ["took", "taken"],
  make: ["made", "made"],
  say: ["said", "said"],
  tell: ["told", "told"],
  feel: ["felt", "felt"],
  find: ["found", "found"],
  give: ["gave", "given"],
  stand: ["stood", "stood"],
  sit: ["sat", "sat"],
  hold: ["held", "held"],
  keep: ["kept", "kept"],
  begin: ["began", "begun"],
  bring: ["brought", "brought"],
  hear: ["heard", "heard"],
  lead: ["led", "led"],
  mean: ["meant", "meant"],
  run: ["ran", "run"],
  rise: ["rose", "risen"],
  speak: ["spoke", "spoken"],
  draw: ["drew", "drawn"],
  grow: ["grew", "grown"],
  throw: ["threw", "thrown"],
  wear: ["wore", "worn"],
  wake: ["woke", "woken"],
  catch: ["caught", "caught"],
  fall: ["fell", "fallen"],
  forget: ["forgot", "forgotten"],
  hide: ["hid", "hidden"],
  kneel: ["knelt", "knelt"],
  lie: ["lay", "lain"],
  sleep: ["slept", "slept"],
  sweep: ["swept", "swept"],
  strike: ["struck", "struck"],
  understand: ["understood", "understood"],
  shake: ["shook", "shaken"],
  break: ["broke", "broken"],
  choose: ["chose", "chosen"],
  fight: ["fought", "fought"],
  get: ["got", "got"],
  send: ["sent", "sent"],
  spend: ["spent", "spent"],
  leave: ["left", "left"],
  lose: ["lost", "lost"],
  meet: ["met", "met"],
  pay: ["paid", "paid"],
  buy: ["bought", "bought"],
  win: ["won", "won"],
  sink: ["sank", "sunk"],
  drink: ["drank", "drunk"],
  ring: ["rang", "rung"],
  write: ["wrote", "written"],
  ride: ["rode", "ridden"],
  drive: ["drove", "driven"],
  steal: ["stole", "stolen"],
  hang: ["hung", "hung"],
  stick: ["stuck", "stuck"],
  shine: ["shone", "shone"],
  light: ["lit", "lit"],
  bend: ["bent", "bent"],
  build: ["built", "built"],
  creep: ["crept", "crept"],
  slide: ["slid", "slid"],
  fly: ["flew", "flown"],
  blow: ["blew", "blown"],
  eat: ["ate", "eaten"],
  stride: ["strode", "strode"],
  flee: ["fled", "fled"],
  swing: ["swung", "swung"],
  dig: ["dug", "dug"],
  seek: ["sought", "sought"],
  weep: ["wept", "wept"],
  shut: ["shut", "shut"],
  lay: ["laid", "laid"],
  forgive: ["forgave", "forgiven"],
  let: ["let", "let"],
  put: ["put", "put"],
  set: ["set", "set"],
  spread: ["spread", "spread"],
  swear: ["swore", "sworn"],
  bleed: ["bled", "bled"],
};

/** Regular verbs the prose uses; their forms follow the spelling rules below. */
const REGULAR = (
  "look turn walk wait watch open close start stop nod smile laugh sigh shrug pause reach touch pull push lift move step " +
  "climb cross follow listen notice glance stare gaze wonder want need try seem appear remember realise decide answer ask " +
  "reply whisper murmur mutter call shout frown lean rest press place carry hurry knock enter return stay check count " +
  "fold rub tap trace study search gather settle fill pour drift flicker shiver tremble swallow breathe blink grin wince " +
  "flinch hesitate linger wander stroll trudge amble stumble slip drop grip clutch grab tug twist straighten brush smooth " +
  "rattle creak echo hum crackle hiss drip smell taste sound sense guess hope fear doubt love hate miss kiss learn burn " +
  "dream promise agree refuse admit insist add explain warn offer accept demand arrive vanish belong matter happen help " +
  "save lock unlock seal wrap wipe curl loosen tighten soften darken fade glow gleam glint flash sway roll spill crowd " +
  "hover stiffen relax nudge gesture point wave consider weigh imagine picture recall recognise pretend manage fail plan " +
  "examine rush race chase cover face scan work worry tuck snap mark dust shift stretch clear jump kick glare huddle " +
  "squeeze soak steady smoke bow knot dare struggle trail scrape scratch ache ignore stir rap blur cool warm smudge swirl " +
  "tilt lower raise fiddle fumble steer blush sniff mouth deny produce confess escape pick exhale mind suit file show " +
  "regret expect ease allow care pace believe change complain deserve die dry drum empty end finish fix flick flush " +
  "frighten hunch like live mention name narrow outlive part pass peer pinch practise prepare rehearse remark square " +
  "suggest summon suspect talk test trust unfold waver wish wrap vow bury borrow clasp unclasp drag fasten uncross recross"
).split(" ");

/** Short verbs that double their last consonant (nod → nodded). */
const DOUBLING = new Set(["stop", "nod", "step", "grin", "slip", "drop", "grip", "grab", "tug", "tap", "rub", "plan", "admit", "hum", "snap", "stir", "rap", "blur", "shrug", "regret", "drum", "wrap", "drag"]);

export function pastOf(base: string): string {
  const irregular = IRREGULAR[base];
  if (irregular) return irregular[0];
  if (DOUBLING.has(base) && !base.endsWith("e")) return `${base}${base.slice(-1)}ed`;
  if (base.endsWith("e")) return `${base}d`;
  if (/[^aeiou]y$/.test(base)) return `${base.slice(0, -1)}ied`;
  return `${base}ed`;
}

/** The present-tense form after he, she, it or a name. */
export function thirdPersonOf(base: string): string {
  if (base === "be") return "is";
  if (base === "have") return "has";
  if (/(s|sh|ch|x|z|o)$/.test(base)) return `${base}es`;
  if (/[^aeiou]y$/.test(base)) return `${base.slice(0, -1)}ies`;
  return `${base}s`;
}

/** Past form → base form, for every verb the prose uses. */
export const BASE_OF_PAST: ReadonlyMap<string, string> = new Map([
  ...REGULAR.map((base) => [pastOf(base), base] as const),
  ...Object.keys(IRREGULAR).map((base) => [pastOf(base), base] as const),
  ["were", "be"],
]);

export function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** "a" or "an" before a word, by its first sound as well as a spelling rule can tell. */
function articleFor(word: string): "a" | "an" {
  return /^(?:[aeio]|u(?!ni|se|su|ro)|hour|honest|heir)/i.test(word) ? "an" : "a";
}

export function withArticle(noun: string): string {
  return `${articleFor(noun)} ${noun}`;
}

/** A name or place used mid-sentence: "The Old Mill" becomes "the Old Mill". */
export function inSentence(name: string): string {
  return name.startsWith("The ") ? `the ${name.slice(4)}` : name;
}

const UNITS = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"];
const TENS = ["", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"];

/** 0–99 in words ("forty-two"); larger numbers stay in digits. */
export function numberInWords(value: number): string {
  if (!Number.isInteger(value) || value < 0 || value > 99) return String(value);
  if (value < 20) return UNITS[value] ?? String(value);
  const tens = TENS[Math.floor(value / 10)] ?? "";
  const unit = value % 10;
  return unit === 0 ? tens : `${tens}-${UNITS[unit] ?? ""}`;
}

/** The inverse of numberInWords, also reading digits; null for anything else. */
export function parseNumber(text: string): number | null {
  const lower = text.toLowerCase();
  if (/^\d+$/.test(lower)) return Number(lower);
  const [tensWord, unitWord] = lower.split("-");
  const unitIndex = UNITS.indexOf(lower);
  if (unitIndex >= 0) return unitIndex;
  const tensIndex = TENS.indexOf(tensWord ?? "");
  if (tensIndex < 2) return null;
  if (unitWord === undefined) return tensIndex * 10;
  const unit = UNITS.indexOf(unitWord);
  return unit > 0 && unit < 10 ? tensIndex * 10 + unit : null;
}

/** The pattern numberInWords and digits match, for use inside larger regular expressions. */
export const NUMBER_PATTERN = `(?:\\d{1,3}|(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:-(?:one|two|three|four|five|six|seven|eight|nine))?|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|ten|one|two|three|four|five|six|seven|eight|nine)`;
