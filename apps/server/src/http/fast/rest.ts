import type { IncomingMessage, ServerResponse } from "node:http";
import { getTRPCErrorFromUnknown } from "@trpc/server";
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
import { appRouter, REST_BASE_PATH, type Meta } from "@scriptorium/api";
import { BodyTooLargeError, MAX_BODY_BYTES, readBody, sendError, sendJson, sendProcedureError, type EdgeOptions } from "../request";
import { callProcedure } from "./procedure";

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

function queryInput(query: URLSearchParams, arrayKeys: Set<string>): Record<string, unknown> {
  const input: Record<string, unknown> = {};
  for (const key of new Set(query.keys())) {
    const values = query.getAll(key);
    input[key] = values.length > 1 || arrayKeys.has(key) ? values : values[0];
  }
  return input;
}

/** The request's JSON object body (`{}` when empty), or the error answer it gets. */
async function readJsonBody(req: IncomingMessage): Promise<{ body: Record<string, unknown> } | { status: number; code: string; message: string }> {
  let raw: string;
  try {
    raw = (await readBody(req, MAX_BODY_BYTES)).toString("utf8").trim();
  } catch (error) {
    if (error instanceof BodyTooLargeError) return { status: 413, code: "PAYLOAD_TOO_LARGE", message: error.message };
    throw error;
  }
  if (raw === "") return { body: {} };
  const contentType = req.headers["content-type"] ?? "";
  if (!contentType.startsWith("application/json")) {
    return {
      status: 415,
      code: "UNSUPPORTED_MEDIA_TYPE",
      message: `Send JSON with Content-Type: application/json (got ${contentType ? `"${contentType}"` : "no Content-Type"}).`,
    };
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch (error) {
    return { status: 400, code: "BAD_REQUEST", message: `The request body is not valid JSON: ${(error as Error).message}` };
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    return { status: 400, code: "BAD_REQUEST", message: "The request body must be a JSON object." };
  }
  return { body: parsed as Record<string, unknown> };
}

/**
 * REST over the router, routed by trpc-to-openapi's own route table (so the
 * served API is exactly the documented one) and called through the edge's
 * one procedure pipeline.
 *
 * trpc-to-openapi's own handler would break the REST contract: it never
 * reads a POST's query string, answers an empty body with 415 or 500, adds
 * tRPC's error `data` to every error body, sets schemas to coerce query
 * strings (for tRPC calls too), and builds a fetch Request, a caller and an
 * abort signal per call. Here an empty body is `{}`, malformed JSON is 400,
 * a POST's declared query parameters (`restQuery`) win over its body, and
 * errors have the one error body.
 */
export function createRestHandler(options: EdgeOptions) {
  const findProcedure = createProcedureCache(appRouter);
  const shapes = new Map<Procedure, InputShape>();

  return async (req: IncomingMessage, res: ServerResponse, pathname: string, query: URLSearchParams): Promise<void> => {
    const method = (req.method ?? "GET") as OpenApiMethod;
    let decoded: string;
    try {
      decoded = decodeURI(pathname.slice(REST_BASE_PATH.length));
    } catch {
      return sendError(req, res, 400, { code: "BAD_REQUEST", message: `The path ${pathname} is not valid percent-encoded UTF-8.` });
    }
    const match = findProcedure(method, normalizePath(decoded));
    if (!match?.procedure) {
      return sendError(req, res, 404, { code: "NOT_FOUND", message: `No API operation at ${method} ${pathname}.` });
    }
    const { procedure, pathInput } = match;
    let shape = shapes.get(procedure.procedure);
    if (!shape) {
      shape = inputShapeOf(procedure.procedure);
      shapes.set(procedure.procedure, shape);
    }

    let input: Record<string, unknown>;
    if (METHODS_WITH_BODY.has(method)) {
      const read = await readJsonBody(req);
      if (!("body" in read)) return sendError(req, res, read.status, { code: read.code, message: read.message });
      const declared = Object.entries(queryInput(query, shape.arrayKeys)).filter(([key]) => shape.queryKeys.has(key));
      input = { ...read.body, ...Object.fromEntries(declared), ...pathInput };
    } else {
      input = { ...queryInput(query, shape.arrayKeys), ...pathInput };
    }
    try {
      const ctx = options.contextOf(req);
      const type = procedure.procedure._def.type === "mutation" ? "mutation" : "query";
      sendJson(res, 200, await callProcedure({ path: procedure.path, type, ctx, getRawInput: async () => input }));
    } catch (cause) {
      const error = getTRPCErrorFromUnknown(cause);
      options.onError(error, procedure.path);
      sendProcedureError(req, res, error);
    }
  };
}
