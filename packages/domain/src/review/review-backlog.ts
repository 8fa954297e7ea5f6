import { and, eq, isNull } from "drizzle-orm";
import type { Finding } from "@scriptorium/contract";
import { artifacts, type Database } from "@scriptorium/db";
import type { BlobStore } from "../collections/blob-store";
import { ruleOf } from "./rules";
import type { SecurityReview } from "./security-review";

/** Artifacts reviewed per read of the backlog. */
const BATCH = 100;

/**
 * Reviews the artifacts stored before the security review existed (their
 * findings are null), a batch at a time, in the background after an
 * upgrade. Idempotent: several processes may run it at once, and an
 * artifact reviewed meanwhile by an edit or a sync is left as that made it.
 */
export class ReviewBacklog {
  constructor(
    private readonly db: Database,
    private readonly store: BlobStore,
    private readonly review: SecurityReview,
  ) {}

  /** Reviews until nothing is left; how many artifacts it reviewed. */
  async run(): Promise<number> {
    if (!this.review.enabled) return 0;
    let reviewed = 0;
    const failed = new Set<string>();
    for (;;) {
      const rows = await this.db.select({ id: artifacts.id, files: artifacts.files }).from(artifacts).where(isNull(artifacts.findings)).limit(BATCH + failed.size);
      const pending = rows.filter((row) => !failed.has(row.id));
      if (pending.length === 0) return reviewed;
      for (const row of pending) {
        let findings: Finding[];
        try {
          findings = await this.review.review(row.files, (sha256) => this.store.get(sha256));
        } catch (error) {
          // A file the store cannot give back: said so on the artifact, which then leaves the backlog.
          const rule = ruleOf("file.unreviewable");
          const message = `The review could not read the stored copy: ${error instanceof Error ? error.message : String(error)}`;
          findings = [{ rule_id: rule.id, severity: rule.severity, path: row.files[0]?.path ?? "", line: 0, excerpt: "", message }];
          failed.add(row.id);
        }
        await this.db.update(artifacts).set({ findings }).where(and(eq(artifacts.id, row.id), isNull(artifacts.findings)));
        reviewed += 1;
      }
    }
  }
}
