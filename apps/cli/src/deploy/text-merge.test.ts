import { describe, expect, it } from "vitest";
import { hasConflictMarkers, mergeThreeWay, mergeTwoWay, resolveMarkers } from "./text-merge";

const base = "one\ntwo\nthree\nfour\nfive\n";

describe("merges of deployed files", () => {
  it("keeps changes on both sides that do not overlap", () => {
    expect(mergeThreeWay(base, base.replace("one", "ONE"), base.replace("five", "FIVE"), undefined)).toEqual({ text: "ONE\ntwo\nthree\nfour\nFIVE\n", conflict: false });
  });

  it("marks overlapping changes, or decides them one way, keeping the clean merges around them", () => {
    const local = base.replace("two", "mine").replace("five", "FIVE");
    const collection = base.replace("two", "theirs");
    const marked = mergeThreeWay(base, local, collection, undefined);
    expect(marked).toEqual({ text: "one\n<<<<<<< local\nmine\n=======\ntheirs\n>>>>>>> collection\nthree\nfour\nFIVE\n", conflict: true });
    expect(hasConflictMarkers(marked.text)).toBe(true);
    expect(resolveMarkers(marked.text, "collection")).toBe("one\ntheirs\nthree\nfour\nFIVE\n");
    expect(resolveMarkers(marked.text, "local")).toBe(local);
    expect(mergeThreeWay(base, local, collection, "collection")).toEqual({ text: "one\ntheirs\nthree\nfour\nFIVE\n", conflict: false });
    expect(hasConflictMarkers(local)).toBe(false);
  });

  it("merges two ways when there is no base: common lines kept, every difference a conflict", () => {
    const merged = mergeTwoWay('prompt = "a"\nend\n', 'prompt = "b"\nend\n', undefined);
    expect(merged).toEqual({ text: '<<<<<<< local\nprompt = "a"\n=======\nprompt = "b"\n>>>>>>> collection\nend\n', conflict: true });
    expect(mergeTwoWay("x\n", "y\n", "local")).toEqual({ text: "x\n", conflict: false });
  });
});
