/**
 * Runs a PostgreSQL server of its own for `npm test` and `npm run bench` on
 * a machine that has none: prints `postgres ready at <url>` (of its `test`
 * database) once it accepts connections, and stops it, deleting its files,
 * on SIGTERM, SIGINT or when its standard input closes.
 */
import pg from "pg";
import { startPostgresServer } from "./postgres-server";

const server = await startPostgresServer();
const admin = new pg.Client({ connectionString: server.url() });
await admin.connect();
await admin.query("create database test");
await admin.end();

let stopping = false;
const shutdown = () => {
  if (stopping) return;
  stopping = true;
  server.dispose().then(
    () => process.exit(0),
    (error: unknown) => {
      process.stderr.write(`stopping PostgreSQL failed: ${String(error)}\n`);
      process.exit(1);
    },
  );
};
process.once("SIGTERM", shutdown);
process.once("SIGINT", shutdown);
process.stdin.on("end", shutdown);
process.stdin.resume();
process.stdout.write(`postgres ready at ${server.url("test")}\n`);
