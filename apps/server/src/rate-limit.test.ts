import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type RunningTestServer } from "./testing/test-server";

describe("per-key rate limiting", () => {
  let server: RunningTestServer;
  const get = (path: string, key: string) => fetch(`${server.url}${path}`, { headers: { "x-api-key": key } });

  beforeAll(async () => {
    server = await startTestServer("pglite", { requestsPerMinute: 6 });
  });
  afterAll(() => server.stop());

  it("answers 429 with Retry-After once a key has spent its budget, over REST and tRPC alike, and leaves other keys alone", async () => {
    const created = await fetch(`${server.url}/api/v1/keys`, {
      method: "POST",
      headers: { "x-api-key": server.ownerKey, "content-type": "application/json" },
      body: JSON.stringify({ name: "other", scope: "read" }),
    });
    const other = ((await created.json()) as { key: string }).key;
    // The owner key has spent one request creating the other key; five remain.
    for (let index = 0; index < 5; index += 1) expect((await get("/api/v1/whoami", server.ownerKey)).status).toBe(200);

    const refused = await get("/api/v1/whoami", server.ownerKey);
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    const body = (await refused.json()) as { code: string; message: string; request_id: string };
    expect(body.code).toBe("TOO_MANY_REQUESTS");
    expect(body.message).toMatch(/^Too many requests with this API key; retry in \d+ s\.$/);
    expect(body.request_id).toBe(refused.headers.get("x-request-id"));

    const overTrpc = await get("/trpc/auth.whoami", server.ownerKey);
    expect(overTrpc.status).toBe(429);
    expect(overTrpc.headers.get("retry-after")).toBeTruthy();
    expect((await get("/api/v2/projects/anything/export/pdf", server.ownerKey)).status).toBe(429);

    expect((await get("/api/v1/whoami", other)).status).toBe(200);
    // Health checks are not API calls and are never limited.
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
  });
});
