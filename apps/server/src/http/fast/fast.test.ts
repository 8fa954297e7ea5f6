import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type RunningTestServer } from "../../testing/test-server";
import { credentialsOf, requestIdOf } from "../request";
import { createTrpcHandler } from "../trpc";

const NOWHERE = "00000000-0000-4000-8000-000000000000";

/**
 * The edge answers tRPC's plain GET queries and SSE subscriptions itself
 * (`http/fast`); tRPC's own adapter answers everything else. Both must give
 * the same answer — status, headers that matter, and body, byte for byte —
 * for successes and for every kind of refusal. The adapter runs here over
 * the same services, beside the real server.
 */
describe("the fast edge, beside tRPC's own adapter", () => {
  let server: RunningTestServer;
  let adapter: Server;
  let adapterUrl: string;
  let readKey: string;
  let projectId: string;

  beforeAll(async () => {
    server = await startTestServer();
    const services = server.app.services;
    const handler = createTrpcHandler({
      contextOf: (req) => ({ services, requestId: requestIdOf(req), apiKey: credentialsOf(req).apiKey }),
      onError: () => undefined,
    });
    adapter = createServer((req, res) => {
      res.setHeader("x-request-id", requestIdOf(req));
      handler(req, res);
    });
    await new Promise<void>((resolve) => adapter.listen(0, "127.0.0.1", resolve));
    adapterUrl = `http://127.0.0.1:${(adapter.address() as AddressInfo).port}`;

    const rest = async <T>(method: string, path: string, body: unknown): Promise<T> => {
      const response = await fetch(`${server.url}/api${path}`, { method, headers: { "x-api-key": server.ownerKey, "content-type": "application/json" }, body: JSON.stringify(body) });
      return (await response.json()) as T;
    };
    readKey = (await rest<{ key: string }>("POST", "/v1/keys", { name: "reader", scope: "read" })).key;
    projectId = (await rest<{ id: string }>("POST", "/v2/projects", { title: "Side by side", target_words: 1_500, chapters: 1, scenes_per_chapter: 1 })).id;
    await rest("POST", `/v2/projects/${projectId}/generate`, {});
    for (;;) {
      const response = await fetch(`${server.url}/api/v2/projects/${projectId}/generate/status`, { headers: { "x-api-key": server.ownerKey } });
      const status = ((await response.json()) as { status: string }).status;
      if (status !== "queued" && status !== "running") break;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  });
  afterAll(async () => {
    await new Promise((resolve) => adapter.close(resolve));
    await server.stop();
  });

  function keyOf(who: "owner" | "read" | "unknown" | null): Record<string, string> {
    if (who === null) return {};
    return { "x-api-key": who === "owner" ? server.ownerKey : who === "read" ? readKey : "scr_not-a-key-0123456789" };
  }

  /** The same request to both, with the same request id; what each answered. */
  async function both(path: string, headers: Record<string, string>, read: (response: Response) => Promise<unknown>): Promise<[unknown, unknown]> {
    const ask = async (base: string) => {
      const response = await fetch(`${base}/trpc/${path}`, { headers: { ...headers, "x-request-id": "side-by-side" }, signal: AbortSignal.timeout(10_000) });
      return read(response);
    };
    return [await ask(server.url), await ask(adapterUrl)];
  }

  const plainAnswer = async (response: Response) => ({
    status: response.status,
    type: response.headers.get("content-type"),
    vary: response.headers.get("vary"),
    retryAfter: response.headers.get("retry-after"),
    body: await response.text(),
  });

  const input = (value: unknown) => `input=${encodeURIComponent(JSON.stringify(value))}`;

  it.each([
    ["auth.whoami", "", "owner"],
    ["auth.whoami", input({ ignored: true }), "owner"],
    ["collections.list", "", "read"],
    ["keys.list", "", "owner"],
    ["generation.stages", input({ id: NOWHERE }), "read"],
    ["generation.status", input({ id: "PROJECT" }), "read"],
  ] as const)("answers the query %s?%s like tRPC's adapter", async (path, query, who) => {
    const [fast, stock] = await both(`${path}?${query.replace("PROJECT", projectId)}`, keyOf(who), plainAnswer);
    expect(fast).toEqual(stock);
  });

  it.each([
    ["no key", "auth.whoami", "", null, 401],
    ["an unknown key", "collections.list", "", "unknown", 401],
    ["too small a scope", "keys.list", "", "read", 403],
    ["input that fails its schema", "collections.get", input({ collection_id: 7 }), "owner", 422],
    ["a NUL character", "collections.get", input({ collection_id: "a\u0000b" }), "owner", 422],
    ["a NUL character in ignored input", "auth.whoami", input({ note: ["\u0000"] }), "owner", 422],
    ["input that is not JSON", "collections.get", "input=%7Bnope", "owner", 400],
    ["an id that names nothing", "collections.get", input({ collection_id: NOWHERE }), "owner", 404],
  ] as const)("refuses %s like tRPC's adapter", async (_, path, query, who, status) => {
    const [fast, stock] = await both(`${path}?${query}`, keyOf(who), plainAnswer);
    expect(fast).toEqual(stock);
    expect(fast).toMatchObject({ status });
  });

  /** An SSE answer as its messages (event, data, id), up to `count` of them after `connected`. */
  const streamOf = (count: number) => async (response: Response) => {
    const messages: Record<string, string>[] = [];
    const reader = response.body?.getReader();
    const decoder = new TextDecoder();
    let buffer = "";
    while (reader && messages.length <= count) {
      const chunk = await reader.read();
      if (chunk.done) break;
      buffer += decoder.decode(chunk.value, { stream: true });
      for (let end = buffer.indexOf("\n\n"); end !== -1; end = buffer.indexOf("\n\n")) {
        const block = buffer.slice(0, end).trim();
        buffer = buffer.slice(end + 2);
        if (block === "") continue;
        const message = Object.fromEntries(block.split("\n").map((line) => [line.slice(0, line.indexOf(":")), line.slice(line.indexOf(":") + 2)]));
        if (message.event !== "ping") messages.push(message);
      }
    }
    await reader?.cancel();
    return { status: response.status, type: response.headers.get("content-type"), messages: messages.slice(0, count + 1) };
  };
  const sse = { accept: "text/event-stream" };

  it("streams a subscription's events like tRPC's adapter", async () => {
    const [fast, stock] = await both(`generation.events?${input({ project_id: projectId })}`, { ...keyOf("read"), ...sse }, streamOf(5));
    expect(fast).toEqual(stock);
    expect((fast as { messages: unknown[] }).messages).toHaveLength(6);
  });

  it("resumes a subscription from the last event id like tRPC's adapter", async () => {
    const [fast, stock] = await both(`generation.events?${input({ project_id: projectId })}&lastEventId=3`, { ...keyOf("read"), ...sse }, streamOf(2));
    expect(fast).toEqual(stock);
    expect((fast as { messages: { id?: string }[] }).messages[1]?.id).toBe("4");
  });

  it.each([
    ["no key", input({ project_id: NOWHERE }), null],
    ["too small a scope", "", "read"],
    ["input that fails its schema", input({ project_id: 7 }), "read"],
    ["a project that is not there", input({ project_id: NOWHERE }), "read"],
  ] as const)("refuses a subscription with %s like tRPC's adapter", async (_, query, who) => {
    const path = who === "read" && query === "" ? "keys.changes?" : `generation.events?${query}`;
    const [fast, stock] = await both(path, { ...keyOf(who), ...sse }, streamOf(1));
    expect(fast).toEqual(stock);
    expect((fast as { messages: { event?: string }[] }).messages.map((message) => message.event)).toEqual(["connected", "serialized-error"]);
  });
});
