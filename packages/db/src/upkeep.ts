/**
 * What PostgreSQL's autovacuum does, for the embedded database, which runs
 * in single-user mode and so has no autovacuum: planner statistics are never
 * gathered and dead rows never reclaimed unless someone asks. Without
 * statistics the planner took a 10 000-artifact collection for 159 rows and
 * sorted the whole collection for every page of it (30–60 ms a page instead
 * of 15); without vacuuming, every refresh leaves a dead copy of each row it
 * touched behind.
 *
 * The thresholds are autovacuum's defaults: ANALYZE once more than 50 rows +
 * 10 % of the table changed since the last one, VACUUM once more than 50
 * rows + 20 % are dead. A table never analyzed (as every table of a database
 * created before this upkeep existed) is analyzed once.
 */

/** The part of a database client upkeep needs: one statement, its rows. */
export interface UpkeepClient {
  query<Row>(statement: string): Promise<{ rows: Row[] }>;
}

interface TableActivity {
  table: string;
  /** Rows as of the last ANALYZE or VACUUM; -1 when neither ever ran. */
  reltuples: number;
  modified: number;
  dead: number;
}

export interface UpkeepStep {
  table: string;
  work: "analyze" | "vacuum" | "vacuum (analyze)";
}

const ANALYZE_BASE_ROWS = 50;
const ANALYZE_SCALE = 0.1;
const VACUUM_BASE_ROWS = 50;
const VACUUM_SCALE = 0.2;

/** What each table needs now, from the database's own activity counters. */
export async function plannedUpkeep(client: UpkeepClient): Promise<UpkeepStep[]> {
  // Counters reach the shared statistics at the end of a transaction, at most once a second unless forced.
  await client.query("select pg_stat_force_next_flush()");
  const { rows } = await client.query<TableActivity>(`
    select s.relname as "table", c.reltuples::float8 as reltuples, s.n_mod_since_analyze::float8 as modified, s.n_dead_tup::float8 as dead
    from pg_stat_user_tables s join pg_class c on c.oid = s.relid
    where s.schemaname = 'public'
    order by s.relname`);
  return rows.flatMap((row): UpkeepStep[] => {
    const tuples = Math.max(row.reltuples, 0);
    const analyze = row.reltuples < 0 || row.modified > ANALYZE_BASE_ROWS + ANALYZE_SCALE * tuples;
    const vacuum = row.dead > VACUUM_BASE_ROWS + VACUUM_SCALE * tuples;
    if (analyze && vacuum) return [{ table: row.table, work: "vacuum (analyze)" }];
    if (analyze) return [{ table: row.table, work: "analyze" }];
    if (vacuum) return [{ table: row.table, work: "vacuum" }];
    return [];
  });
}

/** Runs one step: a single statement on one table. */
export async function performUpkeep(client: UpkeepClient, step: UpkeepStep): Promise<void> {
  await client.query(`${step.work} "${step.table.replaceAll('"', '""')}"`);
}
