import { createTRPCClient, createWSClient, wsLink } from "@trpc/client";
import { randomUUID } from "node:crypto";
import { rmSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { createScriptoriumClient, TRPCClientError, type AppRouter, type RouterOutputs } from "@scriptorium/client";
import { skillFile, tempDir, writeFiles } from "@scriptorium/domain/testing";
import { startTestServer, type RunningTestServer } from "./testing/test-server";

type KeyChange = RouterOutputs["keys"]["changes"] extends AsyncIterable<infer T> ? T : never;
type RefreshProgress = RouterOutputs["collections"]["refreshProgress"] extends AsyncIterable<infer T> ? T : never;

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

  it("follows a refresh live by the progress token it was started with, to the end", async () => {
    const client = createScriptoriumClient({ url: server.url, apiKey: server.ownerKey });
    const folder = tempDir("refresh-progress");
    const skills: Record<string, string> = {};
    for (let index = 0; index < 40; index += 1) skills[`skill-${index}/SKILL.md`] = skillFile({ name: `skill-${index}`, description: `Skill ${index}` });
    writeFiles(folder, skills);
    const collection = await client.collections.create.mutate({ name: "Followed" });
    await client.artifacts.add.mutate({ collection_id: collection.id, source: { kind: "local", path: folder } });
    writeFiles(folder, { "skill-7/SKILL.md": skillFile({ name: "skill-7", description: "Changed upstream" }) });

    const token = randomUUID();
    const updates: RefreshProgress[] = [];
    let started!: () => void;
    const ready = new Promise<void>((resolve) => (started = resolve));
    const finished = new Promise<void>((resolve, reject) => {
      client.collections.refreshProgress.subscribe(
        { collection_id: collection.id, progress_token: token },
        { onStarted: () => started(), onData: (update) => updates.push(update), onError: reject, onComplete: resolve },
      );
    });
    await ready;
    const answer = await client.collections.refresh.mutate({ collection_id: collection.id, mode: "sync", progress_token: token });
    await finished;
    expect(answer.result.refreshed_count).toBe(1);
    expect(updates.at(0)).toMatchObject({ phase: "reading", total: 40 });
    expect(updates.at(-1)).toEqual({ phase: "done", done: 40, total: 40 });
    expect(updates.some((update) => update.phase === "applying")).toBe(true);
    const dones = updates.map((update) => update.done);
    expect(dones).toEqual([...dones].sort((a, b) => a - b));

    // A watcher that comes late gets the last update at once, and the end.
    const late = await new Promise<RefreshProgress[]>((resolve, reject) => {
      const seen: RefreshProgress[] = [];
      client.collections.refreshProgress.subscribe({ collection_id: collection.id, progress_token: token }, { onData: (update) => seen.push(update), onError: reject, onComplete: () => resolve(seen) });
    });
    expect(late).toEqual([{ phase: "done", done: 40, total: 40 }]);
    rmSync(folder, { recursive: true, force: true });
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
