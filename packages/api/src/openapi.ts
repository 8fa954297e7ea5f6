import { forEachOpenApiProcedure, generateOpenApiDocument, getInputOutputParsers, type OpenAPIObject } from "trpc-to-openapi";
import { z } from "zod";
import { CONTENT_LIMITS, DEPLOY_PROFILES, DEPLOY_SCOPES, EXPORT_FILE_TYPES } from "@scriptorium/contract";
import { appRouter } from "./root";
import { ErrorBody, FileEdit } from "./schemas";
import type { Meta } from "./trpc";

/** REST lives under this prefix; procedures' OpenAPI paths are relative to it. */
export const REST_BASE_PATH = "/api";

const ERROR_DESCRIPTIONS: Record<string, string> = {
  "400": "Malformed request (the body is not valid JSON)",
  "401": "No API key, or an unknown or revoked one",
  "403": "The key's scope is too small for this operation",
  "404": "Not found (resources of other workspaces answer 404 too)",
  "409": "Conflicts with the current state",
  "413": "Request body too large",
  "422": "Validation failed; `fields` names the offending fields",
  "429": "Too many requests; retry after the Retry-After header's seconds",
  "500": "Internal server error",
};

const ERROR_RESPONSE = {
  content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } },
};

type Operation = { responses?: Record<string, unknown>; security?: unknown[]; parameters?: unknown[]; requestBody?: unknown };

/**
 * The generator documents its own error body; ours differs (code, message,
 * request_id, fields), and every operation can also answer 422 and 500.
 * This rewrites every error response to the one real shape.
 */
function documentErrors(document: OpenAPIObject): void {
  for (const pathItem of Object.values(document.paths ?? {})) {
    for (const [method, value] of Object.entries(pathItem as Record<string, Operation>)) {
      if (!["get", "post", "put", "patch", "delete"].includes(method)) continue;
      const operation = value;
      const responses = (operation.responses ??= {});
      const statuses = new Set(["500"]);
      if ((operation.security?.length ?? 0) > 0) ["401", "403", "404", "429"].forEach((status) => statuses.add(status));
      if (operation.parameters?.length || operation.requestBody) statuses.add("422");
      if (operation.requestBody) ["400", "413"].forEach((status) => statuses.add(status));
      for (const status of Object.keys(responses)) if (Number(status) >= 400) delete responses[status];
      for (const status of statuses) {
        responses[status] = { description: ERROR_DESCRIPTIONS[status] ?? "Error", ...ERROR_RESPONSE };
      }
    }
  }
}

function withoutDialect(schema: Record<string, unknown>): Record<string, unknown> {
  const { $schema: _dialect, ...rest } = schema;
  return rest;
}

/** Documents the query parameters a POST also reads (`restQuery` in its meta), which the generator leaves out. */
function documentRestQuery(document: OpenAPIObject): void {
  forEachOpenApiProcedure(appRouter._def.procedures, ({ procedure, meta }) => {
    const { restQuery } = meta as Meta;
    if (!restQuery?.length) return;
    const operation = (document.paths?.[meta.openapi.path] as Record<string, Operation> | undefined)?.[meta.openapi.method.toLowerCase()];
    const { inputParser } = getInputOutputParsers(procedure);
    if (!operation || !(inputParser instanceof z.ZodObject)) return;
    for (const key of restQuery) {
      const field = (inputParser.shape as Record<string, z.ZodType>)[key];
      if (!field) continue;
      operation.parameters ??= [];
      operation.parameters.push({
        in: "query",
        name: key,
        required: false,
        description: `Overrides \`${key}\` in the body.`,
        schema: withoutDialect(z.toJSONSchema(field, { io: "input", unrepresentable: "any" })),
      });
    }
  });
}

/**
 * The download of a built export is a plain route, not a procedure (it
 * answers a file, not JSON), so the generator cannot see it: it is
 * described here by hand, next to the generated export operations.
 */
function documentExportDownload(document: OpenAPIObject): void {
  const binary = { schema: { type: "string", format: "binary" } };
  document.paths ??= {};
  document.paths["/v2/projects/{id}/export/{format}"] = {
    get: {
      operationId: "exports-download",
      tags: ["exports"],
      summary: "Download a built export",
      description:
        "The file with its MIME type, a `Content-Disposition` name from the title's slug, and its SHA-256 as `ETag` (send `If-None-Match` to get 304 when unchanged). 404 before the format has been built.",
      security: [{ ApiKeyHeader: [] }, { BearerAuth: [] }],
      parameters: [
        { in: "path", name: "id", required: true, schema: { type: "string", minLength: 1, maxLength: 100 } },
        { in: "path", name: "format", required: true, schema: { $ref: "#/components/schemas/ExportFormat" } },
        { in: "header", name: "If-None-Match", required: false, schema: { type: "string" }, description: "An ETag from an earlier download" },
      ],
      responses: {
        "200": {
          description: "The file",
          headers: {
            ETag: { schema: { type: "string" }, description: "Quoted hex SHA-256 of the file" },
            "Content-Disposition": { schema: { type: "string" }, description: 'attachment; filename="<slug>.<extension>"' },
            "Last-Modified": { schema: { type: "string" } },
          },
          content: Object.fromEntries(Object.values(EXPORT_FILE_TYPES).map(({ mediaType }) => [mediaType, binary])),
        },
        "304": { description: "Not modified: the If-None-Match ETag is the current file" },
      },
    },
  };
}

/** The owner's backup of the installation: a plain route that streams an archive, described by hand like the export download. */
function documentBackupDownload(document: OpenAPIObject): void {
  document.paths ??= {};
  document.paths["/v1/backup"] = {
    get: {
      operationId: "backup-download",
      tags: ["backup"],
      summary: "Download a consistent backup of the whole installation (owner only)",
      description:
        "A gzip'd tar of every table (one snapshot, taken while the server keeps serving), the artifact contents and the built exports, as `npm run backup` writes it; `npm run restore` loads it into an empty installation. Streams; needs a key with `owner` scope.",
      security: [{ ApiKeyHeader: [] }, { BearerAuth: [] }],
      responses: {
        "200": {
          description: "The archive",
          headers: { "Content-Disposition": { schema: { type: "string" }, description: 'attachment; filename="scriptorium-backup-<time>.tar.gz"' } },
          content: { "application/gzip": { schema: { type: "string", format: "binary" } } },
        },
      },
    },
  };
}

type PathOperation = NonNullable<NonNullable<OpenAPIObject["paths"]>[string]["put"]>;
type Parameter = NonNullable<PathOperation["parameters"]>[number];
type Content = NonNullable<PathOperation["responses"]>[string]["content"];

/**
 * The routes that carry an artifact's bytes (files, blobs, bundles) are
 * plain routes, described here by hand like the export download.
 */
function documentArtifactContent(document: OpenAPIObject): void {
  const security: Record<string, string[]>[] = [{ ApiKeyHeader: [] }, { BearerAuth: [] }];
  const binary: Content = { "application/octet-stream": { schema: { type: "string", format: "binary" } } };
  const gzip: Content = { "application/gzip": { schema: { type: "string", format: "binary" } } };
  const layoutParameters: Parameter[] = [
    { in: "query" as const, name: "profile", required: false, schema: { type: "string", enum: [...DEPLOY_PROFILES] }, description: "Lay the files out for this agent tool" },
    { in: "query" as const, name: "scope", required: false, schema: { type: "string", enum: [...DEPLOY_SCOPES], default: "project" }, description: "With `profile`: project (default) or user (paths relative to the home directory)" },
  ];
  const id = (name: string): Parameter => ({ in: "path" as const, name, required: true, schema: { type: "string", minLength: 1, maxLength: 100 } });
  const path: Parameter = {
    in: "path" as const,
    name: "path",
    required: true,
    schema: { type: "string", minLength: 1, maxLength: CONTENT_LIMITS.pathBytes },
    description: "The file's path in the artifact; may contain `/`. No `..`, absolute path, `.git/` or NUL (422).",
  };
  const ifMatch: Parameter = { in: "header" as const, name: "If-Match", required: false, schema: { type: "string" }, description: 'The file\'s ETag ("<sha256>") as last read, or `*`: otherwise 412 and nothing changes' };
  const ifNoneMatch: Parameter = { in: "header" as const, name: "If-None-Match", required: false, schema: { type: "string" }, description: "An ETag from an earlier download" };
  const etag = { ETag: { schema: { type: "string" }, description: "Quoted hex SHA-256 of the file" } };
  const edited: Content = { "application/json": { schema: { $ref: "#/components/schemas/FileEdit" } } };
  const errors = {
    "404": { description: "No such collection, artifact or file in this workspace" },
  };
  document.paths ??= {};
  document.paths["/v1/collections/{collection_id}/artifacts/{artifact_id}/files/{path}"] = {
    get: {
      operationId: "artifacts-file-read",
      tags: ["artifacts"],
      summary: "Download a file of an artifact's stored copy",
      description: "The bytes with their media type and the SHA-256 as ETag (304 on a matching If-None-Match). Streams.",
      security,
      parameters: [id("collection_id"), id("artifact_id"), path, ifNoneMatch],
      responses: { "200": { description: "The file", headers: etag, content: binary }, "304": { description: "Not modified" }, ...errors },
    },
    put: {
      operationId: "artifacts-file-write",
      tags: ["artifacts"],
      summary: "Create or replace a file of an artifact's stored copy",
      description:
        `The body is the file's raw bytes (at most ${CONTENT_LIMITS.fileBytes} bytes, else 413). A snapshot is taken first (rollback undoes the edit); ` +
        "the metadata is re-read when the main file changes; the artifact becomes `locally_modified`. With If-Match, a stale hash answers 412 and nothing changes.",
      security,
      parameters: [id("collection_id"), id("artifact_id"), path, ifMatch],
      requestBody: { required: true, content: binary },
      responses: {
        "200": { description: "Replaced", headers: etag, content: edited },
        "201": { description: "Created", headers: etag, content: edited },
        "412": { description: "If-Match no longer matches: nothing changed" },
        "413": { description: "Over a size limit: nothing changed" },
        "422": { description: "A path that cannot name a file" },
        ...errors,
      },
    },
    delete: {
      operationId: "artifacts-file-delete",
      tags: ["artifacts"],
      summary: "Delete a file of an artifact's stored copy",
      description: "After a snapshot, like PUT. With If-Match, a stale hash answers 412 and nothing changes.",
      security,
      parameters: [id("collection_id"), id("artifact_id"), path, ifMatch],
      responses: { "200": { description: "Deleted", content: edited }, "412": { description: "If-Match no longer matches: nothing changed" }, ...errors },
    },
  };
  document.paths["/v1/collections/{collection_id}/blobs/{sha256}"] = {
    get: {
      operationId: "collections-blob-read",
      tags: ["collections"],
      summary: "Download any version of a file this collection has held, by SHA-256",
      description: "Current files, merge bases (`base_files`) and snapshots. 404 for a hash this collection never held, whoever else holds it.",
      security,
      parameters: [id("collection_id"), { in: "path" as const, name: "sha256", required: true, schema: { type: "string", pattern: "^[0-9a-f]{64}$" } }, ifNoneMatch],
      responses: { "200": { description: "The bytes", headers: etag, content: binary }, "304": { description: "Not modified" }, ...errors },
    },
  };
  document.paths["/v1/collections/{collection_id}/artifacts/{artifact_id}/bundle"] = {
    get: {
      operationId: "artifacts-bundle",
      tags: ["artifacts"],
      summary: "Download an artifact as tar.gz (its files under `<name>/`, or laid out for a deployment profile)",
      description:
        "With `profile`, the files are placed where that tool reads them (docs/deployments.md) and `scriptorium-merge.json` comes last: the settings and MCP entries a deploy would merge (`merges`). A type the profile has no place for answers 422 naming both.",
      security,
      parameters: [id("collection_id"), id("artifact_id"), ...layoutParameters],
      responses: { "200": { description: "The bundle, streamed", content: gzip }, ...errors },
    },
  };
  document.paths["/v1/collections/{collection_id}/bundle"] = {
    get: {
      operationId: "collections-bundle",
      tags: ["collections"],
      summary: "Download a collection (or the artifacts a filter keeps) as tar.gz",
      description:
        "Laid out `<type>s/<name>/…`, with `scriptorium-bundle.json` first: the collection and, per artifact, its id, type, name, `resolved_version`, `content_hash` and files (path, sha256). With `profile`, laid out where that tool reads each type instead, and `scriptorium-merge.json` last: the entries a deploy would merge (`merges`) and the artifacts the profile has no place for (`skipped`, with the reason). Streamed.",
      security,
      parameters: [
        id("collection_id"),
        { in: "query" as const, name: "type", required: false, schema: { $ref: "#/components/schemas/ArtifactType" } },
        { in: "query" as const, name: "name_pattern", required: false, schema: { type: "string" }, description: "Glob on the artifact name, case-insensitive" },
        ...layoutParameters,
      ],
      responses: { "200": { description: "The bundle, streamed", content: gzip }, ...errors },
    },
  };
}

export function buildOpenApiDocument(): OpenAPIObject {
  const document = generateOpenApiDocument(appRouter, {
    title: "Scriptorium API",
    version: "0.1.0",
    description:
      "The REST face of Scriptorium's typed router. Every operation here is also a tRPC procedure at /trpc. " +
      "Authenticate with `X-API-Key: <key>` or `Authorization: Bearer <key>`.",
    openApiVersion: "3.1.0",
    baseUrl: REST_BASE_PATH,
    securitySchemes: {
      ApiKeyHeader: { type: "apiKey", in: "header", name: "X-API-Key" },
      BearerAuth: { type: "http", scheme: "bearer" },
    },
    defs: { Error: ErrorBody, FileEdit },
  });
  documentRestQuery(document);
  documentExportDownload(document);
  documentArtifactContent(document);
  documentBackupDownload(document);
  documentErrors(document);
  return document;
}
