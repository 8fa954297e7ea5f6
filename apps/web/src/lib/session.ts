import type { QueryClient } from "@tanstack/react-query";
import type { Session } from "./trpc";

/**
 * The signed-in session: the whoami answer, or null when signed out. It is
 * its own query (not the whoami query's error state) so signing in and out
 * can set it directly, without a round trip.
 */
export const SESSION_QUERY_KEY = ["session"] as const;

function isSessionQuery(queryKey: readonly unknown[]): boolean {
  return queryKey[0] === SESSION_QUERY_KEY[0];
}

/** Drops everything the previous key could see, so nothing leaks into the next session. */
function forgetWorkspaceData(queryClient: QueryClient): void {
  queryClient.removeQueries({ predicate: (query) => !isSessionQuery(query.queryKey) });
}

/**
 * Where this browser keeps the last session the server confirmed: the
 * workspace and the key's name, scope and prefix, never the key itself
 * (that stays in the httpOnly cookie). A page opened again shows the app
 * with it at once and asks for its data while the server confirms who the
 * cookie belongs to; an answer that differs replaces it, and a cookie the
 * server no longer accepts leads to the sign-in screen.
 */
const REMEMBERED_SESSION_ITEM = "scriptorium.session";

/** The remembered session as stored (a JSON string), or null: a stable value for useSyncExternalStore. */
export function rememberedSessionText(): string | null {
  try {
    return window.localStorage.getItem(REMEMBERED_SESSION_ITEM);
  } catch {
    // Storage may be turned off; the page then simply waits for the server.
    return null;
  }
}

/** Reads a remembered session back, ignoring anything without a session's shape (another version's, or edited by hand). */
export function parseRememberedSession(text: string | null): Session | null {
  if (!text) return null;
  try {
    const value = JSON.parse(text) as Partial<Session> | null;
    return typeof value?.key?.scope === "string" && typeof value.key.name === "string" && typeof value.workspace?.name === "string" ? (value as Session) : null;
  } catch {
    return null;
  }
}

export function rememberSession(session: Session | null): void {
  try {
    if (session) window.localStorage.setItem(REMEMBERED_SESSION_ITEM, JSON.stringify(session));
    else window.localStorage.removeItem(REMEMBERED_SESSION_ITEM);
  } catch {
    // Storage may be turned off or full: remembering is only a head start.
  }
}

export function startSession(queryClient: QueryClient, session: Session): void {
  forgetWorkspaceData(queryClient);
  rememberSession(session);
  queryClient.setQueryData<Session | null>(SESSION_QUERY_KEY, session);
}

export function endSession(queryClient: QueryClient): void {
  rememberSession(null);
  queryClient.setQueryData<Session | null>(SESSION_QUERY_KEY, null);
  forgetWorkspaceData(queryClient);
}

export type SignInResult = { ok: true; session: Session } | { ok: false; message: string };

/** Exchanges an API key for the httpOnly session cookie; the page never stores the key. */
export async function signIn(apiKey: string): Promise<SignInResult> {
  let response: Response;
  try {
    response = await fetch("/auth/session", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ api_key: apiKey }),
    });
  } catch {
    return { ok: false, message: "Scriptorium is not reachable. Check that the server is running, then try again." };
  }
  const body: unknown = await response.json().catch(() => null);
  if (response.ok) return { ok: true, session: body as Session };
  const message =
    typeof body === "object" && body !== null && "message" in body && typeof body.message === "string"
      ? body.message
      : `Sign-in failed (HTTP ${response.status}).`;
  return { ok: false, message };
}

/** Clears the session cookie on the server; the caller then ends the session locally. */
export async function signOut(): Promise<void> {
  const response = await fetch("/auth/session", { method: "DELETE" });
  if (!response.ok) throw new Error(`Sign-out failed (HTTP ${response.status}).`);
}
