import { describe, expect, it } from "vitest";
import { toPresentTense } from "./tense";

describe("toPresentTense", () => {
  it.each([
    ["She crossed to the window and looked out.", "She crosses to the window and looks out."],
    ["I crossed to the window and looked out.", "I cross to the window and look out."],
    ["Tomas was tired, and I was not.", "Tomas is tired, and I am not."],
    ["I watched Tomas and waited.", "I watch Tomas and wait."],
    ["Tomas looked at me and smiled.", "Tomas looks at me and smiles."],
    ["The lamps flickered and went out.", "The lamps flicker and go out."],
    ["The rattle of teacups came again.", "The rattle of teacups comes again."],
    ["She had been here before and had hoped never to come back.", "She has been here before and has hoped never to come back."],
    ["Was it fear? Perhaps.", "Is it fear? Perhaps."],
    ["She could not name it, and she knew that it would not last.", "She cannot name it, and she knows that it will not last."],
    ["What would Wren have done?", "What would Wren have done?"],
    ["He stood, walked the length of the room and came back.", "He stands, walks the length of the room and comes back."],
    ["There were two doors, and neither was locked.", "There are two doors, and neither is locked."],
    ["The door was locked, and her left hand shook.", "The door is locked, and her left hand shakes."],
    ["Tomas stood up when I came in, then sat down again.", "Tomas stands up when I come in, then sits down again."],
    ["The glow of the lamps along the quay made everything look older.", "The glow of the lamps along the quay makes everything look older."],
    ["The lamps along the quay went out one by one.", "The lamps along the quay go out one by one."],
  ])("%s", (past, present) => {
    expect(toPresentTense(past)).toBe(present);
  });

  it("leaves speech as it was said", () => {
    expect(toPresentTense("“I was there,” she said. “You saw me.”")).toBe("“I was there,” she says. “You saw me.”");
    expect(toPresentTense("“Go,” said Tomas.")).toBe("“Go,” says Tomas.");
  });

  it("keeps phrases that speak of the past as they are", () => {
    expect(toPresentTense("She thought of who opened the gates.", ["who opened the gates"])).toBe("She thinks of who opened the gates.");
    expect(toPresentTense("She thought of who opened the gates.")).toBe("She thinks of who opens the gates.");
  });
});
