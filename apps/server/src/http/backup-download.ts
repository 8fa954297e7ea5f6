import type { IncomingMessage, ServerResponse } from "node:http";
import { getTRPCErrorFromUnknown } from "@trpc/server";
import { runGuarded, type Context } from "@scriptorium/api";
import type { DatabaseHandle } from "@scriptorium/db";
import { writeBackup } from "../backup/archive";
import { isAnswered, sendProcedureError } from "./request";

export const BACKUP_PATH = "/api/v1/backup";

/**
 * `GET /api/v1/backup`, owner keys only: streams a consistent archive of the
 * installation. This is how `npm run backup` reaches an embedded database,
 * which only the running server may open.
 */
export function createBackupHandler(contextOf: (req: IncomingMessage) => Context, database: DatabaseHandle, dataDir: string) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    try {
      await runGuarded(contextOf(req), "owner", async () => undefined);
      const stamp = new Date().toISOString().replace(/[:.]/g, "-");
      res.writeHead(200, {
        "content-type": "application/gzip",
        "content-disposition": `attachment; filename="scriptorium-backup-${stamp}.tar.gz"`,
        "cache-control": "no-store",
      });
      await writeBackup(database, dataDir, res);
    } catch (cause) {
      if (isAnswered(res)) {
        res.destroy(cause instanceof Error ? cause : undefined);
        return;
      }
      sendProcedureError(req, res, getTRPCErrorFromUnknown(cause));
    }
  };
}
