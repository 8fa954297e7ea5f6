import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { create, extract } from "tar";
import { afterAll, describe, expect, it } from "vitest";
import { deployments, openDatabase, workspaces } from "@scriptorium/db";
import { createScratchDataDir, openTestDatabase } from "@scriptorium/db/testing";
import { restoreBackup, writeBackupFile } from "./archive";

describe("backup archives", { timeout: 120_000 }, () => {
  const dirs: string[] = [];
  const dir = (prefix: string) => {
    const made = mkdtempSync(join(tmpdir(), prefix));
    dirs.push(made);
    return made;
  };
  afterAll(() => {
    for (const made of dirs) rmSync(made, { recursive: true, force: true });
  });

  it("restores an archive taken before some tables existed, those tables empty", async () => {
    const source = await openTestDatabase("pglite");
    const archive = join(dir("scriptorium-archive-"), "old.tar.gz");
    try {
      await source.handle.db.insert(workspaces).values({ id: "w1", name: "Kept" });
      await writeBackupFile(source.handle, source.dataDir, archive);
    } finally {
      await source.dispose();
    }

    // Make it an archive of an installation without deployments: neither their tables' files nor their manifest entries.
    const unpacked = dir("scriptorium-archive-unpacked-");
    await extract({ file: archive, cwd: unpacked });
    const manifest = JSON.parse(readFileSync(join(unpacked, "manifest.json"), "utf8")) as { tables: Record<string, number> };
    for (const table of ["deployments", "deployment_artifacts"]) {
      expect(manifest.tables).toHaveProperty(table);
      delete manifest.tables[table];
      rmSync(join(unpacked, "tables", `${table}.jsonl`));
    }
    writeFileSync(join(unpacked, "manifest.json"), JSON.stringify(manifest));
    await create({ file: archive, gzip: true, cwd: unpacked }, ["manifest.json", "tables", "blobs", "exports"]);

    // An installation migrated to today's schema, still empty.
    const targetDir = await createScratchDataDir();
    dirs.push(targetDir);
    const loaded: string[] = [];
    await restoreBackup(archive, () => openDatabase({ dataDir: targetDir }), "pglite", targetDir, (table) => loaded.push(table));
    expect(loaded).toContain("deployments");
    const target = await openDatabase({ dataDir: targetDir });
    try {
      expect(await target.db.select({ name: workspaces.name }).from(workspaces)).toEqual([{ name: "Kept" }]);
      expect(await target.db.select().from(deployments)).toEqual([]);
    } finally {
      await target.close();
    }
  });
});
