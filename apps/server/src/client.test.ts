import { createTRPCClient, createWSClient, wsLink } from "@trpc/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { createScriptoriumClient, TRPCClientError, type AppRouter, type RouterOutputs } from "@scriptorium/client";
import { startTestServer, type RunningTestServer } from "./testing/test-server";

type KeyChange = RouterOutputs["keys"]["changes"] extends AsyncIterable<infer T> ? T : never;

/** Collects `count` values from a subscription, then stops it. */
function collect<T>(subscribe: (handlers: { onData: (value: T) => void; onError: (error: unknown) => void; onStarted: () => void }) => { unsubscribe(): void }, count: number) {
  const values: T[] = [];
  let started!: () => void;
  const ready = new Promise<void>((resolve) => (started = resolve));
  const done = new Promise<T[]>((resolve, reject) => {
    const subscription = subscribe({
      onStarted: () => started(),
      onData: (value) => {
        values.push(value);
        if (values.length === count) {
          subscription.unsubscribe();
          resolve(values);
        }
      },
      onError: reject,
    });
  });
  return { ready, done };
}

describe("the typed client against a running server", () => {
  let server: RunningTestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server.stop());

  it("runs typed queries and mutations", async () => {
    const client = createScriptoriumClient({ url: server.url, apiKey: server.ownerKey });
    const me = await client.auth.whoami.query();
    expect(me.key.scope).toBe("owner");
    const created = await client.keys.create.mutate({ name: "typed", scope: "write" });
    const key: string = created.key;
    expect(key).toMatch(/^scr_/);
    const { items } = await client.keys.list.query();
    expect(items.map((item) => item.name)).toContain("typed");
    await client.keys.revoke.mutate({ id: created.id });
  });

  it("surfaces typed errors", async () => {
    const client = createScriptoriumClient({ url: server.url, apiKey: "scr_nobody-0000000000000000000" });
    const error = await client.auth.whoami.query().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(TRPCClientError);
    expect((error as TRPCClientError<AppRouter>).data?.code).toBe("UNAUTHORIZED");
    expect((error as TRPCClientError<AppRouter>).data?.httpStatus).toBe(401);
  });

  it("streams subscriptions over SSE", async () => {
    const client = createScriptoriumClient({ url: server.url, apiKey: server.ownerKey });
    const changes = collect<KeyChange>((handlers) => client.keys.changes.subscribe(undefined, handlers), 2);
    await changes.ready;
    const created = await client.keys.create.mutate({ name: "watched over SSE", scope: "read" });
    await client.keys.revoke.mutate({ id: created.id });
    expect(await changes.done).toEqual([
      { change: "created", key_id: created.id },
      { change: "revoked", key_id: created.id },
    ]);
  });

  it("streams subscriptions over WebSocket", async () => {
    const wsClient = createWSClient({
      url: `${server.url.replace("http", "ws")}/trpc`,
      WebSocket: WebSocket as unknown as typeof globalThis.WebSocket,
      connectionParams: { apiKey: server.ownerKey },
    });
    try {
      const client = createTRPCClient<AppRouter>({ links: [wsLink({ client: wsClient })] });
      const me = await client.auth.whoami.query();
      expect(me.workspace.name).toBe("Default");
      const changes = collect<KeyChange>((handlers) => client.keys.changes.subscribe(undefined, handlers), 1);
      await changes.ready;
      const created = await client.keys.create.mutate({ name: "watched over WebSocket", scope: "read" });
      expect(await changes.done).toEqual([{ change: "created", key_id: created.id }]);
    } finally {
      await wsClient.close();
    }
  });

  it("refuses WebSocket subscriptions without a valid key", async () => {
    const wsClient = createWSClient({
      url: `${server.url.replace("http", "ws")}/trpc`,
      WebSocket: WebSocket as unknown as typeof globalThis.WebSocket,
      connectionParams: { apiKey: "scr_nobody-0000000000000000000" },
    });
    try {
      const client = createTRPCClient<AppRouter>({ links: [wsLink({ client: wsClient })] });
      const error = await client.auth.whoami.query().catch((caught: unknown) => caught);
      expect((error as TRPCClientError<AppRouter>).data?.code).toBe("UNAUTHORIZED");
    } finally {
      await wsClient.close();
    }
  });
});
