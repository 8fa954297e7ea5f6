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
import { isDatabaseUnavailable } from "./errors";
import { acquireDataDirLock } from "./lock";
import * as schema from "./schema";
import { performUpkeep, plannedUpkeep, type UpkeepStep } from "./upkeep";

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
   * listening. When the listening connection drops, it reconnects and calls
   * `onResumed`: notifications sent meanwhile are lost, and the caller reads
   * what it missed from the tables. The returned function stops listening.
   */
  listen(channel: string, onMessage: (payload: string) => void, onResumed?: () => void): Promise<() => Promise<void>>;
  /**
   * The embedded database's stand-in for autovacuum (upkeep.ts), for its
   * owner to run when it is idle: each step is one statement that holds the
   * event loop. Null on PostgreSQL, whose autovacuum does this itself.
   */
  readonly upkeep: EmbeddedUpkeep | null;
  close(): Promise<void>;
}

export interface EmbeddedUpkeep {
  /** What the tables need now: at most one step each. */
  plan(): Promise<UpkeepStep[]>;
  perform(step: UpkeepStep): Promise<void>;
}

export interface DatabaseConfig {
  /** Data directory; the embedded database lives in `<dataDir>/db`. */
  dataDir: string;
  /** When set, PostgreSQL is used instead of the embedded database. */
  databaseUrl?: string | undefined;
  /** How long to keep trying while PostgreSQL does not answer yet (a server still starting); 0 fails at once. */
  waitSeconds?: number;
  /** Told of each failed attempt while waiting, with the delay before the next. */
  onWaiting?: (error: unknown, retryInMs: number) => void;
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
      upkeep: { plan: () => plannedUpkeep(client), perform: (step) => performUpkeep(client, step) },
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

/** A URL fit for a message: the password, if any, is not shown. */
function redacted(databaseUrl: string): string {
  try {
    const url = new URL(databaseUrl);
    if (url.password) url.password = "***";
    return url.toString();
  } catch {
    return "(the configured DATABASE_URL)";
  }
}

/**
 * A first connection from the pool, retried with growing pauses while the
 * server cannot be reached, up to `waitSeconds`: processes started beside
 * their database (a container, a failover) must not exit because it is a
 * few seconds late.
 */
async function firstConnection(pool: pg.Pool, config: DatabaseConfig & { databaseUrl: string }): Promise<pg.PoolClient> {
  const deadline = Date.now() + (config.waitSeconds ?? 0) * 1000;
  for (let attempt = 0; ; attempt++) {
    try {
      return await pool.connect();
    } catch (error) {
      const retryInMs = Math.min(2_000, 100 * 2 ** attempt);
      if (!isDatabaseUnavailable(error) || Date.now() + retryInMs > deadline) {
        const waited = config.waitSeconds ? ` within ${config.waitSeconds} s (SCRIPTORIUM_DB_WAIT_SECONDS)` : "";
        throw new Error(`PostgreSQL at ${redacted(config.databaseUrl)} did not answer${waited}: ${(error as Error).message}`, { cause: error });
      }
      config.onWaiting?.(error, retryInMs);
      await new Promise((resolve) => setTimeout(resolve, retryInMs));
    }
  }
}

async function openPostgres(config: DatabaseConfig & { databaseUrl: string }): Promise<DatabaseHandle> {
  const pool = new pg.Pool({ connectionString: config.databaseUrl, max: 10, connectionTimeoutMillis: 10_000, keepAlive: true });
  // A connection that the server drops (restart, failover, a terminated
  // backend) must never crash the process: node-postgres emits `error` on
  // the client, idle or checked out, and its query in flight fails on its
  // own. The pool discards the broken client and opens a new one when asked.
  pool.on("error", () => undefined);
  pool.on("connect", (client) => client.on("error", () => undefined));
  try {
    const connection = await firstConnection(pool, config);
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
  const listener = new NotificationListener(config.databaseUrl);
  return {
    db: drizzlePg({ client: pool, schema }),
    kind: "postgres",
    ping: async () => {
      await pool.query("select 1");
    },
    listen: (channel, onMessage, onResumed) => listener.listen(channel, onMessage, onResumed),
    upkeep: null,
    close: once(async () => {
      await listener.close();
      await pool.end();
    }),
  };
}

/** How long to wait before reconnecting a listening connection that dropped. */
const RELISTEN_DELAY_MS = 500;

interface Subscriber {
  onMessage: (payload: string) => void;
  onResumed: (() => void) | undefined;
}

/**
 * LISTEN needs a connection of its own that stays open (a pooled one goes
 * back to the pool between queries). One per process serves every
 * channel; if the server drops it, it reconnects, listens again and tells
 * every subscriber that notifications may have been missed.
 */
class NotificationListener {
  private client: pg.Client | null = null;
  private connecting: Promise<pg.Client> | null = null;
  private readonly subscribers = new Map<string, Set<Subscriber>>();
  private closed = false;
  /** Set once a connection dropped: the next one that listens again must report the gap. */
  private resuming = false;

  constructor(private readonly databaseUrl: string) {}

  async listen(channel: string, onMessage: (payload: string) => void, onResumed?: () => void): Promise<() => Promise<void>> {
    let subscribers = this.subscribers.get(channel);
    if (!subscribers) {
      subscribers = new Set();
      this.subscribers.set(channel, subscribers);
      const client = await this.connection();
      await client.query(`LISTEN ${pg.escapeIdentifier(channel)}`);
    }
    const subscriber: Subscriber = { onMessage, onResumed };
    subscribers.add(subscriber);
    return async () => {
      subscribers.delete(subscriber);
      if (subscribers.size > 0 || this.subscribers.get(channel) !== subscribers) return;
      this.subscribers.delete(channel);
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
    const client = new pg.Client({ connectionString: this.databaseUrl, keepAlive: true });
    client.on("notification", (message) => {
      for (const subscriber of this.subscribers.get(message.channel) ?? []) subscriber.onMessage(message.payload ?? "");
    });
    client.on("error", () => this.reconnectLater(client));
    client.on("end", () => this.reconnectLater(client));
    try {
      await client.connect();
      for (const channel of this.subscribers.keys()) await client.query(`LISTEN ${pg.escapeIdentifier(channel)}`);
    } catch (error) {
      await client.end().catch(() => undefined);
      throw error;
    }
    this.client = client;
    if (this.resuming) {
      this.resuming = false;
      for (const subscribers of this.subscribers.values()) for (const subscriber of subscribers) subscriber.onResumed?.();
    }
    return client;
  }

  private reconnectLater(dropped: pg.Client): void {
    if (this.closed || this.client !== dropped) return;
    this.client = null;
    this.resuming = true;
    this.retry();
  }

  private retry(): void {
    setTimeout(() => {
      if (!this.closed) this.connection().catch(() => this.retry());
    }, RELISTEN_DELAY_MS).unref();
  }
}

/**
 * Opens (and migrates) the embedded database, or PostgreSQL when a URL is
 * given, waiting up to `waitSeconds` for a PostgreSQL server that does not
 * answer yet.
 */
export function openDatabase(config: DatabaseConfig): Promise<DatabaseHandle> {
  return config.databaseUrl ? openPostgres({ ...config, databaseUrl: config.databaseUrl }) : openPglite(config.dataDir);
}
