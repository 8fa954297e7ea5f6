import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { TRPCError } from "@trpc/server";
import { getHTTPStatusCodeFromError } from "@trpc/server/http";
import { errorBody, retryAfterSeconds, type Context } from "@scriptorium/api";

export const SESSION_COOKIE = "scriptorium_session";
/** Largest JSON body (and WebSocket message) the API accepts. */
export const MAX_BODY_BYTES = 1_048_576;
/** Requests may bring their own id (e.g. from a proxy); anything odd is replaced. */
const REQUEST_ID_PATTERN = /^[\w.:-]{1,128}$/;

/** Where a request's id is kept, on the request itself (cheaper than a WeakMap lookup on every use). */
const REQUEST_ID = Symbol("scriptorium.requestId");
type WithRequestId = IncomingMessage & { [REQUEST_ID]?: string };

/** The request's id: the caller's X-Request-ID when it is sane, else a new one. */
export function requestIdOf(req: IncomingMessage): string {
  let id = (req as WithRequestId)[REQUEST_ID];
  if (!id) {
    const given = req.headers["x-request-id"];
    id = typeof given === "string" && REQUEST_ID_PATTERN.test(given) ? given : randomUUID();
    (req as WithRequestId)[REQUEST_ID] = id;
  }
  return id;
}

/** What every handler that calls procedures is given. */
export interface EdgeOptions {
  /** A request's context, built the same way for every entry point. */
  contextOf: (req: IncomingMessage) => Context;
  /** Called for every failed call, as tRPC's own `onError` (`path` is undefined when the whole request failed). */
  onError: (error: TRPCError, path: string | undefined) => void;
}

export interface RequestTarget {
  /** As sent, still percent-encoded. */
  pathname: string;
  query: URLSearchParams;
}

/**
 * A request's path and query, read once where the request arrives and handed
 * to whoever answers it. Split by hand: a full URL parse costs more than the
 * rest of routing a small query.
 */
export function requestTarget(req: IncomingMessage): RequestTarget {
  const target = req.url ?? "/";
  const queryStart = target.indexOf("?");
  if (queryStart === -1) return { pathname: target, query: new URLSearchParams() };
  return { pathname: target.slice(0, queryStart), query: new URLSearchParams(target.slice(queryStart + 1)) };
}

/** A percent-encoded URL component decoded, or null when it is not valid percent-encoding. */
export function decodeComponent(text: string): string | null {
  try {
    return decodeURIComponent(text);
  } catch {
    return null;
  }
}

export function cookieValue(req: IncomingMessage, name: string): string | null {
  const header = req.headers.cookie;
  if (!header) return null;
  for (const part of header.split(";")) {
    const eq = part.indexOf("=");
    // A cookie that does not decode is no session.
    if (eq > 0 && part.slice(0, eq).trim() === name) return decodeComponent(part.slice(eq + 1).trim());
  }
  return null;
}

export interface Credentials {
  apiKey: string | null;
  /** True when the key came from the dashboard's session cookie (so CSRF rules apply). */
  fromCookie: boolean;
}

/** X-API-Key wins over Authorization: Bearer, which wins over the session cookie. */
export function credentialsOf(req: IncomingMessage): Credentials {
  const header = req.headers["x-api-key"];
  if (typeof header === "string" && header.length > 0) return { apiKey: header, fromCookie: false };
  const authorization = req.headers.authorization;
  if (authorization?.toLowerCase().startsWith("bearer ")) {
    const token = authorization.slice(7).trim();
    if (token) return { apiKey: token, fromCookie: false };
  }
  const session = cookieValue(req, SESSION_COOKIE);
  return session ? { apiKey: session, fromCookie: true } : { apiKey: null, fromCookie: false };
}

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * Cookie-authenticated requests that change state must come from our own
 * pages: browsers always send Origin on such requests, and it must match.
 */
export function isCrossSiteWrite(req: IncomingMessage, credentials: Credentials): boolean {
  if (!credentials.fromCookie || SAFE_METHODS.has(req.method ?? "GET")) return false;
  return !req.headers.origin || !isSameOrigin(req);
}

/** True when the request has no Origin header or one naming this server's host. */
export function isSameOrigin(req: IncomingMessage): boolean {
  const origin = req.headers.origin;
  if (!origin) return true;
  try {
    return new URL(origin).host === req.headers.host;
  } catch {
    return false;
  }
}

export function isHttps(req: IncomingMessage): boolean {
  return "encrypted" in req.socket || req.headers["x-forwarded-proto"] === "https";
}

export interface ErrorPayload {
  code: string;
  message: string;
  fields?: { path: string; message: string }[];
}

/** Marks a response whose answer is queued (see `answerAtEndOfTurn`). */
const ANSWER_QUEUED = Symbol("scriptorium.answerQueued");
type MaybeQueued = ServerResponse & { [ANSWER_QUEUED]?: true };

/** Answers waiting for the end of the event loop's current turn: response, status, headers, body, in turn. */
let queuedAnswers: unknown[] = [];

function writeQueuedAnswers(): void {
  const answers = queuedAnswers;
  queuedAnswers = [];
  for (let at = 0; at < answers.length; at += 4) {
    const res = answers[at] as ServerResponse;
    if (res.destroyed) continue;
    try {
      res.writeHead(answers[at + 1] as number, answers[at + 2] as Record<string, string | number>);
      res.end(answers[at + 3] as string);
    } catch (error) {
      // Nothing can be answered any more: the client sees the connection end.
      res.destroy(error instanceof Error ? error : undefined);
    }
  }
}

/**
 * A complete answer (status, headers, body), written once the event loop has
 * finished the requests that arrived in its current turn: the answers of one
 * turn then go out back to back. A client waiting for an answer is woken by
 * the first and finds the others ready, instead of being woken — and the
 * server paying for waking it — once per answer; on loopback that was a
 * third of a small query's cost (docs/benchmarks.md, "The edge"). An idle
 * server still answers at once: the turn ends right after the request.
 */
export function answerAtEndOfTurn(res: ServerResponse, status: number, headers: Record<string, string | number>, body: string): void {
  if (isAnswered(res)) throw Object.assign(new Error("This request has been answered already."), { code: "ERR_HTTP_HEADERS_SENT" });
  (res as MaybeQueued)[ANSWER_QUEUED] = true;
  if (queuedAnswers.length === 0) setImmediate(writeQueuedAnswers);
  queuedAnswers.push(res, status, headers, body);
}

/** True once a response's headers are sent or its answer is queued. */
export function isAnswered(res: ServerResponse): boolean {
  return res.headersSent || (res as MaybeQueued)[ANSWER_QUEUED] === true;
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const payload = JSON.stringify(body);
  answerAtEndOfTurn(res, status, { "content-type": "application/json; charset=utf-8", "content-length": Buffer.byteLength(payload), ...headers }, payload);
}

/** Errors answered outside the router still have the one error shape. */
export function sendError(req: IncomingMessage, res: ServerResponse, status: number, error: ErrorPayload): void {
  sendJson(res, status, { ...error, request_id: requestIdOf(req) });
}

/**
 * A failure of a procedure or of the API's guard, answered outside tRPC: its
 * status, the one error body, and Retry-After when the key is rate limited.
 */
export function sendProcedureError(req: IncomingMessage, res: ServerResponse, error: TRPCError): void {
  const retryAfter = retryAfterSeconds(error);
  sendJson(res, getHTTPStatusCodeFromError(error), errorBody(error, requestIdOf(req)), retryAfter ? { "retry-after": String(retryAfter) } : {});
}

export class BodyTooLargeError extends Error {
  constructor(readonly limit: number) {
    super(`The request body is larger than ${limit} bytes.`);
  }
}

export async function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(req.headers["content-length"] ?? 0);
  if (declared > limit) throw new BodyTooLargeError(limit);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > limit) throw new BodyTooLargeError(limit);
    chunks.push(buffer);
  }
  return Buffer.concat(chunks);
}

/** A download's Content-Disposition, with the RFC 5987 form for clients that prefer it. */
export function contentDisposition(filename: string): string {
  const ascii = filename.replace(/[^\x20-\x7e]|["\\]/g, "_");
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(filename)}`;
}

/** True when the client's cached copy (If-None-Match) is this very file. */
export function isCached(req: IncomingMessage, etag: string): boolean {
  const header = req.headers["if-none-match"];
  if (!header) return false;
  return header === "*" || header.split(",").some((candidate) => candidate.trim().replace(/^W\//, "") === etag);
}
