import { rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openTestDatabase, type TestDatabase } from "@scriptorium/db/testing";
import { createServices, type Offload, type OffloadTask } from "@scriptorium/domain";
import { ownerOf, skillFile, tempDir, writeFiles } from "@scriptorium/domain/testing";
import { ThreadPoolOffload } from "./thread-pool";

const SKILLS = 12;
const log = { info: () => undefined, warn: () => undefined, error: () => undefined };

/** Twelve skills, imported, then changed upstream: new values, bad YAML, refused and non-mapping front matter. */
function upstream(root: string): string {
  const dir = join(root, "skills");
  const files: Record<string, string> = {};
  for (let index = 0; index < SKILLS; index += 1) files[`s${index}/SKILL.md`] = skillFile({ title: `Skill ${index}`, description: `Does ${index}`, tags: ["a"] });
  writeFiles(dir, files);
  return dir;
}

function changeUpstream(dir: string): void {
  writeFileSync(join(dir, "s0/SKILL.md"), skillFile({ title: "Skill zero, renamed", tags: ["a", "b"] }));
  writeFileSync(join(dir, "s1/SKILL.md"), "---\ntitle: [unclosed\n---\nBody.\n");
  writeFileSync(join(dir, "s2/SKILL.md"), "---js\nmodule.exports = { title: 'x' }\n---\n");
  writeFileSync(join(dir, "s3/SKILL.md"), "---\n- a\n- b\n---\n");
  writeFileSync(join(dir, "s4/SKILL.md"), "No front matter any more.\n");
}

/** What a refresh found, without ids and timings (the two collections differ in both). */
async function refreshOf(offload: Offload | undefined): Promise<unknown[]> {
  const root = tempDir("parse-thread");
  const test: TestDatabase = await openTestDatabase("pglite");
  try {
    const services = createServices(test.handle.db, { dataDir: join(root, "data"), log, offload });
    const { workspace } = await services.access.createWorkspace("Parse thread");
    const { id } = await services.collections.create(workspace.id, { name: "Skills" });
    const dir = upstream(root);
    await services.collections.addArtifacts(ownerOf(workspace.id), id, { source: dir });
    changeUpstream(dir);
    const outcome = await services.refresher.refresh(workspace.id, id, { mode: "metadata", filter: {}, dryRun: false, requestId: "parse-thread" });
    expect(outcome.entries).toHaveLength(SKILLS);
    return outcome.entries.map(({ artifactId: _id, durationMs: _ms, ...entry }) => entry);
  } finally {
    await test.dispose();
    rmSync(root, { recursive: true, force: true });
  }
}

describe("a refresh's front-matter parsing on the parse thread", () => {
  let inline: unknown[];
  beforeAll(async () => {
    inline = await refreshOf(undefined);
  });

  describe("above the threshold", () => {
    const pool = new ThreadPoolOffload(1, SKILLS);
    const tasks: OffloadTask[] = [];
    afterAll(() => pool.close());

    it("parses on the thread, with the results and errors of parsing inline", async () => {
      const threaded = await refreshOf({ run: (task) => (tasks.push(task), pool.run(task)) });
      const parses = tasks.filter((task) => task.kind === "parse-metadata");
      expect(parses.flatMap((task) => task.texts)).toHaveLength(SKILLS);
      expect(pool.parsedBatches).toBe(parses.length);
      expect(threaded).toEqual(inline);
      // The changed files, as parsing them inline reports them.
      const byName = new Map((inline as { name: string; status: string; error: string | null }[]).map((entry) => [entry.name, entry]));
      expect(byName.get("s0")?.status).toBe("refreshed");
      expect(byName.get("s1")?.error).toMatch(/^Front matter is not valid YAML: /);
      expect(byName.get("s2")?.error).toBe('Front matter must be YAML; "---js" front matter is refused.');
      expect(byName.get("s3")?.error).toBe("Front matter must be a YAML mapping of fields.");
      expect(byName.get("s4")?.status).toBe("refreshed");
    });
  });

  describe("below the threshold", () => {
    const pool = new ThreadPoolOffload(1, SKILLS + 1);
    afterAll(() => pool.close());

    it("parses here, starting no thread", async () => {
      expect(await refreshOf(pool)).toEqual(inline);
      expect(pool.parsedBatches).toBe(0);
    });
  });
});
