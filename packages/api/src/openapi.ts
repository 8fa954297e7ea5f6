import { forEachOpenApiProcedure, generateOpenApiDocument, getInputOutputParsers, type OpenAPIObject } from "trpc-to-openapi";
import { z } from "zod";
import { EXPORT_FILE_TYPES } from "@scriptorium/contract";
import { appRouter } from "./root";
import { ErrorBody } from "./schemas";
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
    defs: { Error: ErrorBody },
  });
  documentRestQuery(document);
  documentExportDownload(document);
  documentBackupDownload(document);
  documentErrors(document);
  return document;
}
