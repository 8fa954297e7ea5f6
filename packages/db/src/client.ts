import { spawn } from "node:child_process";
import { existsSync, mkdirSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, resolve } from "node:path";
import { PGlite } from "@electric-sql/pglite";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { migrate as migratePglite } from "drizzle-orm/pglite/migrator";
import { drizzle as drizzlePg } from "drizzle-orm/node-postgres";
import { migrate as migratePg } from "drizzle-orm/node-postgres/migrator";
import pg from "pg";
import { acquireDataDirLock } from "./lock";
import * as schema from "./schema";

export type Schema = typeof schema;
/** The one database type the domain sees, whichever engine is underneath. */
export type Database = PgDatabase<PgQueryResultHKT, Schema>;

export interface DatabaseHandle {
  readonly db: Database;
  readonly kind: "pglite" | "postgres";
  /** Cheap round trip used by /readyz. */
  ping(): Promise<void>;
  /**
   * Calls `onMessage` with the payload of every NOTIFY on `channel`, from
   * any process sharing this database, this one included; resolves once
   * listening. The returned function stops listening.
   */
  listen(channel: string, onMessage: (payload: string) => void): Promise<() => Promise<void>>;
  close(): Promise<void>;
}

export interface DatabaseConfig {
  /** Data directory; the embedded database lives in `<dataDir>/db`. */
  dataDir: string;
  /** When set, PostgreSQL is used instead of the embedded database. */
  databaseUrl?: string | undefined;
}

/** Arbitrary constant: serialises migrations when many processes start at once. */
const MIGRATION_LOCK_ID = 727_274_001;

/** Closing twice is harmless: shutdown paths may overlap. */
function once(close: () => Promise<void>): () => Promise<void> {
  let closing: Promise<void> | null = null;
  return () => (closing ??= close());
}

function migrationsFolder(): string {
  // Resolved through the package, so it also works when this code is bundled elsewhere.
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve("@scriptorium/db/package.json")), "drizzle");
}

/**
 * PGlite's own defaults plus a smaller buffer cache: 32 MB instead of 128 MB
 * keeps an embedded server's memory modest (the OS still caches the files).
 */
const PGLITE_START_PARAMS = [...PGlite.defaultStartParams, "-c", "shared_buffers=32MB"];

/**
 * Creates a new embedded database (initdb) in a short-lived child process:
 * initdb needs several hundred megabytes, and WebAssembly memory, once
 * grown, never shrinks, so doing it in the server would keep that forever.
 */
function initializeInChildProcess(dbDir: string): Promise<void> {
  const entry = createRequire(import.meta.url).resolve("@electric-sql/pglite");
  const script = `require(${JSON.stringify(entry)}).PGlite.create(${JSON.stringify(dbDir)}).then((db) => db.close()).catch((error) => { console.error(error); process.exit(1); });`;
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, ["-e", script], { stdio: ["ignore", "ignore", "pipe"] });
    let errors = "";
    child.stderr.on("data", (chunk: Buffer) => (errors += chunk.toString()));
    child.on("error", reject);
    child.on("exit", (code) => (code === 0 ? resolvePromise() : reject(new Error(`Creating the embedded database failed: ${errors.trim()}`))));
  });
}

async function openPglite(dataDir: string): Promise<DatabaseHandle> {
  const lock = acquireDataDirLock(dataDir);
  try {
    const dbDir = join(resolve(dataDir), "db");
    mkdirSync(dbDir, { recursive: true });
    if (!existsSync(join(dbDir, "PG_VERSION"))) await initializeInChildProcess(dbDir);
    const client = await PGlite.create(dbDir, { startParams: PGLITE_START_PARAMS });
    const db = drizzlePglite({ client, schema });
    await migratePglite(db, { migrationsFolder: migrationsFolder() });
    return {
      db,
      kind: "pglite",
      ping: async () => {
        await client.query("select 1");
      },
      listen: (channel, onMessage) => client.listen(channel, onMessage),
      close: once(async () => {
        try {
          await client.close();
        } finally {
          lock.release();
        }
      }),
    };
  } catch (error) {
    lock.release();
    throw error;
  }
}

async function openPostgres(databaseUrl: string): Promise<DatabaseHandle> {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 10 });
  // An idle connection that the server drops (restart, failover) must not crash
  // the process; the pool replaces it on the next query.
  pool.on("error", () => undefined);
  try {
    const connection = await pool.connect();
    try {
      await connection.query("select pg_advisory_lock($1)", [MIGRATION_LOCK_ID]);
      await migratePg(drizzlePg({ client: connection, schema }), { migrationsFolder: migrationsFolder() });
    } finally {
      await connection.query("select pg_advisory_unlock($1)", [MIGRATION_LOCK_ID]).catch(() => undefined);
      connection.release();
    }
  } catch (error) {
    await pool.end();
    throw error;
  }
  const listener = new NotificationListener(databaseUrl);
  return {
    db: drizzlePg({ client: pool, schema }),
    kind: "postgres",
    ping: async () => {
      await pool.query("select 1");
    },
    listen: (channel, onMessage) => listener.listen(channel, onMessage),
    close: once(async () => {
      await listener.close();
      await pool.end();
    }),
  };
}

/** How long to wait before reconnecting a listening connection that dropped. */
const RELISTEN_DELAY_MS = 500;

/**
 * LISTEN needs a connection of its own that stays open (a pooled one goes
 * back to the pool between queries). One per process serves every
 * channel; if the server drops it, it reconnects and listens again.
 */
class NotificationListener {
  private client: pg.Client | null = null;
  private connecting: Promise<pg.Client> | null = null;
  private readonly handlers = new Map<string, Set<(payload: string) => void>>();
  private closed = false;

  constructor(private readonly databaseUrl: string) {}

  async listen(channel: string, onMessage: (payload: string) => void): Promise<() => Promise<void>> {
    let handlers = this.handlers.get(channel);
    if (!handlers) {
      handlers = new Set();
      this.handlers.set(channel, handlers);
      const client = await this.connection();
      await client.query(`LISTEN ${pg.escapeIdentifier(channel)}`);
    }
    handlers.add(onMessage);
    return async () => {
      handlers.delete(onMessage);
      if (handlers.size > 0 || this.handlers.get(channel) !== handlers) return;
      this.handlers.delete(channel);
      await this.client?.query(`UNLISTEN ${pg.escapeIdentifier(channel)}`).catch(() => undefined);
    };
  }

  async close(): Promise<void> {
    this.closed = true;
    const client = this.client;
    this.client = null;
    await client?.end().catch(() => undefined);
  }

  private connection(): Promise<pg.Client> {
    if (this.client) return Promise.resolve(this.client);
    this.connecting ??= this.connect().finally(() => (this.connecting = null));
    return this.connecting;
  }

  private async connect(): Promise<pg.Client> {
    const client = new pg.Client({ connectionString: this.databaseUrl });
    client.on("notification", (message) => {
      for (const handler of this.handlers.get(message.channel) ?? []) handler(message.payload ?? "");
    });
    client.on("error", () => this.reconnectLater(client));
    client.on("end", () => this.reconnectLater(client));
    await client.connect();
    for (const channel of this.handlers.keys()) await client.query(`LISTEN ${pg.escapeIdentifier(channel)}`);
    this.client = client;
    return client;
  }

  private reconnectLater(dropped: pg.Client): void {
    if (this.closed || this.client !== dropped) return;
    this.client = null;
    this.retry();
  }

  /** Notifications sent while disconnected are lost; readers of the event log fill such gaps from the table. */
  private retry(): void {
    setTimeout(() => {
      if (!this.closed) this.connection().catch(() => this.retry());
    }, RELISTEN_DELAY_MS).unref();
  }
}

/** Opens (and migrates) the embedded database, or PostgreSQL when a URL is given. */
export function openDatabase(config: DatabaseConfig): Promise<DatabaseHandle> {
  return config.databaseUrl ? openPostgres(config.databaseUrl) : openPglite(config.dataDir);
}
