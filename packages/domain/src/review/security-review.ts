import type { Finding, StoredFile } from "@scriptorium/contract";
import { roleOf, reviewFile, type FileFinding } from "./reviewer";
import { ruleOf } from "./rules";

/** Files' findings remembered per content hash and role: review results of unchanged files are never computed twice. */
const CACHE_LIMIT = 200_000;

/** A finding's identity across versions of an artifact, and what `accept_findings` names: `<rule_id>@<path>`. */
export function findingKey(finding: Pick<Finding, "rule_id" | "path">): string {
  return `${finding.rule_id}@${finding.path}`;
}

/** What an artifact's findings were before a change: reused for every file whose content did not change. */
export interface KnownFindings {
  files: readonly StoredFile[];
  findings: readonly Finding[];
}

const SEVERITY_ORDER = { high: 0, medium: 1, low: 2 } as const;

/** Findings in a stable order: by path, line, then severity and rule. */
export function sortFindings(findings: Finding[]): Finding[] {
  return findings.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : a.line - b.line || SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] || (a.rule_id < b.rule_id ? -1 : 1)));
}

/**
 * The security review of artifacts (docs/security-review.md): every file of
 * a stored copy or of incoming content, read by the rules of its role.
 * Results are kept per content hash and role, and an artifact's previous
 * findings are reused for its unchanged files, so a refresh reviews only
 * what changed.
 */
export class SecurityReview {
  private readonly cache = new Map<string, FileFinding[]>();

  /** `enabled: false` reviews nothing (for measuring what the review costs). */
  constructor(readonly enabled = true) {}

  /**
   * The findings of a set of files; `read` gives a file's bytes by hash.
   * `links` are the symbolic links upstream had among them (never stored,
   * but reported); without them (an edit), the known ones stay reported.
   */
  async review(files: readonly StoredFile[], read: (sha256: string) => Promise<Buffer>, known?: KnownFindings, links?: readonly string[]): Promise<Finding[]> {
    if (!this.enabled) return [];
    const knownByPath = new Map<string, FileFinding[]>();
    if (known) {
      const unchanged = new Map(known.files.map((file) => [file.path, file.sha256]));
      for (const finding of known.findings) {
        const { path, ...rest } = finding;
        if (!unchanged.has(path)) continue;
        const list = knownByPath.get(`${path}\0${unchanged.get(path) ?? ""}`) ?? [];
        list.push(rest);
        knownByPath.set(`${path}\0${unchanged.get(path) ?? ""}`, list);
      }
      for (const file of known.files) if (!knownByPath.has(`${file.path}\0${file.sha256}`)) knownByPath.set(`${file.path}\0${file.sha256}`, []);
    }
    const findings: Finding[] = [];
    for (const file of files) {
      const reused = knownByPath.get(`${file.path}\0${file.sha256}`);
      const fileFindings = reused ?? (await this.reviewOne(file, read));
      for (const finding of fileFindings) findings.push({ ...finding, path: file.path });
    }
    const rule = ruleOf("file.symlink");
    for (const link of links ?? []) {
      findings.push({ rule_id: rule.id, severity: rule.severity, path: link, line: 0, excerpt: link, message: "A symbolic link upstream: it was not copied, and the artifact may not work as its author meant without it." });
    }
    if (known && !links) for (const finding of known.findings) if (finding.rule_id === rule.id && !files.some((file) => file.path === finding.path)) findings.push(finding);
    return sortFindings(findings);
  }

  private async reviewOne(file: StoredFile, read: (sha256: string) => Promise<Buffer>): Promise<FileFinding[]> {
    const key = `${file.sha256}:${roleOf(file.path)}`;
    const cached = this.cache.get(key);
    if (cached) return cached;
    const findings = reviewFile(file.path, await read(file.sha256));
    if (this.cache.size >= CACHE_LIMIT) this.cache.clear();
    this.cache.set(key, findings);
    return findings;
  }
}

/** Counts by severity, as artifacts carry them. */
export function findingsSummary(findings: readonly Pick<Finding, "severity">[]): { high: number; medium: number; low: number } {
  const summary = { high: 0, medium: 0, low: 0 };
  for (const finding of findings) summary[finding.severity] += 1;
  return summary;
}
