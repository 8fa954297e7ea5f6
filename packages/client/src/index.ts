import {
  createTRPCClient,
  httpBatchLink,
  httpSubscriptionLink,
  splitLink,
  type TRPCClient,
} from "@trpc/client";
import type { inferRouterInputs, inferRouterOutputs } from "@trpc/server";
import { EventSource } from "eventsource";
import type { ScriptoriumRouter } from "./router";

/** The API's tRPC router type, for `createTRPCClient<AppRouter>` with links of your own. */
export type AppRouter = ScriptoriumRouter;
export type RouterInputs = inferRouterInputs<AppRouter>;
export type RouterOutputs = inferRouterOutputs<AppRouter>;
export { TRPCClientError } from "@trpc/client";

export interface ScriptoriumClientOptions {
  /** The server's base URL, e.g. http://127.0.0.1:3000 */
  url: string;
  apiKey: string;
  /** Extra headers sent with every request (e.g. X-Request-ID). */
  headers?: Record<string, string>;
}

export type ScriptoriumClient = TRPCClient<AppRouter>;

/**
 * The typed client: queries and mutations over batched HTTP, subscriptions
 * over Server-Sent Events. Works in Node 20 (which has no global
 * EventSource) and in browsers.
 */
export function createScriptoriumClient(options: ScriptoriumClientOptions): ScriptoriumClient {
  const base = options.url.replace(/\/+$/, "");
  const headers = { ...options.headers, "x-api-key": options.apiKey };
  return createTRPCClient<AppRouter>({
    links: [
      splitLink({
        condition: (op) => op.type === "subscription",
        true: httpSubscriptionLink({
          url: `${base}/trpc`,
          EventSource,
          eventSourceOptions: () => ({
            fetch: (input, init) => fetch(input, { ...init, headers: { ...init?.headers, ...headers } }),
          }),
        }),
        false: httpBatchLink({ url: `${base}/trpc`, headers: () => headers }),
      }),
    ],
  });
}
