import type { IncomingMessage, ServerResponse } from "node:http";
import { createOpenApiNodeHttpHandler } from "trpc-to-openapi";
import { appRouter, REST_BASE_PATH, type Context } from "@scriptorium/api";
import { BodyTooLargeError, readBody, sendError } from "./request";

/** Largest JSON body the API accepts. */
export const MAX_BODY_BYTES = 1_048_576;

const METHODS_WITH_BODY = new Set(["POST", "PUT", "PATCH"]);

type RestRequest = IncomingMessage & { body?: unknown };

/**
 * REST through trpc-to-openapi, with the body read here first: the adapter
 * answers 415 to a bodiless POST and 500 to an empty JSON body, while our
 * contract treats both as `{}` and malformed JSON as 400.
 */
export function createRestHandler(createContext: (req: IncomingMessage) => Context) {
  const handle = createOpenApiNodeHttpHandler({
    router: appRouter,
    createContext: ({ req }) => createContext(req),
    maxBodySize: MAX_BODY_BYTES,
  });

  return async (req: RestRequest, res: ServerResponse): Promise<void> => {
    if (METHODS_WITH_BODY.has(req.method ?? "")) {
      let raw: Buffer;
      try {
        raw = await readBody(req, MAX_BODY_BYTES);
      } catch (error) {
        if (error instanceof BodyTooLargeError) {
          return sendError(req, res, 413, { code: "PAYLOAD_TOO_LARGE", message: error.message });
        }
        throw error;
      }
      const text = raw.toString("utf8").trim();
      const contentType = req.headers["content-type"] ?? "";
      if (text === "") {
        req.body = {};
        req.headers["content-type"] = "application/json";
      } else if (!contentType.startsWith("application/json")) {
        return sendError(req, res, 415, {
          code: "UNSUPPORTED_MEDIA_TYPE",
          message: `Send JSON with Content-Type: application/json (got ${contentType ? `"${contentType}"` : "no Content-Type"}).`,
        });
      } else {
        try {
          req.body = JSON.parse(text);
        } catch (error) {
          return sendError(req, res, 400, {
            code: "BAD_REQUEST",
            message: `The request body is not valid JSON: ${(error as Error).message}`,
          });
        }
      }
    }
    req.url = (req.url ?? "/").slice(REST_BASE_PATH.length) || "/";
    await handle(req, res, () =>
      sendError(req, res, 404, { code: "NOT_FOUND", message: `No API operation at ${req.method} ${REST_BASE_PATH}${req.url}.` }),
    );
  };
}
