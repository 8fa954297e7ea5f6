import type { IncomingMessage, ServerResponse } from "node:http";
import { TRPCError } from "@trpc/server";
import { getHTTPStatusCodeFromError } from "@trpc/server/http";
import {
  createProcedureCache,
  getInputOutputParsers,
  instanceofZodTypeObject,
  instanceofZodTypeOptional,
  normalizePath,
  unwrapZodType,
  type OpenApiMethod,
} from "trpc-to-openapi";
import { ZodArray, type ZodType } from "zod";
import { appRouter, callProcedure, errorBody, REST_BASE_PATH, retryAfterSeconds, type Context, type Meta } from "@scriptorium/api";
import { BodyTooLargeError, readBody, sendError, sendJson } from "./request";

/** Largest JSON body the API accepts. */
export const MAX_BODY_BYTES = 1_048_576;

const METHODS_WITH_BODY = new Set(["POST", "PUT", "PATCH"]);

type Procedure = Parameters<typeof getInputOutputParsers>[0];

interface InputShape {
  /** Query-string keys whose schema is an array: a single value becomes a one-element array. */
  arrayKeys: Set<string>;
  /** For POST and friends: the input fields that may come from the query string. */
  queryKeys: Set<string>;
}

/**
 * What the router's input schema says about reading REST input; computed
 * once per procedure. Query values stay strings: schemas that take them
 * from a query string say how to read them (e.g. a `Flag` reads "false" as
 * false, where blanket coercion would read it as true).
 */
function inputShapeOf(procedure: Procedure): InputShape {
  const { inputParser } = getInputOutputParsers(procedure);
  const schema = unwrapZodType(inputParser, true);
  const queryKeys = new Set((procedure._def.meta as Meta | undefined)?.restQuery ?? []);
  const arrayKeys = new Set<string>();
  if (instanceofZodTypeObject(schema)) {
    for (const [key, field] of Object.entries(schema.shape as Record<string, ZodType>)) {
      const inner = instanceofZodTypeOptional(field) ? field.unwrap() : field;
      if (inner instanceof ZodArray) arrayKeys.add(key);
    }
  }
  return { arrayKeys, queryKeys };
}

function queryInput(query: string, arrayKeys: Set<string>): Record<string, unknown> {
  const input: Record<string, unknown> = {};
  if (query === "") return input;
  const params = new URLSearchParams(query);
  for (const key of new Set(params.keys())) {
    const values = params.getAll(key);
    input[key] = values.length > 1 || arrayKeys.has(key) ? values : values[0];
  }
  return input;
}

/**
 * REST over the router, routed by trpc-to-openapi's own route table and
 * schema coercion (so the served API is exactly the documented one), and
 * called through the server-side caller with the same middlewares as tRPC.
 *
 * Reading the request here rather than in the library's adapter keeps each
 * call cheap (no fetch Request per call) and gives our contract: an empty
 * body is `{}`, malformed JSON is 400, a POST's declared query parameters
 * (`restQuery`) win over its body, and errors have the one error body.
 */
export function createRestHandler(createContext: (req: IncomingMessage) => Context, onInternalError: (error: TRPCError, path: string) => void) {
  const findProcedure = createProcedureCache(appRouter);
  const shapes = new Map<Procedure, InputShape>();

  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const method = (req.method ?? "GET") as OpenApiMethod;
    // Split by hand: a full URL parse per request costs more than the rest of routing.
    const target = req.url ?? "/";
    const queryStart = target.indexOf("?");
    const pathname = queryStart === -1 ? target : target.slice(0, queryStart);
    const query = queryStart === -1 ? "" : target.slice(queryStart + 1);
    let decoded: string;
    try {
      decoded = decodeURI(pathname.slice(REST_BASE_PATH.length));
    } catch {
      return sendError(req, res, 400, { code: "BAD_REQUEST", message: `The path ${pathname} is not valid percent-encoded UTF-8.` });
    }
    const path = normalizePath(decoded);
    const match = findProcedure(method, path);
    if (!match?.procedure) {
      return sendError(req, res, 404, { code: "NOT_FOUND", message: `No API operation at ${method} ${pathname}.` });
    }
    const { procedure, pathInput } = match;
    let shape = shapes.get(procedure.procedure);
    if (!shape) {
      shape = inputShapeOf(procedure.procedure);
      shapes.set(procedure.procedure, shape);
    }

    let body: Record<string, unknown> = {};
    if (METHODS_WITH_BODY.has(method)) {
      let raw: string;
      try {
        raw = (await readBody(req, MAX_BODY_BYTES)).toString("utf8").trim();
      } catch (error) {
        if (error instanceof BodyTooLargeError) return sendError(req, res, 413, { code: "PAYLOAD_TOO_LARGE", message: error.message });
        throw error;
      }
      const contentType = req.headers["content-type"] ?? "";
      if (raw !== "" && !contentType.startsWith("application/json")) {
        return sendError(req, res, 415, {
          code: "UNSUPPORTED_MEDIA_TYPE",
          message: `Send JSON with Content-Type: application/json (got ${contentType ? `"${contentType}"` : "no Content-Type"}).`,
        });
      }
      if (raw !== "") {
        let parsed: unknown;
        try {
          parsed = JSON.parse(raw);
        } catch (error) {
          return sendError(req, res, 400, { code: "BAD_REQUEST", message: `The request body is not valid JSON: ${(error as Error).message}` });
        }
        if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
          return sendError(req, res, 400, { code: "BAD_REQUEST", message: "The request body must be a JSON object." });
        }
        body = parsed as Record<string, unknown>;
      }
    }

    const fromQuery = queryInput(query, shape.arrayKeys);
    const input = METHODS_WITH_BODY.has(method)
      ? { ...body, ...Object.fromEntries(Object.entries(fromQuery).filter(([key]) => shape.queryKeys.has(key))), ...pathInput }
      : { ...fromQuery, ...pathInput };
    const ctx = createContext(req);
    try {
      const type = procedure.procedure._def.type === "mutation" ? "mutation" : "query";
      sendJson(res, 200, await callProcedure(procedure.procedure, { path: procedure.path, type, ctx, getRawInput: async () => input }));
    } catch (cause) {
      const error = cause instanceof TRPCError ? cause : new TRPCError({ code: "INTERNAL_SERVER_ERROR", cause });
      if (error.code === "INTERNAL_SERVER_ERROR") onInternalError(error, procedure.path);
      const retryAfter = retryAfterSeconds(error);
      sendJson(res, getHTTPStatusCodeFromError(error), errorBody(error, ctx.requestId), retryAfter ? { "retry-after": String(retryAfter) } : {});
    }
  };
}
