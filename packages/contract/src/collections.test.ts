import { describe, expect, it } from "vitest";
import { CreateCollectionInput, REFRESH_MODE_ALIASES, REFRESH_MODES, SourceInput, UpdateCollectionInput } from "./collections";
import { ARTIFACT_TYPES, describeSource, isArtifactType } from "./values";

describe("describeSource", () => {
  it("writes each kind the way people type it", () => {
    expect(describeSource({ kind: "local", path: "/srv/skills/canvas" })).toBe("/srv/skills/canvas");
    expect(describeSource({ kind: "github", repo: "o/r", path: "p", ref: "v1" })).toBe("o/r/p@v1");
    expect(describeSource({ kind: "git", url: "https://example.com/r.git", path: "skills/x", ref: "main" })).toBe("https://example.com/r.git//skills/x@main");
  });

  it("leaves out an empty path and a missing ref", () => {
    expect(describeSource({ kind: "github", repo: "o/r", path: "", ref: null })).toBe("o/r");
    expect(describeSource({ kind: "git", url: "file:///srv/r.git", path: "", ref: null })).toBe("file:///srv/r.git");
  });
});

describe("vocabulary", () => {
  it("knows the artifact types and nothing else", () => {
    expect(ARTIFACT_TYPES.every(isArtifactType)).toBe(true);
    expect(isArtifactType("plugin")).toBe(false);
    expect(isArtifactType("Skill")).toBe(false);
  });

  it("aliases only to refresh modes that exist", () => {
    expect(Object.values(REFRESH_MODE_ALIASES).every((mode) => (REFRESH_MODES as readonly string[]).includes(mode))).toBe(true);
  });
});

describe("SourceInput", () => {
  it("takes the short form and the tagged objects, trimming what people type", () => {
    expect(SourceInput.parse("  owner/repo/skills/x@v1  ")).toBe("owner/repo/skills/x@v1");
    expect(SourceInput.parse({ kind: "git", url: " https://example.com/r.git ", path: " skills ", ref: " main " })).toEqual({
      kind: "git",
      url: "https://example.com/r.git",
      path: "skills",
      ref: "main",
    });
    expect(SourceInput.parse({ kind: "github", repo: "o/r" })).toEqual({ kind: "github", repo: "o/r" });
  });

  it("refuses an empty source and an empty git URL with advice", () => {
    expect(SourceInput.safeParse("   ").error?.issues[0]?.message).toBe("Enter a path on the server or owner/repo/path@ref.");
    const emptyUrl = SourceInput.safeParse({ kind: "git", url: "" });
    expect(emptyUrl.success).toBe(false);
  });
});

describe("collection inputs", () => {
  it("trims the name and description and names what is wrong", () => {
    expect(CreateCollectionInput.parse({ name: "  Team skills ", description: " For the team. " })).toEqual({ name: "Team skills", description: "For the team." });
    expect(CreateCollectionInput.safeParse({ name: "   " }).error?.issues[0]?.message).toBe("Give the collection a name.");
    expect(CreateCollectionInput.safeParse({ name: "x".repeat(101) }).error?.issues[0]?.message).toBe("Keep the name to 100 characters or fewer.");
    expect(CreateCollectionInput.safeParse({ name: "x", description: "d".repeat(2001) }).error?.issues[0]?.message).toBe(
      "Keep the description to 2,000 characters or fewer.",
    );
  });

  it("lets an update change either field alone, and needs the collection's id", () => {
    expect(UpdateCollectionInput.parse({ collection_id: "c1", description: "" })).toEqual({ collection_id: "c1", description: "" });
    expect(UpdateCollectionInput.safeParse({ name: "x" }).success).toBe(false);
    expect(UpdateCollectionInput.safeParse({ collection_id: "c\u00001" }).success).toBe(false);
  });
});
