import { describe, expect, it } from "vitest";
import { INLINE_OFFLOAD, type Offload, type OffloadTask } from "../offload";
import { MetadataError, parseMetadata } from "./metadata";
import { MetadataParser } from "./metadata-parser";

const SKILL = "---\ntitle: Canvas\ndescription: Draws\ntags: [art, tools]\n---\n\nBody.\n";
const NOT_YAML = "---js\nmodule.exports = {}\n---\n";

describe("the metadata parser of a refresh", () => {
  it("sends the files asked for in one turn as one batch, and gives each its own result", async () => {
    const batches: number[] = [];
    const counting: Offload = {
      run: (task: OffloadTask) => {
        if (task.kind === "parse-metadata") batches.push(task.texts.length);
        return INLINE_OFFLOAD.run(task);
      },
    };
    const parser = new MetadataParser(counting);
    const results = await Promise.all([parser.parse(SKILL), parser.parse(SKILL.replace("Canvas", "Brush")), parser.parse("No front matter.\n")]);
    expect(batches).toEqual([3]);
    expect(results).toEqual([parseMetadata(SKILL), parseMetadata(SKILL.replace("Canvas", "Brush")), parseMetadata("No front matter.\n")]);
    await parser.parse(SKILL);
    expect(batches).toEqual([3, 1]);
  });

  it("fails only the file that cannot be parsed, with the parser's own message", async () => {
    const parser = new MetadataParser(INLINE_OFFLOAD);
    const [good, bad] = await Promise.allSettled([parser.parse(SKILL), parser.parse(NOT_YAML)]);
    expect(good).toEqual({ status: "fulfilled", value: parseMetadata(SKILL) });
    expect(bad.status).toBe("rejected");
    const reason = (bad as PromiseRejectedResult).reason as Error;
    expect(reason).toBeInstanceOf(MetadataError);
    expect(() => parseMetadata(NOT_YAML)).toThrow(reason.message);
  });

  it("parses on the calling thread without an offload", async () => {
    expect(await new MetadataParser(null).parse(SKILL)).toEqual(parseMetadata(SKILL));
  });
});
