import { sql } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Database, EmbeddedUpkeep } from "./client";
import { openTestDatabase, type TestDatabase } from "./testing";

async function tableState(db: Database, table: string): Promise<{ reltuples: number; dead: number }> {
  const result = (await db.execute(
    sql`select c.reltuples::float8 as reltuples, s.n_dead_tup::float8 as dead from pg_class c join pg_stat_user_tables s on s.relid = c.oid where c.relname = ${table}`,
  )) as unknown as { rows: { reltuples: number; dead: number }[] };
  const [row] = result.rows;
  if (!row) throw new Error(`no table ${table}`);
  return row;
}

/** Every step upkeep plans, performed, until it plans none. */
async function catchUp(upkeep: EmbeddedUpkeep): Promise<string[]> {
  const done: string[] = [];
  for (let steps = await upkeep.plan(); steps.length > 0; steps = await upkeep.plan()) {
    for (const step of steps) {
      await upkeep.perform(step);
      done.push(`${step.work} ${step.table}`);
    }
  }
  return done;
}

describe("the embedded database's upkeep", () => {
  let test: TestDatabase;
  let upkeep: EmbeddedUpkeep;
  beforeEach(async () => {
    test = await openTestDatabase("pglite");
    if (!test.handle.upkeep) throw new Error("the embedded database has no upkeep");
    upkeep = test.handle.upkeep;
    // A new database's tables were never analyzed: each is, once.
    const first = await catchUp(upkeep);
    expect(first).toContain("analyze workspaces");
    expect(first).toContain("analyze artifacts");
    expect(first.every((step) => step.startsWith("analyze "))).toBe(true);
    expect(await upkeep.plan()).toEqual([]);
  });
  afterEach(() => test.dispose());

  it("analyzes a table once enough of it changed, as autovacuum would", async () => {
    const { db } = test.handle;
    await db.execute(sql`insert into workspaces (id, name) select 'w' || n, 'Workspace ' || n from generate_series(1, 2000) as n`);
    expect(await upkeep.plan()).toEqual([{ table: "workspaces", work: "analyze" }]);
    await catchUp(upkeep);
    expect((await tableState(db, "workspaces")).reltuples).toBe(2000);

    // 150 changed rows of 2 000 stay under 50 + 10 %: nothing to do yet.
    await db.execute(sql`insert into workspaces (id, name) select 'x' || n, 'More' from generate_series(1, 150) as n`);
    expect(await upkeep.plan()).toEqual([]);
  });

  it("reclaims dead rows once more than 50 + 20 % of the table died", async () => {
    const { db } = test.handle;
    await db.execute(sql`insert into workspaces (id, name) select 'w' || n, 'Workspace ' || n from generate_series(1, 2000) as n`);
    await catchUp(upkeep);
    await db.execute(sql`update workspaces set name = name || ' (renamed)' where id in (select 'w' || n from generate_series(1, 1000) as n)`);
    expect(await upkeep.plan()).toEqual([{ table: "workspaces", work: "vacuum (analyze)" }]);
    expect((await tableState(db, "workspaces")).dead).toBe(1000);
    await catchUp(upkeep);
    expect((await tableState(db, "workspaces")).dead).toBe(0);
  });
});
