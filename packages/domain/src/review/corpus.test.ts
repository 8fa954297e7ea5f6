import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { reviewFile } from "./reviewer";
import { REVIEW_RULES } from "./rules";

const CORPUS = fileURLToPath(new URL("./corpus/", import.meta.url));

interface Expected {
  malicious: Record<string, { rule_id: string; severity: string }[]>;
  benign: Record<string, { allowed: string[] }>;
}
const expected = JSON.parse(readFileSync(join(CORPUS, "expected.json"), "utf8")) as Expected;

/** Every file of an artifact (a folder, or a single .md file), with its path inside the artifact. */
function filesOf(root: string): { path: string; content: Buffer }[] {
  if (statSync(root).isFile()) return [{ path: root.split("/").pop() ?? root, content: readFileSync(root) }];
  const walk = (dir: string): string[] => readdirSync(dir, { withFileTypes: true }).flatMap((entry) => (entry.isDirectory() ? walk(join(dir, entry.name)) : [join(dir, entry.name)]));
  return walk(root).map((file) => ({ path: relative(root, file), content: readFileSync(file) }));
}

function review(root: string) {
  return filesOf(root).flatMap(({ path, content }) => reviewFile(path, content).map((finding) => ({ ...finding, path })));
}

describe("the security review against its corpora (docs/security-review.md)", () => {
  it("catches every malicious fixture at its expected severity (recall)", () => {
    const missed: string[] = [];
    let expectations = 0;
    for (const [artifact, rules] of Object.entries(expected.malicious)) {
      const findings = review(join(CORPUS, "malicious", artifact));
      for (const rule of rules) {
        expectations += 1;
        if (!findings.some((finding) => finding.rule_id === rule.rule_id && finding.severity === rule.severity)) {
          missed.push(`${artifact}: ${rule.rule_id} (${rule.severity}); found ${findings.map((finding) => `${finding.rule_id}@${finding.path}:${finding.line}`).join(", ") || "nothing"}`);
        }
      }
    }
    expect(Object.keys(expected.malicious).length).toBeGreaterThanOrEqual(40);
    expect(expectations).toBeGreaterThan(0);
    expect(missed, `recall ${expectations - missed.length}/${expectations}`).toEqual([]);
  });

  it("raises no high finding on any benign fixture, and only the findings each one allows (precision)", () => {
    const highs: string[] = [];
    const unexpected: string[] = [];
    for (const [artifact, { allowed }] of Object.entries(expected.benign)) {
      for (const finding of review(join(CORPUS, "benign", artifact))) {
        const label = `${artifact}: ${finding.rule_id} (${finding.severity}) at ${finding.path}:${finding.line} — ${finding.excerpt}`;
        if (finding.severity === "high") highs.push(label);
        else if (!allowed.includes(finding.rule_id)) unexpected.push(label);
      }
    }
    expect(Object.keys(expected.benign).length).toBeGreaterThanOrEqual(40);
    expect(highs).toEqual([]);
    expect(unexpected).toEqual([]);
  });

  it("covers every rule family in the malicious corpus (symlinks are tested with real links elsewhere)", () => {
    const covered = new Set(Object.values(expected.malicious).flatMap((rules) => rules.map((rule) => rule.rule_id)));
    expect(REVIEW_RULES.map((rule) => rule.id).filter((id) => !covered.has(id) && id !== "file.symlink")).toEqual([]);
  });
});
