import { describe, expect, it } from "vitest";
import { MetadataError, parseMetadata } from "./front-matter";
import { changedFields, EMPTY_METADATA, mergeMetadata } from "./metadata";

describe("parseMetadata", () => {
  it("reads the YAML front matter fields", () => {
    const parsed = parseMetadata(
      "---\ntitle: Canvas\ndescription: Draws things\nauthor: Ada\nlicense: MIT\nversion: 1.2.0\ntags: [art, canvas]\ntools:\n  - Read\n  - Write\n---\n# Canvas\n",
    );
    expect(parsed).toEqual({ title: "Canvas", description: "Draws things", author: "Ada", license: "MIT", version: "1.2.0", tags: ["art", "canvas"], tools: ["Read", "Write"] });
  });

  it("takes `name` as the title and `allowed-tools` as tools, as agent files write them", () => {
    expect(parseMetadata("---\nname: reviewer\nallowed-tools: Read, Grep\n---\nReviews code.")).toMatchObject({ title: "reviewer", tools: ["Read", "Grep"], description: "Reviews code." });
  });

  it("falls back to the first body line that is not a heading, cut to 200 characters", () => {
    const long = "x".repeat(300);
    expect(parseMetadata(`# Title\n\n## Sub\n\n${long}\nsecond`).description).toBe("x".repeat(200));
    expect(parseMetadata("---\ntitle: T\n---\n\n# H\nFirst line.\n").description).toBe("First line.");
  });

  it("leaves out fields the file does not mention, so they can be kept", () => {
    expect(parseMetadata("---\ntitle: Only\n---\n# Heading only\n")).toEqual({ title: "Only" });
  });

  it("refuses front matter in any language but YAML, so nothing is ever evaluated", () => {
    expect(() => parseMetadata('---js\n{ title: require("child_process").execSync("id").toString() }\n---\n')).toThrow(MetadataError);
    expect(() => parseMetadata("---javascript\nmodule.exports = {}\n---\n")).toThrow(/refused/);
    expect(() => parseMetadata("---coffee\ntitle: 'x'\n---\n")).toThrow(/refused/);
  });

  it("refuses malformed YAML and non-mapping front matter with a specific message", () => {
    expect(() => parseMetadata("---\ntitle: [unclosed\n---\n")).toThrow(/not valid YAML/);
    expect(() => parseMetadata("---\n- a\n- b\n---\n")).toThrow(/mapping/);
  });

  it("refuses YAML tags that would construct code", () => {
    expect(() => parseMetadata("---\ntitle: !!js/function 'function () { return 1 }'\n---\n")).toThrow(/not valid YAML/);
  });
});

describe("mergeMetadata", () => {
  const current = { ...EMPTY_METADATA, title: "Old", description: "Kept", tags: ["a"] };

  it("keeps a field that upstream omits and takes the ones it gives", () => {
    const merged = mergeMetadata(current, { title: "New" });
    expect(merged).toEqual({ ...current, title: "New" });
    expect(changedFields(current, merged)).toEqual(["title"]);
  });

  it("touches only the fields asked for", () => {
    const merged = mergeMetadata(current, { title: "New", tags: ["b"] }, ["tags"]);
    expect(merged).toEqual({ ...current, tags: ["b"] });
  });
});
