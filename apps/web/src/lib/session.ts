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

export function startSession(queryClient: QueryClient, session: Session): void {
  forgetWorkspaceData(queryClient);
  queryClient.setQueryData<Session | null>(SESSION_QUERY_KEY, session);
}

export function endSession(queryClient: QueryClient): void {
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
