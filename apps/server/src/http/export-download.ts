import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import type { IncomingMessage, ServerResponse } from "node:http";
import { pipeline } from "node:stream/promises";
import { getTRPCErrorFromUnknown, TRPCError } from "@trpc/server";
import { ExportFormatInput, runGuarded, type Context } from "@scriptorium/api";
import type { ExportFile, ExportFormat } from "@scriptorium/domain";
import { contentDisposition, decodeComponent, isAnswered, isCached, sendProcedureError } from "./request";

/** `GET /api/v2/projects/{id}/export/{format}`: the one REST path that answers a file rather than JSON. */
export const EXPORT_DOWNLOAD_PATH = /^\/api\/v2\/projects\/([^/]+)\/export\/([^/]+)$/;

/**
 * Serves a built export with its type, download name and ETag (the file's
 * SHA-256). Authorization and errors go through the router's own guard, so
 * this route answers exactly like the procedures around it.
 */
export function createExportDownloadHandler(contextOf: (req: IncomingMessage) => Context, locate: (workspaceId: string, projectId: string, format: ExportFormat) => Promise<ExportFile>) {
  // `projectId` and `format` arrive percent-encoded, as they appear in the path; one that does not decode is taken literally (and fails validation).
  return async (req: IncomingMessage, res: ServerResponse, projectId: string, format: string): Promise<void> => {
    const ctx = contextOf(req);
    try {
      const file = await runGuarded(ctx, "read", async (principal) => {
        const input = ExportFormatInput.safeParse({ id: decodeComponent(projectId) ?? projectId, format: decodeComponent(format) ?? format });
        if (!input.success) throw new TRPCError({ code: "BAD_REQUEST", cause: input.error });
        const located = await locate(principal.workspaceId, input.data.id, input.data.format);
        // A rebuild may have replaced the file between the look-up and now: look again once.
        return (await stat(located.path).catch(() => null)) ? located : locate(principal.workspaceId, input.data.id, input.data.format);
      });
      const etag = `"${file.sha256}"`;
      const headers = {
        etag,
        "last-modified": file.modifiedAt.toUTCString(),
        // Downloads are private to the key's workspace; revalidating is cheap thanks to the ETag.
        "cache-control": "private, no-cache",
      };
      if (isCached(req, etag)) {
        res.writeHead(304, headers);
        res.end();
        return;
      }
      res.writeHead(200, { ...headers, "content-type": file.mimeType, "content-length": file.sizeBytes, "content-disposition": contentDisposition(file.filename) });
      if (req.method === "HEAD") {
        res.end();
        return;
      }
      await pipeline(createReadStream(file.path), res);
    } catch (cause) {
      if (isAnswered(res)) {
        res.destroy(cause instanceof Error ? cause : undefined);
        return;
      }
      sendProcedureError(req, res, getTRPCErrorFromUnknown(cause));
    }
  };
}
