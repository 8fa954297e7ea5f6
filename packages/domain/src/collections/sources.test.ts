import { describe, expect, it } from "vitest";
import { InvalidError } from "../errors";
import { discoverArtifacts, mainFileOf, validateArtifactName } from "./layout";
import { parseSource } from "./sources";

describe("parseSource", () => {
  it("reads the short forms", () => {
    expect(parseSource("/abs/skills/canvas")).toEqual({ kind: "local", path: "/abs/skills/canvas" });
    expect(parseSource("./skills/canvas", "/work")).toEqual({ kind: "local", path: "/work/skills/canvas" });
    expect(parseSource("anthropics/skills/document-skills/pdf@v1.2.0")).toEqual({ kind: "github", repo: "anthropics/skills", path: "document-skills/pdf", ref: "v1.2.0" });
    expect(parseSource("owner/repo")).toEqual({ kind: "github", repo: "owner/repo", path: "", ref: null });
    // The ref is what follows the last "@".
    expect(parseSource("owner/repo/a@b/c@v2")).toEqual({ kind: "github", repo: "owner/repo", path: "a@b/c", ref: "v2" });
  });

  it("validates the tagged objects", () => {
    expect(parseSource({ kind: "git", url: "file:///srv/repo.git", path: "/skills/x/", ref: "main" })).toEqual({ kind: "git", url: "file:///srv/repo.git", path: "skills/x", ref: "main" });
    expect(() => parseSource({ kind: "git", url: "ext::sh -c id", path: "", ref: null })).toThrow(InvalidError);
    expect(() => parseSource({ kind: "local", path: "relative/path" })).toThrow(/absolute/);
    expect(() => parseSource({ kind: "github", repo: "not a repo", path: "", ref: null })).toThrow(InvalidError);
    expect(() => parseSource({ kind: "git", url: "https://example.com/r.git", path: "a/../../etc", ref: null })).toThrow(/\.\./);
  });

  it("refuses what it cannot read, saying which forms it accepts", () => {
    expect(() => parseSource("just-a-word")).toThrow(/owner\/repo\/path@ref/);
    expect(() => parseSource("")).toThrow(InvalidError);
  });
});

describe("artifact layout", () => {
  it("validates names", () => {
    expect(validateArtifactName("canvas-design")).toBeNull();
    for (const bad of ["a/b", "a\\b", "..", "x..y", ".hidden", ""]) expect(validateArtifactName(bad)).not.toBeNull();
  });

  it("probes the main file by type, then in the fixed order", () => {
    expect(mainFileOf(["README.md", "SKILL.md"], "skill", false)).toBe("SKILL.md");
    expect(mainFileOf(["README.md", "AGENT.md", "COMMAND.md"], "agent", false)).toBe("AGENT.md");
    expect(mainFileOf(["README.md", "AGENT.md", "COMMAND.md"], "mcp", false)).toBe("COMMAND.md");
    expect(mainFileOf(["README.md"], "mcp", false)).toBe("README.md");
    expect(mainFileOf(["deploy.md"], "command", true)).toBe("deploy.md");
  });

  it("treats a folder with a main file as one artifact", () => {
    expect(discoverArtifacts(["SKILL.md", "scripts/run.sh"], { name: "/x/canvas", isFile: false })).toEqual([{ path: "", type: "skill", name: "canvas", isFile: false }]);
  });

  it("finds every artifact in a folder of artifacts", () => {
    const files = [
      "README.md",
      "skills/canvas/SKILL.md",
      "skills/canvas/assets/a.png",
      "skills/pdf/SKILL.md",
      "commands/deploy.md",
      "agents/reviewer.md",
      "mcp/github/README.md",
      "docs/guide.md",
    ];
    expect(discoverArtifacts(files, { name: "repo", isFile: false })).toEqual([
      { path: "agents/reviewer.md", type: "agent", name: "reviewer", isFile: true },
      { path: "commands/deploy.md", type: "command", name: "deploy", isFile: true },
      { path: "mcp/github", type: "mcp", name: "github", isFile: false },
      { path: "skills/canvas", type: "skill", name: "canvas", isFile: false },
      { path: "skills/pdf", type: "skill", name: "pdf", isFile: false },
    ]);
  });

  it("says what it needs when it finds nothing", () => {
    expect(() => discoverArtifacts(["notes.txt"], { name: "/x/empty", isFile: false })).toThrow(/No artifacts found/);
    expect(() => discoverArtifacts(["x.md"], { name: "/x/loose.md", isFile: true })).toThrow(/give its type/);
  });
});
