import { createReadStream } from "node:fs";
import type { IncomingMessage, ServerResponse } from "node:http";
import { pipeline } from "node:stream/promises";
import { getTRPCErrorFromUnknown, TRPCError } from "@trpc/server";
import { z } from "zod";
import { ArtifactType, CONTENT_LIMITS, DeployProfile, DeployScope, Id, NamePattern } from "@scriptorium/contract";
import { runGuarded, toFileEdit, type Context } from "@scriptorium/api";
import type { Bundle, OpenedFile, Principal, ProfileLayout, Scope } from "@scriptorium/domain";
import { BodyTooLargeError, contentDisposition, decodeComponent, isAnswered, isCached, readBody, sendJson, sendProcedureError } from "./request";

/**
 * The routes that carry an artifact's raw bytes rather than JSON, beside
 * the generated REST API (documented by hand in openapi.ts):
 * `…/artifacts/{artifact_id}/files/{path}` (GET, HEAD, PUT, DELETE),
 * `…/blobs/{sha256}`, `…/artifacts/{artifact_id}/bundle` and `…/bundle`.
 */
const COLLECTIONS_PREFIX = "/api/v1/collections/";
const FILE_PATH = /^\/api\/v1\/collections\/([^/]+)\/artifacts\/([^/]+)\/files\/(.+)$/;
const BLOB_PATH = /^\/api\/v1\/collections\/([^/]+)\/blobs\/([^/]+)$/;
const ARTIFACT_BUNDLE_PATH = /^\/api\/v1\/collections\/([^/]+)\/artifacts\/([^/]+)\/bundle$/;
const COLLECTION_BUNDLE_PATH = /^\/api\/v1\/collections\/([^/]+)\/bundle$/;

const Ids = z.object({ collection_id: Id, artifact_id: Id.optional() });
/** `?profile=` lays a bundle out where that tool reads artifacts (`scope` defaults to project). */
const LayoutQuery = z
  .object({ profile: DeployProfile.optional(), scope: DeployScope.optional() })
  .refine((query) => query.scope === undefined || query.profile !== undefined, { path: ["scope"], message: "scope applies only with a profile" });
const BundleQuery = z.object({ type: ArtifactType.optional(), name_pattern: NamePattern.min(1).optional() });

function layoutOf(query: URLSearchParams): ProfileLayout | undefined {
  const { profile, scope } = parsed(LayoutQuery, { profile: query.get("profile") ?? undefined, scope: query.get("scope") ?? undefined });
  return profile ? { profile, scope: scope ?? "project" } : undefined;
}

/** Headers every served file gets: it is someone's content, never a page of this site (no sniffing, no scripts, no same-origin rights). */
const CONTENT_SAFETY = { "x-content-type-options": "nosniff", "content-security-policy": "default-src 'none'; sandbox" };

function decoded(part: string | undefined): string {
  return decodeComponent(part ?? "") ?? part ?? "";
}

function parsed<T>(schema: z.ZodType<T>, value: unknown): T {
  const result = schema.safeParse(value);
  if (!result.success) throw new TRPCError({ code: "BAD_REQUEST", cause: result.error });
  return result.data;
}

/** The If-Match header, when sent (several values are one comma-separated list). */
function ifMatchOf(req: IncomingMessage): string | undefined {
  const header = req.headers["if-match"];
  return Array.isArray(header) ? header.join(",") : header;
}

function methodNotAllowed(allowed: string): TRPCError {
  return new TRPCError({ code: "METHOD_NOT_SUPPORTED", message: `This route answers ${allowed}.` });
}

/** Serves a stored file: its type, length and ETag (its SHA-256), 304 when the client has it. */
async function serveFile(req: IncomingMessage, res: ServerResponse, file: OpenedFile, download: string | null): Promise<void> {
  const etag = `"${file.sha256}"`;
  const headers: Record<string, string | number> = { etag, "cache-control": "private, no-cache", ...CONTENT_SAFETY };
  if (isCached(req, etag)) {
    res.writeHead(304, headers);
    res.end();
    return;
  }
  res.writeHead(200, {
    ...headers,
    "content-type": file.mediaType,
    "content-length": file.size,
    ...(download ? { "content-disposition": contentDisposition(download) } : {}),
  });
  if (req.method === "HEAD") {
    res.end();
    return;
  }
  await pipeline(createReadStream(file.localPath), res);
}

async function serveBundle(req: IncomingMessage, res: ServerResponse, bundle: Bundle): Promise<void> {
  res.writeHead(200, { "content-type": "application/gzip", "content-disposition": contentDisposition(bundle.filename), "cache-control": "private, no-store" });
  if (req.method === "HEAD") {
    bundle.stream.destroy();
    res.end();
    return;
  }
  await pipeline(bundle.stream, res);
}

/**
 * Answers the artifact content routes, or returns null for any other path.
 * Every request goes through the API's guard (the same scopes, rate limit
 * and errors as the procedures around it).
 */
export function createArtifactContentHandler(contextOf: (req: IncomingMessage) => Context) {
  return (req: IncomingMessage, res: ServerResponse, pathname: string, query: URLSearchParams): Promise<void> | null => {
    if (!pathname.startsWith(COLLECTIONS_PREFIX)) return null;
    const method = req.method ?? "GET";
    const reading = method === "GET" || method === "HEAD";
    let match: RegExpExecArray | null;
    let run: (principal: Principal) => Promise<void>;
    let scope: Scope = "read";
    if ((match = FILE_PATH.exec(pathname))) {
      const ids = () => parsed(Ids, { collection_id: decoded(match?.[1]), artifact_id: decoded(match?.[2]) });
      const path = decoded(match[3]);
      if (reading) {
        run = async (principal) => {
          const { collection_id, artifact_id } = ids();
          const file = await ctx.services.files.open(principal.workspaceId, collection_id, artifact_id ?? "", path);
          await serveFile(req, res, file, null);
        };
      } else if (method === "PUT" || method === "DELETE") {
        scope = "write";
        run = async (principal) => {
          const { collection_id, artifact_id } = ids();
          const request = { ifMatch: ifMatchOf(req), requestId: ctx.requestId };
          let edit;
          if (method === "PUT") {
            let content: Buffer;
            try {
              content = await readBody(req, CONTENT_LIMITS.fileBytes);
            } catch (error) {
              if (!(error instanceof BodyTooLargeError)) throw error;
              throw new TRPCError({ code: "PAYLOAD_TOO_LARGE", message: `A file may hold at most ${CONTENT_LIMITS.fileBytes} bytes (10 MiB); nothing was changed.` });
            }
            edit = await ctx.services.files.write(principal.workspaceId, collection_id, artifact_id ?? "", path, content, request);
          } else {
            edit = await ctx.services.files.delete(principal.workspaceId, collection_id, artifact_id ?? "", path, request);
          }
          sendJson(res, edit.created ? 201 : 200, toFileEdit(edit), edit.file ? { etag: `"${edit.file.sha256}"` } : {});
        };
      } else {
        run = () => Promise.reject(methodNotAllowed("GET, HEAD, PUT and DELETE"));
      }
    } else if ((match = BLOB_PATH.exec(pathname))) {
      const sha256 = decoded(match[2]);
      const collectionId = decoded(match[1]);
      run = async (principal) => {
        if (!reading) throw methodNotAllowed("GET and HEAD");
        const { collection_id } = parsed(Ids, { collection_id: collectionId });
        await serveFile(req, res, await ctx.services.files.openBlob(principal.workspaceId, collection_id, sha256), null);
      };
    } else if ((match = ARTIFACT_BUNDLE_PATH.exec(pathname))) {
      const raw = { collection_id: decoded(match[1]), artifact_id: decoded(match[2]) };
      run = async (principal) => {
        if (!reading) throw methodNotAllowed("GET and HEAD");
        const { collection_id, artifact_id } = parsed(Ids, raw);
        await serveBundle(req, res, await ctx.services.bundles.artifact(principal.workspaceId, collection_id, artifact_id ?? "", layoutOf(query)));
      };
    } else if ((match = COLLECTION_BUNDLE_PATH.exec(pathname))) {
      const raw = decoded(match[1]);
      run = async (principal) => {
        if (!reading) throw methodNotAllowed("GET and HEAD");
        const { collection_id } = parsed(Ids, { collection_id: raw });
        const filter = parsed(BundleQuery, Object.fromEntries(query));
        await serveBundle(req, res, await ctx.services.bundles.collection(principal.workspaceId, collection_id, { type: filter.type, namePattern: filter.name_pattern }, layoutOf(query)));
      };
    } else {
      return null;
    }
    // Made only for the paths answered here (the routes above run after it is set).
    const ctx = contextOf(req);
    return answer(req, res, ctx, scope, run);
  };
}

async function answer(req: IncomingMessage, res: ServerResponse, ctx: Context, scope: Scope, run: (principal: Principal) => Promise<void>): Promise<void> {
  try {
    await runGuarded(ctx, scope, run);
  } catch (cause) {
    if (isAnswered(res)) {
      res.destroy(cause instanceof Error ? cause : undefined);
      return;
    }
    sendProcedureError(req, res, getTRPCErrorFromUnknown(cause));
  }
}
