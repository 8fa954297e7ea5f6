import { describe, expect, it } from "vitest";
import { STAGE, STAGES } from "./stages";

describe("stages", () => {
  it("STAGE gives every stage's number by its key", () => {
    expect(STAGE).toEqual(Object.fromEntries(STAGES.map((stage) => [stage.key, stage.number])));
  });
});
