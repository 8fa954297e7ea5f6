import { describe, expect, it } from "vitest";
import { CONTENT_LIMITS, textOf, type StoredFile } from "@scriptorium/contract";
import { blobHash } from "./blob-store";
import { differingPaths, fileChanges, mergeThreeWay } from "./three-way";

/** Files and the bytes behind them, as the merge reads them by hash. */
function versions() {
  const bytes = new Map<string, Buffer>();
  const file = (path: string, content: string | Buffer, executable = false): StoredFile => {
    const buffer = typeof content === "string" ? Buffer.from(content) : content;
    const sha256 = blobHash(buffer);
    bytes.set(sha256, buffer);
    return { path, sha256, size: buffer.length, executable };
  };
  const read = async (sha256: string) => {
    const found = bytes.get(sha256);
    if (!found) throw new Error(`unknown ${sha256}`);
    return found;
  };
  return { file, read, bytes };
}

const TEN = Array.from({ length: 10 }, (_, index) => `line ${index + 1}`);
const text = (changes: Record<number, string> = {}) => `${TEN.map((line, index) => changes[index] ?? line).join("\n")}\n`;

describe("three-way merge of an artifact's files", () => {
  it("takes each side's own changes and merges lines changed on both sides apart", async () => {
    const { file, read, bytes } = versions();
    const base = [file("a.md", text()), file("same.md", "same\n"), file("gone.md", "bye\n"), file("x.sh", "run\n")];
    const ours = [file("a.md", text({ 1: "line 2 ours" })), file("same.md", "same\n"), file("gone.md", "bye\n"), file("x.sh", "run\n", true), file("mine.md", "mine\n")];
    const theirs = [file("a.md", text({ 8: "line 9 theirs" })), file("same.md", "same\n"), file("x.sh", "run\n"), file("new.md", "new\n")];
    const merged = await mergeThreeWay(base, ours, theirs, read, "skip");
    expect(merged.conflicts).toEqual([]);
    expect(merged.files.map((entry) => entry.path)).toEqual(["a.md", "mine.md", "new.md", "same.md", "x.sh"]);
    const a = merged.files.find((entry) => entry.path === "a.md") as StoredFile;
    expect(merged.produced.get(a.sha256)?.toString()).toBe(text({ 1: "line 2 ours", 8: "line 9 theirs" }));
    expect(bytes.has(a.sha256)).toBe(false);
    expect(merged.files.find((entry) => entry.path === "x.sh")?.executable).toBe(true);
  });

  it("names every kind of conflict, and settles conflicting files as asked", async () => {
    const { file, read } = versions();
    const binary = (fill: number) => Buffer.from([0, fill, 0, fill]);
    const base = [file("a.md", text()), file("b.bin", binary(1)), file("c.md", "c\n")];
    const ours = [file("a.md", text({ 4: "five ours" })), file("b.bin", binary(2)), file("c.md", "c ours\n"), file("d.md", "d ours\n")];
    const theirs = [file("a.md", text({ 4: "five theirs" })), file("b.bin", binary(3)), file("d.md", "d theirs\n")];
    const skip = await mergeThreeWay(base, ours, theirs, read, "skip");
    expect(skip.conflicts.map((conflict) => [conflict.path, conflict.kind])).toEqual([
      ["a.md", "content"],
      ["b.bin", "binary"],
      ["c.md", "delete_modify"],
      ["d.md", "add_add"],
    ]);
    expect(skip.conflicts[2]).toMatchObject({ theirsSha256: null, oursSha256: ours[2]?.sha256 });
    const keep = await mergeThreeWay(base, ours, theirs, read, "keep_local");
    expect(keep.files).toEqual(ours);
    const take = await mergeThreeWay(base, ours, theirs, read, "take_upstream");
    expect(take.files).toEqual(theirs);
  });
});

describe("file changes between two versions", () => {
  it("counts lines, marks binaries and executable bits, and writes unified diffs on request", async () => {
    const { file, read } = versions();
    const from = [file("a.md", text()), file("b.bin", Buffer.from([0, 1])), file("run.sh", "go\n"), file("old.md", "old\n")];
    const to = [file("a.md", text({ 2: "changed" })), file("b.bin", Buffer.from([0, 2])), file("run.sh", "go\n", true), file("new.md", "one\ntwo\n")];
    expect(differingPaths(from, to)).toEqual(["a.md", "b.bin", "new.md", "old.md", "run.sh"]);
    const plain = await fileChanges(from, to, read, false);
    expect(plain).toEqual([
      { path: "a.md", change: "modified", additions: 1, deletions: 1 },
      { path: "b.bin", change: "modified", additions: 0, deletions: 0 },
      { path: "new.md", change: "added", additions: 2, deletions: 0 },
      { path: "old.md", change: "deleted", additions: 0, deletions: 1 },
      { path: "run.sh", change: "modified", additions: 0, deletions: 0 },
    ]);
    const [a] = await fileChanges(from, to, read, true);
    expect(a?.patch).toBe("--- a/a.md\n+++ b/a.md\n@@ -1,6 +1,6 @@\n line 1\n line 2\n-line 3\n+changed\n line 4\n line 5\n line 6\n");
  });

  it("cuts a patch over the size limit at a line end and says so", async () => {
    const { file, read } = versions();
    const long = (tag: string) => Array.from({ length: 5_000 }, (_, index) => `${tag} line ${index} ${"x".repeat(30)}`).join("\n");
    const [change] = await fileChanges([file("big.md", long("old"))], [file("big.md", long("new"))], read, true);
    expect(change?.truncated).toBe(true);
    expect(Buffer.byteLength(change?.patch ?? "")).toBeLessThanOrEqual(CONTENT_LIMITS.patchBytes);
    expect(change?.patch?.endsWith("\n")).toBe(true);
    expect(change).toMatchObject({ additions: 5_000, deletions: 5_000 });
  });

  it("reads text only when it is UTF-8 without NUL bytes", () => {
    expect(textOf(Buffer.from("héllo\n"))).toBe("héllo\n");
    expect(textOf(Buffer.from([0xff, 0xfe, 0x41]))).toBeNull();
    expect(textOf(Buffer.from([0x41, 0x00, 0x42]))).toBeNull();
  });
});
