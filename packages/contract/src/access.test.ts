import { describe, expect, it } from "vitest";
import { CreateApiKeyInput } from "./access";
import { SCOPES, scopeIncludes } from "./values";

describe("scopeIncludes", () => {
  it("lets each scope include itself and every scope below it, and nothing above", () => {
    SCOPES.forEach((held, heldRank) => {
      SCOPES.forEach((needed, neededRank) => {
        expect(scopeIncludes(held, needed), `${held} ⊇ ${needed}`).toBe(heldRank >= neededRank);
      });
    });
  });
});

describe("CreateApiKeyInput", () => {
  it("issues read keys unless told otherwise, and trims the name", () => {
    expect(CreateApiKeyInput.parse({ name: " CI " })).toEqual({ name: "CI", scope: "read" });
    expect(CreateApiKeyInput.parse({ name: "ops", scope: "admin" })).toEqual({ name: "ops", scope: "admin" });
  });

  it("asks for a name, and refuses scopes that do not exist", () => {
    expect(CreateApiKeyInput.safeParse({ name: "  " }).error?.issues[0]?.message).toBe("Give the key a name.");
    expect(CreateApiKeyInput.safeParse({ name: "x", scope: "root" }).success).toBe(false);
  });
});
