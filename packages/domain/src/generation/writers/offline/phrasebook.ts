/**
 * The sentences the offline writer builds scenes from. Narration is written
 * in the past tense (the voice pass moves a present-tense book into the
 * present), and every template is one "piece": it may hold two short
 * sentences that belong together. `[a|b|c]` picks one of the choices.
 *
 * Narration slots: {P} {Po} {Pp} {Pr} the point-of-view character as
 * subject, object, possessive and reflexive (a name or a pronoun, whichever
 * reads clearly); {Q} {Qo} {Qp} the scene partner likewise, {Qn} the
 * partner's name; {X} an absent character; {place} {elsewhere} {feature};
 * {centre} {threat} {secret} {prop}; {sound} {smell} {smell2}
 * {light} {texture} {weather}; {goal}; {daypart}; {relation}; {eyes} {age}
 * {job} the partner's facts; {Time} the scene's opening phrase.
 *
 * Speech slots: {L} the listener's name, {oath}, and the story slots above.
 */

export const OPENINGS = [
  "{Time}, {weather} had settled over {place}, and the [streets|paths|passages] [were empty|had emptied early|belonged to nobody].",
  "{Time}, {place} smelled of {smell}, and of something [older|staler|sharper] underneath.",
  "{Time}, {light} lay across {feature}, and {place} was quieter than {P} expected.",
  "{Time}, {P} went back to {place}, because there was nowhere else left to [go|try|ask].",
  "{Time}, {place} was almost empty, which was either [a mercy|a warning|a piece of luck] or nothing at all.",
  "{Time}, {sound} was the first thing {P} noticed [at|on reaching] {place}.",
  "{Time}, {P} came to {place} tired, hungry and in no mood for company.",
  "{Time}, there was {weather} over {place}, and nobody was out in it who did not have to be.",
  "{Time}, {P} found {place} exactly as {P} remembered it, which was [somehow|perhaps] worse.",
  "{Time}, {P} reached {place} a little later than [planned|promised], and [not in the best of tempers|out of breath|already regretting it].",
  "{Time}, {place} [wore|had put on] its [usual|everyday] face: {feature}, {light}, the smell of {smell}.",
  "{Time}, {P} [stood|waited] for a while [outside|at the edge of] {place} before going in.",
];

export const ARRIVALS = [
  "{P} stood for a moment by {feature} and waited for {Pp} eyes to adjust.",
  "{P} paused by {feature}, listening for [anything out of place|footsteps|voices].",
  "Nobody looked up when {P} came in, [which was something|and that suited {Po}|and that was the first small mercy].",
  "{P} pulled {Pp} collar up and crossed [to|toward] {feature}.",
  "The place was smaller than {P} remembered, and [shabbier|darker|colder] [in every corner|than it had any right to be].",
  "{P} had been here once before and had hoped never to come back.",
  "It was the kind of place where people minded their own business, which suited {Po} [well enough|perfectly|for once].",
  "{P} brushed the damp from {Pp} sleeves and looked around[, taking stock|, counting the ways out|].",
  "{P} walked slowly over to {feature} and [stopped|stood still|waited].",
  "Everything was very still[, as though the whole place were holding its breath|].",
  "{P} took in {feature}, {light}, the [long|narrow] shadows, and the [silence|stillness] that came with them.",
  "{P} made a slow circuit of {feature}, touching nothing.",
];

export const GOALS = [
  "{P} had come to {goal}.",
  "There was only one reason to be here[: | today: ]to {goal}.",
  "{P} meant to {goal} before the {daypart} was out.",
  "The plan was simple: {goal}, and leave [before anyone asked questions|quietly|while there was still time].",
  "All {P} had to do was {goal}. It sounded easy enough, [said like that|on paper|from a distance].",
  "If {P} could {goal}, the rest might still be saved.",
  "{P} had promised {Pr} one thing: {P} would {goal}, whatever it [took|cost].",
  "[Somewhere between the last sleepless night and this one|On the way here], {P} had decided to {goal}.",
];

export const PARTNER_ARRIVALS = [
  "{Qn} was already there, [at|near|by] {feature}.",
  "{Qn} arrived late, as {Q} always did, and [did not apologise|made no excuses|nodded as if nothing were wrong].",
  "{Qn} was waiting by {feature}, {prop} in front of {Qo}.",
  "It took {Po} a moment to see {Qn} in the corner, half in shadow.",
  "{Qn} looked up as {P} came in, and did not smile.",
  "{Qn} came in a little after, shaking the cold from {Qp} hands.",
  "{Qn} was sitting with {Qp} back to the wall, watching the door.",
  "{Qn} stood up too quickly when {P} came in, then sat down again.",
  "[Of course|As expected], {Qn} was there first, [looking as if|as though] {Q} had been waiting for hours.",
];

export const EYES_LINES = [
  "{Qn}’s {eyes} eyes gave nothing away.",
  "{Qn}’s {eyes} eyes moved from {Po} to the door and back.",
  "The light caught {Qn}’s {eyes} eyes, and for a moment {Q} looked very young.",
];

export const AGE_LINES = [
  "{Qn} was {age} years old and looked every day of it[ tonight| just now|].",
  "{Qn} was {age} years old, and had outlived most of the people who might have helped.",
];

export const JOB_LINES = [
  "{Qn} had worked as {job} for most of {Qp} life, and it showed in {Qp} hands.",
  "{Qn} was {job}, and thought like one.",
];

export const ACTIONS = [
  "{P} turned {prop} over in {Pp} hands, [feeling its weight|not really seeing it|as if it might explain something].",
  "{P} crossed to {feature} and stood there, listening.",
  "{P} sat down without being asked.",
  "{P} pulled out a chair and sat with {Pp} back to the wall, [out of habit|the way {P} always did|where the door stayed in view].",
  "{P} rubbed {Pp} eyes. It had been a long day, and it was not over.",
  "{P} reached for {prop}, then thought better of it.",
  "{P} glanced at the door, then back at {Qn}.",
  "{P} waited near {feature} and folded {Pp} arms.",
  "{P} said nothing for a while[, and allowed the silence to do the work|].",
  "{P} made {Pr} breathe slowly[, in and out, the way {P} had been taught|].",
  "{P} moved closer to {feature}, where the light was better.",
  "{P} looked quickly at {Qn}, then away.",
  "{P} picked up {prop} and laid it down again.",
  "{P} kept {Pp} hands still, which took more effort than it should have.",
  "{P} shifted {Pp} weight and felt every hour of the day in {Pp} back.",
  "{P} studied {Qn}’s face and found nothing useful there.",
  "{P} began to pace, stopped, and made {Pr} stand still.",
  "{P} counted the [exits|doors|ways out] without meaning to; there were [two|three], and neither was [good|quick|quiet].",
];

export const PARTNER_ACTIONS = [
  "{Q} poured two cups of something dark and pushed one across.",
  "{Q} leaned back and studied {Po} for a long moment.",
  "{Q} tapped a finger against {prop}, thinking.",
  "{Q} shook {Qp} head slowly.",
  "{Q} turned away [to|toward] {feature}.",
  "{Q} laughed, but there was nothing in it.",
  "{Q} stood, walked the length of the room and came back.",
  "{Q} rubbed the back of {Qp} neck and did not answer at once.",
  "{Q} was very quiet for a moment.",
  "{Q} picked at a loose thread on {Qp} sleeve.",
  "{Qn}’s [mouth|jaw] tightened, [only for a moment|just slightly|and then relaxed].",
  "{Q} looked tired in a way {P} had not seen before.",
];

export const SENSES = [
  "Somewhere beyond {feature}, {sound} rose and fell.",
  "[The air|Everything|The whole place] smelled of {smell}.",
  "[The air|The place] smelled of {smell} and, faintly, of {smell2}.",
  "{light} caught the edge of {feature}.",
  "{P} could hear {sound}, and under it, nothing at all.",
  "{P} rested a hand on {texture}[ and felt steadier for it|].",
  "For a while the only sound was {sound}.",
  "It was very cold, and {P} could smell {smell}.",
  "{light} made everything look older than it was.",
  "{sound} came again, closer this time.",
  "Beneath the {smell} there was something else, something {P} could not name.",
  "{P} felt {texture} under {Pp} fingers, and held on.",
  "Outside, the {daypart} went on without anyone.",
  "{light} moved slowly across {feature}.",
  "Every now and then {sound} broke the [quiet|silence], and each time {P} [flinched|looked up|lost the thread of things].",
  "The [cold|damp|stillness] had got into everything: {feature}, {texture}, [the very air|the air itself].",
];

export const THOUGHTS = [
  "{P} thought of {secret}, and of how little anyone had ever said about it.",
  "It would have been easy to walk away. {P} had done it before.",
  "Was it fear? Perhaps. Or only tiredness, which at this hour felt much the same.",
  "{P} knew what {X} would have said, and did not want to hear it, even in memory.",
  "Once, {P} would have trusted {Qn} without thinking. Not any more.",
  "{P} wondered, not for the first time, what {X} was doing now.",
  "Everything came back to {centre}. Everything always had.",
  "{P} had not slept properly in days, and it was beginning to show.",
  "Somewhere in the back of {Pp} mind, a small voice kept asking whether any of this was worth it.",
  "{P} tried not to think about {elsewhere}, and failed.",
  "The truth was that {P} was afraid. Not of {threat}, or not only. Of being wrong.",
  "{P} had spent years learning not to hope. It had not worked.",
  "If {P} was honest, and {P} rarely was, {P} had known this would happen.",
  "{P} remembered {elsewhere} on a day like this one, and the people who had been there.",
  "What would {X} have done? Something braver, probably. Something worse.",
  "{P} felt the old anger rise, and pushed it down.",
  "{P} really wanted to believe that it would be enough.",
  "It was strange, {P} thought, how quickly a life could change shape.",
  "There had been a time when {P} would have laughed at all this. {P} missed that [person|version of {Pr}] [sometimes|more than {P} cared to admit].",
  "[Nobody|No one] had ever told {Po} that the hard part would be the waiting.",
  "{P} thought about {threat}, and about how patient [power|money|fear] could be.",
  "[Later|Afterwards], {P} would wonder whether this was the moment everything [turned|changed|went wrong].",
  "It was not courage that kept {Po} here. It was something [plainer|smaller|more stubborn] than that.",
];

export const RELATION_THOUGHTS = [
  "{Qn} was {Pp} {relation}. Once that would have meant something simple.",
  "{Qn} was {Pp} {relation}, and that made everything harder.",
];

/** A continuity slip some drafts make: the partner placed somewhere else while they are in the scene. */
export const ABSENT_SLIP = "{Qn} was still away at {elsewhere}, and not expected back for days.";

/** Reactions after the scene's conflict surfaces. */
export const SETBACKS = [
  "{P} had expected that. It did not make it easier.",
  "It was not what {P} had come for.",
  "For a moment {P} could not think of anything to say.",
  "So that was how it was going to be.",
  "{P} should have seen it coming.",
  "{P} felt the conversation slip out of {Pp} hands.",
  "{P} [kept|held] {Pp} face still, [which took everything|the way {P} had learned to].",
];

/** The last lines of a scene, after its outcome. */
export const CLOSINGS = [
  "It was not much. It would have to be enough.",
  "{P} did not look back.",
  "Behind {Po}, {sound} went on as if nothing had happened.",
  "It was later than {P} realised.",
  "{P} went out into the {daypart} with more questions than answers.",
  "There would be a price for this. There always was.",
  "Tomorrow, {P} thought, would be worse.",
  "{P} stood there a long time after {Qn} had gone.",
  "Somewhere, {sound} began again.",
  "{P} [wanted|needed] sleep, and knew [there would be none|it would not come].",
];

/** Short pieces the draft adds when a scene comes out a few words short. */
export const SHORT_FILLERS = ["{P} waited.", "Nobody moved.", "It was very late.", "{P} breathed out.", "The moment passed.", "{Q} said nothing.", "{P} nodded once.", "The silence held.", "Somewhere a door closed."];

/** What speakers say, by the part a line plays in a conversation. */
export const SPEECH: Readonly<Record<"open" | "ask" | "deflect" | "push" | "reveal" | "warn" | "react" | "close", readonly string[]>> = {
  open: [
    "You came, then.",
    "I wondered when you’d turn up.",
    "You look terrible, {L}.",
    "{oath}, {L}. Do you know what time it is?",
    "I wasn’t sure you’d come.",
    "Sit down before you fall down.",
    "We need to talk.",
    "I didn’t expect to find you here.",
    "You shouldn’t be here. You know that.",
    "Well. Look who it is.",
    "[Close the door|Shut the door behind you]. [Quickly.|Please.]",
    "I was starting to think you’d [lost your nerve|changed your mind].",
  ],
  ask: [
    "What do you know about {centre}?",
    "Tell me about {secret}.",
    "When did you last see {X}?",
    "Who else knows?",
    "Why did you really come back to {place}?",
    "What happened at {elsewhere}?",
    "Is it true, what they’re saying about {centre}?",
    "How long have you known?",
    "What aren’t you telling me?",
    "And where does all this leave {threat}?",
    "What would you do, if you were me?",
  ],
  deflect: [
    "That’s not something I talk about.",
    "You’re asking the wrong person.",
    "Does it matter now?",
    "Not here. Not with the door open.",
    "I could ask you the same thing.",
    "It’s late, {L}. Go home.",
    "You wouldn’t believe me if I told you.",
    "Some things are better left where they are.",
    "I don’t know what you mean.",
    "Leave it alone. I mean it.",
    "[I’ve told you everything|That’s all I know]. [Honestly.|I swear it.]",
    "You always did ask too many questions.",
  ],
  push: [
    "I’m not leaving until you tell me.",
    "You owe me that much.",
    "Please. I need to know.",
    "Don’t lie to me. Not you.",
    "I’ve come a long way for this, {L}.",
    "Then tell me who would know.",
    "Look at me and say that again.",
    "People are going to get hurt. Do you understand that?",
    "I’m asking as a friend. Next time I won’t be.",
    "[We haven’t got time for this|There isn’t time for this], {L}.",
  ],
  reveal: [
    "{X} was at {elsewhere} the night it happened.",
    "There’s more to {centre} than you think.",
    "{threat} sent someone asking about you. Yesterday.",
    "It was never about {centre}. It was about {secret}.",
    "Someone paid a great deal of money to keep people quiet about {secret}.",
    "I know where to start looking. That’s all I know.",
    "Everyone in {place} knows something about {secret}. Nobody says it.",
    "{X} knows more than anyone thinks. Ask about {secret}.",
    "[I saw|Somebody saw] {X} at {elsewhere}, [the week before|a few days before] everything [started|went wrong].",
  ],
  warn: [
    "{threat} won’t forgive this.",
    "Be careful at {elsewhere}. Nothing there is what it looks like.",
    "Don’t trust {X}. Whatever you do.",
    "Walk away from {centre} while you still can.",
    "You’re being watched, {L}. You have been for days.",
    "If this goes wrong, I never met you.",
    "[Whatever you find|Whatever happens], don’t go to {elsewhere} alone.",
  ],
  react: [
    "I don’t believe you.",
    "Then we’re out of time.",
    "You should have told me.",
    "I thought you were my friend.",
    "That changes everything.",
    "I know. That’s why I’m here.",
    "Why are you telling me this now?",
    "Is that supposed to frighten me?",
    "All right. Then we do it my way.",
    "{oath}. I was afraid you’d say that.",
    "[That’s|It’s] not good enough, {L}.",
    "[Who told you|Where did you hear] that?",
  ],
  close: [
    "All right. But not for you. For {X}.",
    "One day. That’s all I can give you.",
    "No. And don’t ask me again.",
    "Fine. Meet me at {elsewhere} at first light.",
    "Go. Before I change my mind.",
    "I’ll think about it. That’s all I’ll promise.",
  ],
};

/**
 * The course of a conversation: which part comes next and who says it. The
 * two speakers alternate; a long scene starts again from the first question.
 */
export const CONVERSATION: readonly (readonly [keyof typeof SPEECH, "pov" | "partner"])[] = [
  ["open", "partner"],
  ["ask", "pov"],
  ["deflect", "partner"],
  ["push", "pov"],
  ["reveal", "partner"],
  ["react", "pov"],
  ["warn", "partner"],
  ["react", "pov"],
  ["reveal", "partner"],
  ["ask", "pov"],
  ["deflect", "partner"],
  ["push", "pov"],
  ["close", "partner"],
];

/** Things a speaker does instead of, or as well as, a tag. Slots: {S} the speaker, {Sp} their possessive, {Lo} the listener as object. */
export const BEATS = [
  "{S} looked [away|down|toward the window|at {Sp} hands].",
  "{S} folded {Sp} arms[ across {Sp} chest|].",
  "{S} rubbed {Sp} [eyes|temples|jaw].",
  "{S} glanced at [the door|the window|{feature}].",
  "{S} shrugged[, as if it hardly mattered|, a little too casually|].",
  "{S} gave a [short|dry|tired] laugh.",
  "{S} studied {Lo} [for a long moment|carefully|as if seeing {Lo} for the first time].",
  "{S} did not look up.",
  "{S} frowned[ at the floor|].",
  "{S} leaned [forward|back|closer].",
  "{S} pushed {Sp} hair back from {Sp} face.",
  "{S} sighed[, and it seemed to come from a long way down|].",
  "{S} lowered {Sp} voice.",
  "{S} [hesitated|paused], [just for a moment|and seemed to weigh something].",
  "{S} smiled[ thinly| without warmth|, briefly].",
];

/** Phrases that can trail a tag ("she said, without looking up"). */
export const TAG_TAILS = ["without looking up", "not quite meeting {Lp} eyes", "half to {Sr}", "more gently now", "after a moment", "very quietly"];

