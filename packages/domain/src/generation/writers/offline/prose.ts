import type { GenreKey, GenreKit } from "./genres";
import { Grammar, type RuleTable } from "./grammar";

/**
 * The grammar the offline writer builds its scenes from (see grammar.ts for
 * the notation). Every top-level rule yields exactly one sentence, so that
 * no two sentences of a book are the same (two sentences from one rule
 * always differ somewhere); a rule may add a sentence of 20 characters or
 * fewer ("Not here."), which a book may repeat.
 *
 * Narration is written in the past tense (the voice pass moves a
 * present-tense book into the present). It never names a time of day after
 * the scene's opening phrase, never says where a cast member is, and never
 * states a cast member's age, eyes or trade outside the lines made for
 * that, because the continuity audit reads those back.
 *
 * Narration slots: {P} {Po} {Pp} {Pr} the point-of-view character as
 * subject, object, possessive and reflexive (a name or a pronoun, whichever
 * reads clearly); {Q} {Qo} {Qp} the scene partner likewise, {Qn} the
 * partner's name; {X} an absent character; {place} {elsewhere} {feature};
 * {centre} {threat} {secret} {prop}; {goal}; {daypart}; {relation}; {eyes}
 * {age} {job} the partner's facts; {Time} the scene's opening phrase;
 * {memory} an earlier event's name, {memoryWho} who it concerns,
 * {memoryWhere} where it happened; {event} what the scene introduces, as
 * first described, {eventWho} and {eventWhere}; {minor} a minor figure.
 *
 * Speech slots: {L} the listener's name, {oath}, and the story slots above.
 * Beat slots: {S} {Sp} {Sr} the speaker, {Lo} {Lp} the listener.
 *
 * The kit's senses are rules: <sound> <smell> <smells> (two different
 * smells) <light> <texture> <weather>.
 */
const RULES: RuleTable = {
  // ----- openings: the first sentence of a scene, after its time phrase -----
  opening: [
    "{Time}, <weather> [had settled over|hung over|had come down on] {place}; <empty_streets>.",
    "{Time}, {place} smelled of <smell>[, and of something [older|staler|sharper|sweeter] underneath| more strongly than {P} remembered|, as it always did after rain|, which {P} had somehow forgotten].",
    "{Time}, <light> [lay across|fell on|picked out] {feature}; {place} was [quieter|emptier|colder|busier] than {P} [had expected|had hoped|liked].",
    "{Time}, {P} [went back to|came back to|made {Pp} way to] {place}[, because there was nowhere else left to [go|try|ask]|, against {Pp} better judgement|, for the second time in as many days|, with {prop} and not much of a plan].",
    "{Time}, <sound> was the first thing {P} [noticed|heard] [at|on reaching|on the way into] {place}[, unrelenting|, the last thing {P} wanted to hear|].",
    "{Time}, {P} [came|arrived] at {place} [tired|hungry|wet through|out of breath|sore in every joint][, and in no mood for company|, already regretting it|, with nothing to show for the day so far].",
    "{Time}, {P} found {place} [exactly|much|almost] as {P} remembered it[, which was somehow the worst of it|, and did not trust that for a moment|, down to <texture>].",
    "{Time}, {P} [stood|waited|lingered] [for a while|a long time|a little too long] [outside|at the edge of|across the way from] {place} before [going in|making up {Pp} mind|anyone noticed].",
    "{Time}, there was <weather> over {place}[, though nobody was out in it who did not have to be|, but {P} was out in it anyway|, the kind that found every gap in a coat].",
    "{Time}, {place} [wore|had put on] its [usual|everyday|least welcoming] face: {feature}, <light>, the smell of <smell>.",
    "{Time}, {P} [reached|got to] {place} [a little later than planned|before anyone else|with time to spare|by the long way round], [still thinking about {X}|still turning over {centre}|with {prop} in {Pp} coat|watching every doorway].",
    "{Time}, {P} [slipped into|let {Pr} into|walked into] {place} [unannounced|like a latecomer at a funeral|without knocking], <light> [at {Pp} back|on {Pp} heels|spilling in behind {Po}].",
  ],
  empty_streets: [
    "the [streets|lanes|yards|passages] [were empty|had emptied early|belonged to the [crows|cats|wind]]",
    "nobody [lingered|stayed out] who had anywhere [warmer|better] to be",
    "every [door|shutter|window] [was|stood] shut against it",
  ],

  // ----- the point-of-view character arriving and taking in the place -----
  arrival: [
    "{P} [stood|paused|waited] [for a moment|a while|a little] by {feature}[ and let {Pp} eyes adjust|, listening for [footsteps|voices|anything out of place]|, getting {Pp} bearings].",
    "Nobody looked up when {P} came in[, which was something|, and that suited {Po} [well enough|perfectly|for once]|, not even [the dog|the cat|whoever was behind {feature}]].",
    "{P} [crossed to|made for|drifted toward] {feature} [without hurrying|as if nothing was wrong|like someone with every right to be there|with {Pp} collar up].",
    "The place was [smaller|shabbier|darker|colder] than {P} remembered[, and meaner in every corner|, though it had not been large to begin with|, or {P} had grown].",
    "{P} had been here [once|twice|a long time ago] before[, and had hoped never to come back|, with {X}, in better days|, and remembered almost none of it].",
    "It was the kind of place where people minded their own business, which suited {Po} [well enough|perfectly|for once|better than {P} would have admitted].",
    "{P} [brushed|shook] the [damp|dust|cold] from {Pp} [sleeves|coat|shoulders] and looked around[, taking stock|, counting the ways out|, slowly].",
    "{P} took in {feature}, <light>, the [long|narrow|crooked] shadows and the [silence|stillness] that came with them.",
    "{P} made a slow circuit of {feature}[, touching nothing|, hands in {Pp} pockets|, reading the room the way {X} had taught {Po}].",
    "The whole place [was very still|held its breath|seemed to be waiting][, as if it knew something {P} did not|, which {P} did not like|, which was never a good sign].",
    "{P} [found|took] a place by {feature} where [the light was poor|nobody would look twice|the door stayed in view][ and settled in to wait|, and waited|].",
    "The floor [creaked|gave a little|complained] under {Pp} boots, [as somewhere a door closed|loud as a shout in the stillness|and {P} stopped to listen].",
  ],

  // ----- what the point-of-view character came for -----
  goal: [
    "{P} had come to {goal}[, and for nothing else|, whatever anyone said|, and meant to do it properly|, and to be quick about it|, before {Pp} nerve went].",
    "There was only one reason to be here[: to {goal}| at all: to {goal}|: to {goal}, and nothing else|, whatever {Qn} might think: to {goal}].",
    "{P} meant to {goal} before the {daypart} was out[, one way or another|, if it could be done at all|, and to be gone before anyone asked why|, then sleep for a week].",
    "The plan was [simple|plain enough|the same as ever]: {goal}, and leave [before anyone asked questions|without a fuss|while there was still time|without looking back].",
    "All {P} had to do was {goal}, which sounded easy enough [said like that|on paper|from a distance|to anyone who did not know {Qn}].",
    "If {P} could {goal}, the rest [might still be saved|would follow|could wait a day|would be easier][, or so {P} told {Pr}|, surely|].",
    "{P} had promised {Pr} [one thing|this much|that at least]: to {goal}, whatever it [took|cost|meant for the rest of the week].",
    "[Somewhere between the last sleepless night and this one|On the way here|Days ago, without quite admitting it|Long before {X} suggested it], {P} had decided to {goal}.",
    "[Whatever else happened|Come what may|If nothing else], {P} was going to {goal}[, whether {Qn} liked it or not|, today|].",
    "{P} [needed|had] to {goal}[, and soon|; everything else could wait|, before {threat} made things worse|, without {X} knowing].",
  ],

  // ----- the scene partner -----
  partner_arrival: [
    "{Qn} was already there, [at|near|by] {feature}[, as if {Q} had never left|, waiting|, pretending not to wait|, with {prop}|, looking smaller than {P} remembered].",
    "{Qn} arrived late, as {Q} always did, and [did not apologise|made no excuses|nodded as if nothing was wrong|went straight to {feature}|shook the wet from {Qp} coat].",
    "{Qn} was waiting by {feature}, {prop} [in front of {Qo}|on the ledge beside {Qo}|turning in {Qp} fingers|held against {Qp} chest].",
    "It took {Po} a moment to [see|notice|make out] {Qn} [in the corner|by {feature}|against the far wall|at the back], half in shadow.",
    "{Qn} looked up as {P} came in, and [did not smile|smiled, which was worse|looked away again|put down what {Q} was holding|did not get up].",
    "{Qn} came in a little after, [shaking the cold from {Qp} hands|out of breath|with <weather> still on {Qp} coat|looking over {Qp} shoulder|and shut the door hard].",
    "{Qn} was sitting with {Qp} back to the wall, watching the door[, as {Q} always did|, as if expecting someone else|, arms folded|].",
    "{Qn} stood up too quickly when {P} came in, then sat down again[, as if caught at something|, hands folded|, flushed|].",
    "[Of course|As expected|Inevitably|Naturally], {Qn} was there first, looking as if {Q} had been waiting [for hours|all day|since the last time|on purpose].",
    "{Qn} [came out from|appeared from behind|stepped away from] {feature} [without a sound|before {P} could call out|as if summoned|all at once], [and nodded once|and waited|hands empty|and did not come closer].",
    "[For a moment|At first|From the doorway], {P} did not recognise {Qn}[, thinner and greyer than before|, in a borrowed coat|, so still by {feature}|, then did, all at once].",
  ],
  eyes_line: [
    "{Qn}’s {eyes} eyes [gave nothing away|moved from {Po} to the door and back|missed nothing|were steadier than {Qp} hands|looked tired|were red at the rims|did not leave {Po}][, as usual|, and never had|, not for a moment|, until {P} looked away first|].",
    "{Qn}’s {eyes} eyes [caught the light|narrowed|went to {prop}|settled on {Po}|flicked to the door][ for a moment|, and for a moment {Q} looked very young|, then slid away|, and stayed there|, hard and bright|, but {P} held the look].",
    "[In that light|Across the table|Even now], {Qn}’s {eyes} eyes [were the first thing {P} noticed|were hard to read|looked almost kind|gave {Qo} away|seemed older than the rest of {Qo}].",
  ],
  age_line: [
    "{Qn} was {age} years old[ and looked every day of it| and looked older| and seemed to feel all of it][ just now| in this light| after the week {Q} had had| tonight, of all times|].",
    "{Qn} was {age} years old[ and had outlived most of the people who might have helped| and carried it lightly, most days| and had never once looked it| and did not care who knew it][, whatever people said|, to hear {Qo} tell it|, as {P} well knew|].",
  ],
  job_line: [
    "{Qn} had worked as {job} for [most of {Qp} life|years|longer than {Q} cared to say|as long as {P} had known {Qo}][, which showed in {Qp} hands|, which showed in the way {Q} stood|, which had taught {Qo} patience|, and never talked about it|].",
    "{Qn} was {job}, and [thought like one|looked like one|never let anyone forget it|could not stop being one|listened like one][ even now| even here| to the bone|, whatever else {Q} was|].",
    "[Years of it|A lifetime of it|All that time] had left a mark: {Qn} was {job}[ and always would be|, plain to see| first and last|, whatever {Q} said].",
  ],
  relation_thought: [
    "{Qn} was {Pp} {relation}[; once that would have meant something simple|, which made everything harder|, whatever that was worth now|, which was why {P} had come at all|, for better or worse|, though {P} had never known what to do about it].",
    "[It was hard to forget|{P} could not forget|There was no getting round it|{P} kept remembering] that {Qn} was {Pp} {relation}[, whatever else had changed|, not here|, as {Q} well knew|, and that it counted for something].",
    "Having {Qn} for {Pp} {relation} [should have been|ought to have been|might have been] [easy|the simplest thing in {Pp} life|something to be proud of|a comfort][, and it was not|; it was not easy|, but for {elsewhere}|, but for the question of {secret}|, once].",
    "Whatever else {Qn} was, {Q} was still {Pp} {relation}[, which had to count for something|, which was the trouble|, as {P} could not forget|, for now|, though neither of them said it].",
  ],

  // ----- the partner doing things -----
  partner_action: [
    "{Q} <partner_move><aside_tail>.",
    "<aside_lead>{Q} <partner_move>.",
    "{Q} laughed, but there was [nothing|no warmth|very little] in it[, short-lived|, as {Q} knew|, but {P} did not join in|].",
    "{Qn}’s [mouth|jaw] tightened[, only for a moment|, just slightly|, then relaxed|], [and {P} noticed|which told {Po} more than words|but {Q} said nothing|and {Q} looked away].",
    "{Q} looked tired in a way {P} had not seen before[, older around the eyes|, as if something had worn through|, and thinner|][, but {P} did not say so|].",
  ],
  partner_move: [
    "[leaned back|sat back|straightened] and [studied|considered|watched] {Po} for a [long|careful|cool] moment",
    "tapped a finger against {prop}",
    "[turned away toward|went over to|stood looking at] {feature}",
    "[stood|got up], [walked|paced] the length of the room and came back",
    "rubbed the back of {Qp} [neck|hand] and did not answer at once",
    "[picked at|worried at|smoothed] a loose thread on {Qp} sleeve",
    "[poured|found] two cups of something [dark|bitter|lukewarm] and pushed one across",
    "[glanced|looked] [toward {feature}|at the door|at {prop}] [twice|more than once|again]",
    "[folded|unfolded] {Qp} arms",
    "[set|put] {prop} down between them",
    "[turned|twisted] a ring on {Qp} finger",
    "[scraped|pushed] {Qp} chair back an inch",
    "[wiped|rubbed] at a mark on {feature} that was not there",
    "[cleared|tried to clear] {Qp} throat",
    "[counted|weighed] something on {Qp} fingers",
    "[pulled|drew] {Qp} coat closer",
    "[turned|looked] toward the [window|door|fire|sound] and back",
    "[refilled|emptied|set down] {Qp} [cup|glass]",
    "[rubbed|warmed] {Qp} hands [together|against {Qp} coat]",
    "[tucked|pushed] a strand of hair behind {Qp} ear",
    "[traced|drew] a pattern on the table with one finger",
    "[straightened|shuffled] the papers in front of {Qo}",
    "[shifted|leaned] [forward|closer] on {Qp} elbows",
    "[bit|chewed] the inside of {Qp} cheek",
  ],
  aside_lead: ["", "Meanwhile, ", "For a while, ", "At length, ", "All the while, ", "Without a word, ", "Across the room, ", "In the meantime, ", "Unhurried, ", "Restless, "],
  aside_tail: ["", ", thinking", ", not quite patient", ", saying nothing", ", as if the answer might be there", ", frowning", ", and did not look up", ", as if {P} was not there", ", having decided something", ", not looking at {Po}", ", slower than before"],

  // ----- the point-of-view character doing things -----
  action: [
    "{P} <act_move><act_tail>.",
    "<act_lead>{P} <act_move>.",
    "{P} counted the [exits|doors|ways out] without meaning to; there were [two|three], and neither was [good|quick|safe|easy].",
    "{P} kept {Pp} hands still, which took more effort than it should have[ after the day {P} had had| with {Qn} watching| just then|].",
    "{P} studied {Qn}’s face and found [nothing useful there|only tiredness|more than {Q} meant to show|an answer {P} did not want|the old stubbornness][, as usual|, again|].",
  ],
  act_move: [
    "turned {prop} over in {Pp} hands",
    "[crossed to|went over to|moved closer to] {feature} and stood there",
    "[sat down|took a seat] without being asked",
    "[pulled out a chair|found a stool] and sat with {Pp} back to the wall",
    "rubbed {Pp} eyes",
    "reached for {prop}, then thought better of it",
    "glanced at the door, then back at {Qn}",
    "[waited near|leaned against|kept close to] {feature} and folded {Pp} arms",
    "said nothing for a while",
    "made {Pr} breathe [evenly|through {Pp} nose|in and out]",
    "picked up {prop} and laid it down again",
    "shifted {Pp} weight from one foot to the other",
    "[wiped|dried] {Pp} hands on {Pp} [coat|sleeves|knees]",
    "[loosened|tightened] {Pp} collar",
    "ran a finger along the edge of {prop}",
    "[pushed|tucked] {Pp} cold hands into {Pp} pockets",
    "[straightened|smoothed] {Pp} cuffs",
    "[leaned|rested] {Pp} shoulder against {feature}",
    "[rolled|flexed] {Pp} [stiff|cold|aching] fingers",
    "[turned|stood] so that {Pp} back was to {feature}",
    "[glanced|looked] down at {Pp} [boots|hands|sleeves] and back up",
    "[pulled|tugged] {Pp} coat [tighter|closer] about {Pr}",
    "[blew|breathed] on {Pp} [cold|numb] hands",
    "[stepped|moved] [aside|back] to let the moment pass",
    "[brushed|flicked] a speck of [dust|ash|lint] from {Pp} sleeve",
    "[weighed|considered] {prop} in {Pp} palm",
    "[crossed|recrossed] the room [twice|once] and came back",
    "[pressed|rubbed] the heel of {Pp} hand against {Pp} eyes",
    "[sat|perched] on the edge of [a chair|the table|a bench]",
  ],
  act_lead: ["", "Without thinking, ", "Almost without meaning to, ", "After a while, ", "Carefully, ", "Once again, ", "For something to do, ", "Out of habit, ", "Deliberately, ", "Unnoticed, "],
  act_tail: ["", ", without thinking", ", and felt {Qn} watching", ", and waited", ", trying to think", ", more from habit than need", ", and said nothing", ", grateful for the distraction", ", until the moment passed", " — it did not help", ", the way {X} used to"],

  // ----- what the place looks, sounds and smells like -----
  sense: [
    "Somewhere beyond {feature}, <sound> [rose and fell|went on and on|stopped, then started again|came and went]<sound_tail>.",
    "<sound> [drifted|carried|came] [from beyond {feature}|through the wall|from somewhere outside]<sound_tail>.",
    "[The air|Everything|The whole place] smelled of <smells><smell_tail>.",
    "[The air|Everything|The whole place] smelled of <smell>[, and of [damp|old rain|too many people]|, stale and close|]<smell_tail>.",
    "<light> [caught|touched|lay along] the edge of {feature}<light_tail>.",
    "{P} could hear <sound>, and under it, [nothing at all|the beat of {Pp} own heart|the small sounds of the building settling].",
    "{P} rested a hand on <texture><touch_tail>.",
    "For a while the only sound was <sound><sound_tail>.",
    "It was [cold|close|stuffy|damp] [in there|by {feature}|where {P} stood], with a smell of <smell><smell_tail>.",
    "<light> made everything look [older|smaller|shabbier|further away] than it was<light_tail>.",
    "<sound> came again, [closer|louder|further off] this time<sound_tail>.",
    "Beneath the <smell> there was something else, something {P} could not [name|place|quite remember].",
    "{P} felt <texture> under {Pp} fingers<touch_tail>.",
    "Outside, the {daypart} [went on without anyone|was turning|had grown [colder|darker|quieter]]<sense_tail>.",
    "Every now and then <sound> broke the [silence|stillness], and each time {P} [flinched|looked up|lost the thread of things].",
    "The [cold|damp|stillness] had got into everything: {feature}, <texture>, the [very air|air itself|bones of the place].",
    "<weather> [pressed against|worked at|rattled] the [windows|shutters|door]<sound_tail>.",
  ],
  sound_tail: ["", ", while {P} listened", ", then not even that", ", patient as a debt collector", ", but nobody went to see", ", which {P} was grateful for", ", like a held breath", ", though nobody remarked on it", " — {P} found {Pr} counting", ", as it always had"],
  sense_tail: ["", ", as it always had", ", which {Qn} noticed too", ", which did nothing for {Pp} nerves", ", though nobody remarked on it", ", familiar and unwelcome", ", the same as ever"],
  smell_tail: ["", ", as it always had", ", which {P} breathed in", ", familiar and unwelcome", ", though nobody remarked on it", ", thick enough to taste", ", which did nothing for {Pp} nerves", ", and under it, something sour"],
  light_tail: ["", ", but {P} did not look away", ", which {Qn} noticed too", ", and {P} watched it move", ", soft and unhelpful", ", the colour of old brass", ", then slid away"],
  touch_tail: ["", ", which {P} was glad of", ", and felt steadier for it", ", and held on", ", cold and certain", ", solid as a promise", ", just to feel something real"],

  // ----- what the point-of-view character thinks -----
  thought: [
    "{P} [wondered|kept wondering|could not help wondering|had begun to wonder] <wonder>[, <wonder_tail>|].",
    "Somewhere at the back of {Pp} mind, a small voice kept asking <wonder>.",
    "{P} [thought of|thought again of|kept coming back to|could not stop thinking about] <topic>[, <topic_tail>|].",
    "{P} felt <feeling> [rise|stir|settle in|creep up], and [pushed it down|let it pass|waited it out|did nothing about it]<thought_tail>.",
    "It would have been easy to [walk away|let it go|go home and forget all of it|tell {Qn} what {Q} wanted to hear][, as {P} had done before|, which was exactly why {P} stayed|; nothing about it was easy now|]<thought_tail>.",
    "Once, {P} would have trusted {Qn} without [thinking|a moment’s doubt|question]; [{elsewhere}|time|the question of {secret}|{X}] had put an end to that<thought_tail>.",
    "{P} had not slept properly in [days|a week|longer than {P} cared to count][, which was beginning to show|, and every sound seemed louder for it|, which was making {Po} careless|]<thought_tail>.",
    "The truth was that {P} was afraid<afraid_of><thought_tail>.",
    "{P} had spent years learning not to [hope|care|ask questions|need anyone][, without success|, and here {P} was, doing it anyway|, but {X} had undone it in a week|]<thought_tail>.",
    "If {P} was honest, and {P} rarely was, {P} had known [this would happen|it would come to this|all along|what {Qn} would say] <since>.",
    "What would {X} have [done|said|made of it] [here|now|in {Pp} place][, {P} wondered|]?",
    "It was strange, {P} thought, how quickly a life could [change shape|come apart|turn on one conversation|become something else|fill up with strangers].",
    "Nobody had ever told {Po} that the hard part would be [the waiting|the lying|the silences|being believed|the small hours|the kindness]<thought_tail>.",
    "{P} thought about {threat}, and about how patient [power|money|fear|hatred] could be[ when it wanted something|, and how tired {P} was|]<thought_tail>.",
    "It was not courage that kept {Po} here, but something [plainer|smaller|more stubborn|more selfish] than that<thought_tail>.",
    "{P} had promised {Pr} [more than once|a hundred times|after {elsewhere}] never to [come back here|trust {Qn} again|need anyone|go looking for {X}], and here {P} was<thought_tail>.",
    "There had been a time when {P} would have laughed at all this[; {P} missed that person|; {P} missed it more than {P} cared to admit|, but not any more]<thought_tail>.",
    "{P} [knew|suspected|had always known] that {Qn} was [lying|holding something back|more frightened than {Q} let on|on {Pp} side, for now], and did not [say so|know what to do about it|blame {Qo}]<thought_tail>.",
  ],
  afraid_of: ["", ", not of {threat}, or not only, but of being wrong", ", and had been since {elsewhere}", ", and tired of pretending otherwise", " of what {Qn} might say", " of needing anyone again", " for {X}, mostly"],
  thought_tail: ["", ", which {Qn} probably knew", ", for what that was worth", ", if {P} was honest", ", which did not help", " — there was no use pretending", ", which was the worst of it"],
  wonder: [
    "whether {Qn} could be trusted",
    "what {X} was doing now",
    "who else knew about {secret}",
    "how much {Qn} already knew",
    "whether any of this was worth it",
    "what {X} would have made of it",
    "how close {threat} was now",
    "why {Qn} had agreed to come",
    "what {centre} was really worth",
    "whether {P} had been wrong from the start",
    "where it had all gone wrong",
    "who had talked first",
    "how much time was left",
    "whether {P} would ever see {elsewhere} again",
    "what it would cost in the end",
    "whether {X} had known all along",
  ],
  wonder_tail: ["and did not like the answer", "not for the first time", "and then tried not to", "and found no answer that helped", "for all the good it did", "and could not let it go", "and felt {Qn} watching"],
  topic: ["{secret}", "{centre}", "{X}", "{elsewhere}", "{threat}", "the last thing {X} had said", "the long road back", "the way {Qn} had looked at {Po} once", "every promise {P} had broken", "the people who had trusted {Po}"],
  topic_tail: [
    "and of how little anyone had ever said about it",
    "and tried to stop",
    "as {P} always did when tired",
    "and felt the old ache",
    "and said none of it",
    "and of what it had already cost",
    "and of {X}",
    "for longer than was sensible",
  ],
  feeling: ["the old anger", "a bone-deep tiredness", "a familiar dread", "something close to grief", "an unreasonable hope", "a flicker of guilt", "a cold little certainty", "something like shame", "the old restlessness"],
  since: ["", "since {elsewhere}", "from the moment {Qn} sent word", "since the question of {secret} came up", "before {X} ever said a word"],

  // ----- the scene's conflict and outcome, framed; {clause} is the outline's sentence -----
  conflict: [
    "[Then|And then|It was then that|Before long|Soon enough|All at once|Without warning] {clause}[, <conflict_tail>|].",
    "[It went wrong quickly|The talk turned|It did not go as planned|The mood changed|It came apart after that|There was no easy way through it] — {clause}[, <conflict_tail>|].",
  ],
  conflict_tail: ["just as {P} had feared", "which was the last thing {P} needed", "and the room went still", "and nothing {P} said made any difference", "as if it had been coming all along", "as the ground shifted under {Po}", "and the talk died", "with no pretending otherwise", "before {P} could stop it"],
  outcome: [
    "[In the end|At last|When it was over|By the time they were done|Before {P} left|After that|When the talking stopped], {clause}[, <outcome_tail>|].",
    "[It ended the only way it could|That was how it ended|So it came to this|It was settled, after a fashion|It came down to one thing|There was nothing else for it] — {clause}[, <outcome_tail>|].",
  ],
  outcome_tail: ["with nobody pretending otherwise", "which was more than {P} had hoped for", "and it would have to do", "though {P} was not sure what it meant yet", "and that was that", "for whatever it was worth", "without a word of argument from {Qn}", "as if the room could breathe again", "though nobody was happy about it"],
  setback: [
    "{P} had expected that[, but it did not make it easier|; it did not help|, more or less|, or something like it], <setback_tail>.",
    "It was not what {P} had come for[, as {Qn} knew|, not by a long way| — there was no taking it back|], <setback_tail>.",
    "For a moment {P} could not think of anything to say[, then of too much|, while {Qn} waited|], <setback_tail>.",
    "So that was how it was going to be[, {P} thought|, then|; {P} should have known], <setback_tail>.",
    "{P} should have seen it coming[, and perhaps part of {Po} had|, after {elsewhere}|, after everything {X} had said], <setback_tail>.",
    "{P} felt the conversation slip out of {Pp} hands[, the way a rope does|, and could not get it back|], <setback_tail>.",
    "{P} [kept|held] {Pp} face still[, which took everything|, the way {P} had learned to|], <setback_tail>.",
  ],
  setback_tail: ["while the silence said the rest", "and {Qn} saw it", "whatever {Pp} face was doing", "as the room seemed to shrink", "which stung more than it should have", "though {P} hated that {Q} noticed", "and {P} let it lie", "for all the good it did"],

  // ----- the last line of a scene -----
  closing: [
    "It was not much, but it would have to be enough[ for now| until {P} knew more| for one {daypart}|], <closing_tail>.",
    "{P} did not look back[, though {P} wanted to|, not even once|], <closing_tail>.",
    "Behind {Po}, <sound> went on as if nothing had happened, <closing_tail>.",
    "It was later than {P} realised[, with a long way home|, with {Qn} long gone|], <closing_tail>.",
    "{P} went out into the {daypart} with more questions than answers, <closing_tail>.",
    "There would be a price for this[; there always was|, though {P} did not yet know who would pay it|], <closing_tail>.",
    "Tomorrow, {P} thought, would be [worse|no better|the real test|the day it all came due], <closing_tail>.",
    "{P} stood there a long time after {Qn} had gone, <closing_tail>.",
    "Somewhere, <sound> began again, <closing_tail>.",
    "{P} [wanted|needed] sleep, and knew [there would be none|it would not come|{X} would be there when it did], <closing_tail>.",
    "[By the door|At the end of {feature}|Halfway home], {P} stopped and [laughed, once, at nothing|let out a long breath|finally let {Pr} shake], <closing_tail>.",
    "[None of it|Not one word of it|Nothing about it] would look the same [in daylight|tomorrow|to {X}], <closing_tail>.",
  ],
  closing_tail: ["as {P} knew", "which was the end of it", "whatever came next", "so {P} let it be", "for better or worse", "but {P} did not wait to see", "as the {daypart} closed in", "as {X} had said it would", "which {P} would take"],

  // ----- short filler for a scene a few words short -----
  filler: [
    "{P} waited.",
    "Nobody moved.",
    "{P} breathed out.",
    "The moment passed.",
    "{Q} said nothing.",
    "{P} nodded once.",
    "The silence held.",
    "{P} [let the silence go on|did not push|kept {Pp} counsel|held {Pp} tongue] [a little longer|for now|a while more].",
  ],

  // ----- earlier events, remembered in narration -----
  recall: [
    "{P} [thought of|thought again of|had not stopped thinking about|kept coming back to] {memory}<recall_of_tail>.",
    "[Nobody|No one] had said a word about {memory} [since|all day|in {Pp} hearing|to {Pp} face]<recall_tail>.",
    "{memory} was still [on {Pp} mind|the first thing {P} thought of on waking|there, whenever {P} closed {Pp} eyes|between them, though neither of them had mentioned it]<recall_tail>.",
    "[Since|Ever since] {memory}, {P} had [slept badly|jumped at every sound|checked every door twice|trusted no one completely]<recall_tail>.",
    "[More than once|Twice already|All the way here], {P} had [gone over|turned over|come back to] {memory} in {Pp} mind<recall_tail>.",
    "{P} [could not stop|tried not to keep] [seeing|remembering] {memory}<recall_of_tail>.",
  ],
  recall_of_tail: [
    "",
    ", and what it might mean",
    ", and who else knew about it",
    ", and how close it had come",
    ", and of the silence that had followed it",
    ", and what {X} would say about it",
    ", and whether it was connected to {centre}",
    ", and whether {threat} was behind it",
  ],
  recall_tail: [
    "",
    ", though {P} tried to put it aside",
    ", whatever {Qn} said",
    ", for all the good it did",
    " — {P} was tired of it",
    ", not that it helped",
    ", as {X} had warned",
    ", which was telling",
    ", which made no more sense than before",
  ],
  recall_clue: [
    "{memory} [had not explained itself yet|still made no sense|was the only real thing {P} had|sat at the back of {Pp} mind like a stone|was still wrapped up safe]<recall_thing_tail>.",
  ],
  recall_thing_tail: ["", ", however often {P} turned it over", ", though {P} had stopped expecting it to", ", whatever {Qn} said", "; {P} thought of it now", ", though {X} did not know about it yet", ", which was either a comfort or a warning", ", but {P} meant to find out why", ", though nobody seemed to care"],
  recall_wound: [
    "{memory} [had begun to heal|still looked raw|had stiffened overnight|had been bound up badly|showed when the light caught it]<recall_person_tail>.",
  ],
  recall_person_tail: ["", ", though {P} tried not to stare", ", which {P} could not help noticing", ", unmentioned by anyone", ", though it was not spoken of", ", and would leave a mark", ", whatever anyone pretended", "; {P} thought of it now", ", though {X} did not know about it yet", ", and would not be the last"],
  recall_betrayal: [
    "{memory} [still stung|had not been forgiven|sat between them like a third person|was not something {P} could forget|had changed everything]<recall_person_tail>.",
  ],
  recall_ruin: [
    "[The talk everywhere was still of|Everyone had a story about|{P} could still smell|Nobody had been held to account for] {memory}[<recall_tail>|, and who had been behind it|, and what had been lost].",
  ],
  recall_death: [
    "{memory} [had not been explained|was still talked about in whispers|had been no accident, whatever people said|had left a gap nobody spoke of][, and {P} thought of {memoryWho} now| — {memoryWho} had deserved better|, and {P} could not forget the face|]<recall_tail>.",
  ],
  recall_promise: [
    "{memory} [still held, as far as {P} knew|was worth exactly as much as the person who made it|had not been tested yet|weighed more than it should have]<recall_person_tail>.",
  ],
  recall_warning: [
    "{P} had not forgotten {memory}[, or the hand that must have put it there|, or what it had said|, and did not expect to|]<recall_tail>.",
  ],

  // ----- the thing a scene introduces, and what follows -----
  intro_clue: [
    "[Under|Behind|Wedged beneath|Half-hidden by|Down beside] {feature}, {P} found {event}[, and for a moment forgot to breathe|, and knew at once it mattered|, and did not touch it at first|, and said nothing to {Qn}|].",
  ],
  intro_wound: [
    "[In the scramble|Somewhere in all of it|Before anyone could stop it|In the struggle that followed|When it was over], {eventWho} came away with {event}[, and did not notice it until later|, and laughed it off|, and said nothing about it|, and bled more than seemed fair|].",
  ],
  intro_betrayal: [
    "[It came out at last|There was no hiding it after that|{P} understood it then|It was all there, plain at last|{P} saw it now, all of it] — it had a name: {event}[, which {P} would not forget|].",
  ],
  intro_ruin: [
    "Word came [before they had finished|as {P} was leaving|while they were still talking|from a boy at the door]: there had been {event}[, though nobody knew yet who was hurt|, and half the town had gone to look|, and no accident|].",
  ],
  intro_death: [
    "{Qn} had news {P} had not [wanted|expected|asked for]: {event}, was dead[, found before first light|, though nobody would say how|, and buried already|; {Q} had seen the body|].",
  ],
  intro_promise: [
    "[Before they parted|At the last|When it was nearly over|At the door], {eventWho} [promised|swore|vowed] {event}[, and meant it, or seemed to|, whatever it would cost|, which {P} believed|].",
  ],
  intro_warning: [
    "On the way out, {P} saw it: {event}[, fresh, and meant for {Po}|, in a hand {P} did not know|, plain as a slap|, though nobody else had noticed|].",
  ],
  intro_after: [
    "{P} [turned|kept turning] it over in {Pp} mind[ for a long time| all the way back| while {Qn} talked| without meaning to], [and knew it would not be the last of it|and did not like where it led|and said nothing to anyone|and felt the day tilt|and found no comfort in it]<intro_tail>.",
    "[It changed things|It would change things|It did not change everything|Nothing would be quite the same], [though {P} could not yet say how|whatever {P} told {Pr}|for better or worse|as {Qn} plainly knew]<intro_tail>.",
    "[So that was the shape of it|There it was|That was what it came to], [then|at last|after all this], <intro_tail_plain>.",
  ],
  intro_tail: ["", ", with {X} still to be told", ", whatever it meant for {threat}", ", with no forgetting it", ", one more thing to carry", ", though nobody said so"],
  intro_tail_plain: ["which {P} would have to live with", "with {X} still to be told", "whatever it meant for {threat}", "one more thing to carry", "with no taking it back", "for all of them", "as {Qn} knew as well as {P} did"],

  // ----- speech: one line of a conversation, by the part it plays -----
  open: [
    "<open_lead>[I wondered when you’d turn up|I wasn’t sure you’d come|I was starting to think you’d lost your nerve|I didn’t expect to find you here|I thought you’d gone for good]<open_tail>.",
    "<open_lead>[you look terrible|you look like you haven’t slept|you’ve been out in the weather|you’re soaked through|you look like a ghost]<open_tail>.",
    "<open_lead>[close the door|sit down before you fall down|keep your voice down|come in, and quickly|don’t stand there in the doorway]<open_tail>.",
    "<open_lead>[we need to talk|you shouldn’t be here, you know that|this had better be worth it|I hoped it wouldn’t be you|I’ve been waiting all day]<open_tail>.",
  ],
  open_lead: ["", "{L}, ", "Well, ", "So, ", "Look, ", "Oh, ", "Ah, ", "Honestly, "],
  open_tail: ["", ", {L}", " — at this hour", ", after everything", ", of all people", " — I heard about {elsewhere}", ", and you know why", " — sit, if you want"],
  ask: [
    "<ask_lead>[what do you know about {centre}|what do you really know about {centre}|who else knows about {secret}|what happened at {elsewhere}|how long have you known|what aren’t you telling me|where does all this leave {threat}|why now]<ask_tail>?",
    "<ask_lead>[when did you last see {X}|why did you really come back to {place}|is it true, what they’re saying about {centre}|what would you do, if you were me|who told you about {secret}|what has {threat} got to do with us|whose side are you on|what did {X} tell you]<ask_tail>?",
  ],
  ask_lead: ["", "{L}, ", "So ", "Then ", "Tell me, ", "Be honest, ", "And ", "All right, ", "Tell me this: ", "Look, "],
  ask_tail: ["", ", {L}", " — really", " this time", ", exactly", " now", " — and don’t lie to me", ", after all this"],
  deflect: [
    "<deflect_lead>[that’s not something I talk about|you’re asking the wrong person|I could ask you the same thing|some things are better left where they are|you always did ask too many questions|you wouldn’t believe me if I told you|you don’t want to know]<deflect_tail>.",
    "<deflect_lead>[I’ve told you everything I know|I don’t know what you mean|that’s all there is|there’s nothing to tell|it’s none of your business|it doesn’t matter now|I said I’d think about it]<deflect_tail>.",
  ],
  deflect_lead: ["", "{L}, ", "Look, ", "Honestly, ", "Please, ", "No — ", "I’m sorry, but ", "Believe me, "],
  deflect_tail: ["", ", {L}", ", not here", ", not now", ", and you know it", " — leave it alone", ", not with the door open", ", not after {elsewhere}", ", and that’s the end of it", ", so stop asking"],
  push: [
    "<push_lead>[I’m not leaving until you tell me|you owe me that much|I need to know|don’t lie to me, not you|I’ve come a long way for this|look at me and say that again|you were there, I know you were]<push_tail>.",
    "<push_lead>[people are going to get hurt|we haven’t got time for this|I’m asking as a friend|then tell me who would know|I can’t do this without you|there’s nobody else I can ask|you said you’d help]<push_tail>.",
  ],
  push_lead: ["", "{L}, ", "Please, ", "Listen to me, ", "No, ", "Look, ", "For once, ", "Come on, "],
  push_tail: ["", ", {L}", " — please", ", whatever it costs", ", and you know it", " — I mean it", ", for {X}’s sake", ", before it’s too late", ", just this once", ", and then I’ll go", " — don’t make me beg"],
  reveal: [
    "<reveal_lead>[{X} was at {elsewhere} the night it happened|there’s more to {centre} than you think|someone has been asking about you, because of {threat}|it was never about {centre}; it was about {secret}|someone paid a great deal to keep people quiet about {secret}|everyone in {place} knows something about {secret}|{X} came to me first]<reveal_tail>.",
    "<reveal_lead>[{X} knows more than anyone thinks|somebody saw {X} at {elsewhere} before it all went wrong|the answer’s at {elsewhere}, if it’s anywhere|I know where to start looking, and that’s all I know|someone has been watching {place} for weeks|I kept something back, about {secret}|I was paid to forget {secret}]<reveal_tail>.",
  ],
  reveal_lead: ["", "{L}, ", "All right, ", "Listen, ", "If you must know, ", "Fine, ", "Between us, ", "Truth is, "],
  reveal_tail: ["", ", {L}", ", if you want the truth", ", and I never told you", ", for what it’s worth", ", and now you know", " — that’s the truth of it", ", God help me", ", and it’s been eating at me", ", swear you won’t repeat it"],
  warn: [
    "<warn_lead>[this won’t be forgiven, not with {threat} in it|be careful at {elsewhere}; nothing there is what it looks like|don’t trust {X}, whatever you do|walk away from {centre} while you still can|you’re being watched, and have been for days|if this goes wrong, I never met you|don’t go to {elsewhere} alone]<warn_tail>.",
    "<warn_lead>[keep away from {elsewhere}|they know your name now|stop asking about {secret}|you can’t go back to {elsewhere}|the next time, they won’t stop at talk|burn whatever {X} gave you|trust nobody who asks about {centre}]<warn_tail>.",
  ],
  warn_lead: ["", "{L}, ", "Listen, ", "One more thing: ", "I’ll say this once: ", "Be careful, ", "Mark me, ", "Please, "],
  warn_tail: ["", ", {L}", ", I mean it", ", not this time", ", whatever you find", ", for all our sakes", ", and tell no one", " — promise me", ", or you’ll end like {X}", ", before it’s too late"],
  react: [
    "<react_lead>[I don’t believe you|then we’re out of time|you should have told me|I thought you were my friend|that changes everything|then we do it my way|I was afraid you’d say that]<react_tail>.",
    "<react_lead>[that’s not good enough|I knew it all along|that can’t be right|that’s the first true thing you’ve said|I wish you hadn’t told me|I’ll remember that|you’ve known all this time]<react_tail>.",
    "<react_lead>[why are you telling me this now|is that supposed to frighten me|where did you hear that|and you believed it|who else have you told|what am I supposed to do with that]<react_question_tail>?",
  ],
  react_lead: ["", "{L}, ", "No, ", "Well, ", "Oh, ", "Then ", "God, ", "So "],
  react_question_tail: ["", ", {L}", " — after all this time", ", truly", " now", ", of all people", " — just like that"],
  react_tail: ["", ", {L}", " — not after everything", ", and you know it", ", truly", " — after all this time", ", just like that", ", of course", ", of all the things to say", " — God help us", ", and here we are"],
  close: [
    "<close_lead>[I’ll do it, but not for you; for {X}|one day, that’s all I can give you|no, and don’t ask me again|meet me at {elsewhere} at first light|go, before I change my mind|I’ll think about it, and that’s all I’ll promise|we’ll do it your way, this once|I’ll be there, but not for long|then it’s settled]<close_tail>.",
  ],
  close_lead: ["", "{L}, ", "Fine, ", "Enough, ", "Listen, ", "Very well, ", "All right, ", "Then "],
  close_tail: ["", ", {L}", ", and then we’re done", ", and not a word to anyone", ", for what it’s worth", ", if we live that long", " — and be careful", ", and don’t be late", ", and God help us both", " — that’s my last word"],
  ask_memory: [
    "<ask_lead>[is this about {memory}|has this got anything to do with {memory}|what did you make of {memory}|do you still think about {memory}|who else knows about {memory}|are we ever going to talk about {memory}|what really happened with {memory}]<ask_tail>?",
  ],
  tell_memory: [
    "<reveal_lead>[I haven’t stopped thinking about {memory}|nobody’s said a word about {memory} since|{memory} wasn’t an accident|you know what {memory} means as well as I do|I keep coming back to {memory}|after {memory}, nothing here is safe|I’ve heard things about {memory}]<reveal_tail>.",
  ],

  // ----- beats: what a speaker does instead of, or beside, a tag -----
  beat: [
    "{S} <beat_move><beat_tail>.",
    "<beat_lead>{S} <beat_move>.",
    "{S} did not [look up|answer at once|move][ from {feature}| for a while|], [as if the question had not been asked|and the silence stretched|which was answer enough|and {Lo} waited].",
    "{S} smiled[ thinly| without warmth|, briefly|], [and it almost reached {Sp} eyes|and it did not help|as if at a private joke|and looked away].",
  ],
  beat_move: [
    "[ran|pressed] a thumb along {Sp} [jaw|knuckles|lower lip]",
    "[tapped|drummed] two fingers on {feature}",
    "[glanced|looked] over {Sp} shoulder",
    "[uncrossed|recrossed] {Sp} legs",
    "[reached for|pushed away] {Sp} cup",
    "[scratched|rubbed] the back of {Sp} neck",
    "[closed|narrowed] {Sp} eyes",
    "[pulled|drew] {Sp} coat tighter",
    "[shifted|turned] in {Sp} chair",
    "[worried|picked] at a thread on {Sp} cuff",
    "[nodded|frowned] at {prop}",
    "[set|put] {prop} aside",
    "[straightened|tugged at] {Sp} sleeve",
    "[looked|stared] into the middle distance",
    "[clasped|unclasped] {Sp} hands",
    "[dropped|lowered] {Sp} gaze",
    "looked [away|down|toward the window|at {Sp} hands|past {Lo}]",
    "folded {Sp} arms",
    "rubbed {Sp} [eyes|temples|jaw|wrist]",
    "shrugged",
    "gave a [short|dry|tired|humourless] laugh",
    "studied {Lo} [carefully|without blinking|as if seeing {Lo} for the first time]",
    "[leaned forward|leaned back|leaned closer|sat up]",
    "pushed {Sp} hair back from {Sp} face",
    "sighed",
    "[hesitated|paused]",
    "turned {prop} over in {Sp} hands",
    "glanced at {feature}",
    "set down {Sp} cup",
    "lowered {Sp} voice",
    "pinched the bridge of {Sp} nose",
    "tilted {Sp} head",
    "drew a [slow|long|careful] breath",
    "shook {Sp} head",
    "bit {Sp} lip",
    "stared at the floor",
    "let the silence stretch",
    "picked at the edge of the table",
    "[spread|opened] {Sp} hands",
    "[touched|straightened] {Sp} collar",
  ],
  beat_lead: ["", "For a moment, ", "At that, ", "Without a word, ", "Then, ", "Instead of answering, ", "Slowly, ", "After a pause, ", "Abruptly, ", "Half turning, ", "With an effort, ", "Almost gently, "],
  beat_tail: ["", ", just for a moment", ", as if it hardly mattered", ", not quite meeting {Lp} eyes", ", and waited", ", weighing something", ", choosing {Sp} words", ", a little too quickly", ", tired suddenly", ", while the room seemed to shrink", ", with a glance at the door", ", in no hurry", ", for something to do", ", and let it hang there", ", as if to end it", ", brisk about it", ", without much conviction", ", then thought better of it", ", lips pressed thin", ", all patience gone"],

  // ----- the dialogue pass: beats for a line, and the listener's reaction; {S} is the speaker as the tag named them -----
  pass_beat: [
    "<pass_lead>{S} [glanced|nodded|gestured] [toward the window|at the door|at the floor|at the far wall|at nothing|over {Sp} shoulder].",
    "<pass_lead>{S} [tapped|drummed|spread] {Sp} fingers on [the table|{Sp} knee|the arm of the chair|the sill|the wall].",
    "<pass_lead>{S} [straightened up|stepped back|shifted in {Sp} seat|turned {Sp} cup around|sat very straight|stood up|leaned on the wall].",
    "<pass_lead>{S} [pressed {Sp} lips together|lifted {Sp} chin|opened {Sp} hands|lowered {Sp} eyes|tightened {Sp} jaw|tucked {Sp} chin].",
    "<pass_lead>{S} kept [very|quite|perfectly|oddly] still[, watching| for a breath|].",
    "<pass_lead>{S} [exhaled|swallowed|breathed in|sniffed] [slowly|sharply|hard|once|through {Sp} teeth].",
    "<pass_lead>{S} [scratched|rubbed|touched|pinched] {Sp} [eyebrow|chin|neck|ear|cheek|wrist].",
    "<pass_lead>{S} [stared|peered|frowned] into {Sp} [cup|hands|lap|glass|palm].",
    "<pass_lead>{S} [squared|dropped|hunched|rolled] {Sp} shoulders[ a little| against it|].",
    "<pass_lead>{S} [blinked|frowned|winced|smiled] [once|twice|briefly|faintly|at the table].",
    "<pass_lead>{S} [ran|pushed|dragged] a hand through {Sp} hair[ and left it there|].",
    "<pass_lead>{S} [picked up|put down|pushed away|turned] {Sp} [cup|glass|plate|spoon|gloves].",
    "<pass_lead>{S} [tugged at|smoothed|fastened|picked at] {Sp} [collar|cuff|sleeve|coat|scarf].",
    "<pass_lead>{S} [crossed|uncrossed|folded] {Sp} [arms|legs|hands][ again| tighter|].",
    "<pass_lead>{S} [shook|tilted|bowed] {Sp} head[ slightly| once| a little|].",
  ],
  pass_lead: ["", "Then ", "Instead "],
  /** {P} the point-of-view character, {Pp} their possessive; {S} {Sp} {So} the speaker. */
  subtext: [
    "{P} [heard|caught|noticed] what {S} was not saying<subtext_tail>.",
    "It was not an answer, and [they both knew it|{P} let it show|{S} knew {P} knew|nobody pretended it was].",
    "Something in {S}’s voice [did not match the words|had changed|gave {So} away|wavered|went flat|caught on a word][, {P} thought|, just for a moment|, and {P} heard it|].",
    "{P} wondered how long {S} had [waited|been waiting] to say that<subtext_tail>.",
    "{P} [did not believe|could not quite believe|only half believed] a word of it<subtext_tail>.",
    "Under the words, {P} heard [fear, or shame|something older|something like relief|no anger at all]<subtext_tail>.",
    "{P} watched {S}’s hands, not {Sp} face<subtext_tail>.",
    "[That|The answer|It] came [too quickly|too smoothly|a beat too late|too carefully], {P} thought<subtext_tail>.",
    "{S} had [rehearsed|practised|prepared] that, {P} thought<subtext_tail>.",
    "{P} [filed|put] that away [for later|to think about]<subtext_tail>.",
  ],
  subtext_tail: ["", ", and let it go", ", and said nothing", ", and wondered why", ", for now", ", and marked it"],
  /** The point-of-view character's reaction to their own line: {own} is their possessive. */
  self_subtext: [
    "It came out [harder|colder|louder|more bitter] than {P} had meant<it_tail>.",
    "{P} regretted it as soon as it was said<self_tail>.",
    "{P} heard {own} voice [shake|catch|rise|crack]<self_tail>.",
    "{P} had not meant to say [so much|that|it like that|it at all]<self_tail>.",
    "[The words|It] had been waiting [a long time|for days|for years|all evening] to come out<it_tail>.",
    "{P} sounded, even to {own} own ears, [like a stranger|like someone else|younger than {P} was|more certain than {P} felt]<self_tail>.",
  ],
  it_tail: ["", " — there was no taking it back", ", with the whole room listening", ", and it showed", ", for better or worse", ", too late to call back"],
  self_tail: ["", " — there was no taking it back", ", with the whole room listening", ", and said it anyway", ", and did not apologise", ", and hated it", ", and went on", ", and waited", ", and knew it", ", and could not stop", ", and felt {Pp} face go hot"],

  // ----- the motif pass: a motif or a theme noticed in passing -----
  motif_line: [
    "{P} thought, for no reason {P} could name, of {motif}<motif_tail>.",
    "[It|Something about it|The moment|The light] made {Po} think of {motif}<motif_tail>.",
    "There it was again: {motif}, as if the day was trying to tell {Po} something<motif_tail>.",
    "[Later|Long afterwards|Years later], {P} would remember {motif} more clearly than anything that was said<motif_tail>.",
    "Even here there {was} {motif}, or the memory of it<motif_tail>.",
    "{P} had been noticing {motif} all day without meaning to<motif_tail>.",
    "[Out of nowhere|Unbidden|For no good reason], {motif} came into {Pp} mind<motif_tail>.",
    "{P} [noticed|saw|caught sight of] {motif} [again|once more|where {P} had not expected it]<motif_tail>.",
    "[Of all things|Strangely|Absurdly], it was {motif} that {P} [fixed on|held on to|kept seeing]<motif_tail>.",
    "{motif} again, {P} thought<motif_tail>.",
  ],
  motif_tail: ["", ", and then of home", ", and then of nothing", ", the way it always did", ", patient as ever", ", following {Po} about", " — {P} let it come", ", refusing to go", ", like an old tune", ", for the third time that day", ", and did not know why", ", as if it meant something", ", and then of {Pp} mother"],
  theme_line: [
    "It was, {P} thought, a question of {theme}<theme_tail>.",
    "Everything here came back to {theme}<theme_tail>.",
    "{P} had not expected to think about {theme} [today|here|of all places], but there it was<theme_tail>.",
    "Perhaps that was what {theme} meant: not a choice made once, but [every day|over and over|in every small thing]<theme_tail>.",
    "[Somewhere in all this|Underneath it all|Beneath the talk] lay {theme}<theme_tail>.",
    "[If it was about anything|When it came down to it|Stripped of the rest], it was about {theme}<theme_tail>.",
    "{P} [turned over|came back to|could not leave alone] the old question of {theme}<theme_tail>.",
  ],
  theme_tail: ["", ", in the end", ", as it always was", ", sooner or later", ", whichever way {P} turned", ", and nothing {P} could settle today", ", whatever {Po} wanted", ", if {P} was honest", ", which frightened {Po} a little", ", though nobody would say so", ", like it or not"],
};

/** Rules whose options a scene should not use twice (an empty option may come back): the kit's sensory details, and the leads and tails of sentences. */
export const ONCE_PER_SCENE: ReadonlySet<string> = new Set([
  ...["sound", "smell", "smells", "light", "texture", "weather", "feeling", "topic", "wonder"],
  // The turns of phrase that open and close sentences: heard twice in a scene, they read as a tic.
  ...["aside_lead", "aside_tail", "act_lead", "act_tail", "sense_tail", "sound_tail", "thought_tail", "wonder_tail", "topic_tail", "recall_tail"],
  ...["beat_lead", "beat_tail", "pass_lead", "subtext_tail", "self_tail", "it_tail", "motif_tail", "theme_tail", "setback_tail", "conflict_tail", "outcome_tail", "closing_tail"],
  ...["open_lead", "open_tail", "ask_lead", "ask_tail", "deflect_lead", "deflect_tail", "push_lead", "push_tail", "reveal_lead", "reveal_tail"],
  ...["warn_lead", "warn_tail", "react_lead", "react_tail", "react_question_tail", "close_lead", "close_tail"],
]);

const grammars = new Map<GenreKey, Grammar>();

/** The grammar of one genre: the rules above and the genre's sights, sounds and smells. */
export function proseGrammar(kit: GenreKit): Grammar {
  let grammar = grammars.get(kit.key);
  if (!grammar) {
    const { senses } = kit;
    const smells = senses.smells.flatMap((first) => senses.smells.filter((second) => second !== first).map((second) => `${first} and, faintly, of ${second}`));
    grammar = new Grammar({
      ...RULES,
      sound: senses.sounds,
      smell: senses.smells,
      smells,
      light: senses.lights,
      texture: senses.textures,
      weather: senses.weather,
    });
    grammars.set(kit.key, grammar);
  }
  return grammar;
}
