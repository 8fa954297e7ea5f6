import { createTRPCClient, httpBatchLink, httpSubscriptionLink, splitLink, TRPCClientError } from "@trpc/client";
import { createTRPCContext } from "@trpc/tanstack-react-query";
import type { AppRouter, RouterOutputs } from "@scriptorium/api";

export const { TRPCProvider, useTRPC, useTRPCClient } = createTRPCContext<AppRouter>();

export type Session = RouterOutputs["auth"]["whoami"];
export type ApiKey = RouterOutputs["keys"]["list"]["items"][number];
export type IssuedApiKey = RouterOutputs["keys"]["create"];
export type Scope = Session["key"]["scope"];

/**
 * The dashboard is served from the same origin as the API, so relative URLs
 * reach it and the session cookie rides along on every call.
 */
export function createScriptoriumTRPCClient() {
  return createTRPCClient<AppRouter>({
    links: [
      splitLink({
        condition: (op) => op.type === "subscription",
        true: httpSubscriptionLink({ url: "/trpc" }),
        false: httpBatchLink({ url: "/trpc" }),
      }),
    ],
  });
}

/** The tRPC error code ("UNAUTHORIZED", "FORBIDDEN", ...) of a failed call, if it has one. */
export function trpcErrorCode(error: unknown): string | null {
  if (error instanceof TRPCClientError) {
    const data: unknown = error.data;
    if (typeof data === "object" && data !== null && "code" in data && typeof data.code === "string") return data.code;
  }
  return null;
}

/** A message a person can act on, for any failure of a call. */
export function errorMessage(error: unknown): string {
  if (error instanceof TRPCClientError) {
    // A failed fetch (server down, network gone) has no tRPC code.
    if (trpcErrorCode(error) === null) return "Scriptorium is not reachable. Check that the server is running, then try again.";
    return error.message;
  }
  return error instanceof Error ? error.message : "Something went wrong.";
}
