import { sql } from "drizzle-orm";
import { openTestDatabase } from "@scriptorium/db/testing";
import { describe, expect, it } from "vitest";
import { keepUpWhenIdle } from "./database-upkeep";
import { createLogger } from "./logger";

describe("the embedded database's upkeep while the server is idle", () => {
  it("catches up with every table while idle, and stops cleanly", async () => {
    const test = await openTestDatabase("pglite");
    try {
      const upkeep = test.handle.upkeep;
      if (!upkeep) throw new Error("the embedded database has no upkeep");
      await test.handle.db.execute(sql`insert into workspaces (id, name) select 'w' || n, 'Workspace ' || n from generate_series(1, 2000) as n`);
      const planned = await upkeep.plan();
      expect(planned).toContainEqual({ table: "workspaces", work: "analyze" });

      const stop = keepUpWhenIdle(upkeep, createLogger("silent"), 20);
      const deadline = Date.now() + 20_000;
      while ((await upkeep.plan()).length > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
      await stop();
      expect(await upkeep.plan()).toEqual([]);
      const analyzed = (await test.handle.db.execute(sql`select reltuples::float8 as reltuples from pg_class where relname = 'workspaces'`)) as unknown as {
        rows: { reltuples: number }[];
      };
      expect(analyzed.rows[0]?.reltuples).toBe(2000);
    } finally {
      await test.dispose();
    }
  });
});
