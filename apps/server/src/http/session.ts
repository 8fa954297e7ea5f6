import type { IncomingMessage, ServerResponse } from "node:http";
import { getTRPCErrorFromUnknown } from "@trpc/server";
import { z } from "zod";
import { runGuarded } from "@scriptorium/api";
import type { Services } from "@scriptorium/domain";
import { BodyTooLargeError, isHttps, isSameOrigin, readBody, requestIdOf, SESSION_COOKIE, sendError, sendJson, sendProcedureError } from "./request";

const SignInBody = z.object({ api_key: z.string().min(1).max(512) });
const SESSION_MAX_AGE_SECONDS = 30 * 24 * 3600;

function cookie(req: IncomingMessage, value: string, maxAge: number): string {
  const secure = isHttps(req) ? "; Secure" : "";
  return `${SESSION_COOKIE}=${encodeURIComponent(value)}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${maxAge}${secure}`;
}

/**
 * The dashboard's sign-in: a valid API key becomes an httpOnly cookie, so
 * page scripts never hold the key. POST signs in, DELETE signs out.
 */
export function createSessionHandler(services: Services) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    if (req.method === "DELETE") {
      res.writeHead(204, { "set-cookie": cookie(req, "", 0) });
      res.end();
      return;
    }
    if (req.method !== "POST") {
      return sendError(req, res, 405, { code: "METHOD_NOT_SUPPORTED", message: "Use POST to sign in or DELETE to sign out." });
    }
    if (!isSameOrigin(req)) {
      return sendError(req, res, 403, { code: "FORBIDDEN", message: "Sign-in is only accepted from this server's own pages." });
    }
    let body: unknown;
    try {
      body = JSON.parse((await readBody(req, 4096)).toString("utf8") || "{}");
    } catch (error) {
      if (error instanceof BodyTooLargeError) return sendError(req, res, 413, { code: "PAYLOAD_TOO_LARGE", message: error.message });
      return sendError(req, res, 400, { code: "BAD_REQUEST", message: "The request body is not valid JSON." });
    }
    const parsed = SignInBody.safeParse(body);
    if (!parsed.success) {
      return sendError(req, res, 422, {
        code: "UNPROCESSABLE_CONTENT",
        message: "Send { \"api_key\": \"…\" }.",
        fields: [{ path: "api_key", message: "required" }],
      });
    }
    // Checked by the API's guard, as for every procedure: the same authentication, rate limit and errors.
    let principal;
    try {
      principal = await runGuarded({ services, requestId: requestIdOf(req), apiKey: parsed.data.api_key }, "read", async (signedIn) => signedIn);
    } catch (error) {
      return sendProcedureError(req, res, getTRPCErrorFromUnknown(error));
    }
    sendJson(
      res,
      200,
      {
        workspace: { id: principal.workspaceId, name: principal.workspaceName },
        key: { id: principal.keyId, name: principal.keyName, scope: principal.scope, prefix: principal.keyPrefix },
      },
      { "set-cookie": cookie(req, parsed.data.api_key, SESSION_MAX_AGE_SECONDS) },
    );
  };
}
