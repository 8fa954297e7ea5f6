import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ENGINES } from "@scriptorium/db/testing";
import { startTestServer, type RunningTestServer } from "./testing/test-server";

interface Answer {
  status: number;
  headers: Headers;
  body: Record<string, unknown>;
}

describe.each(ENGINES)("HTTP API on %s", (engine) => {
  let server: RunningTestServer;

  async function call(method: string, path: string, init: { key?: string; body?: unknown; headers?: Record<string, string>; raw?: string } = {}): Promise<Answer> {
    const headers: Record<string, string> = { ...init.headers };
    if (init.key) headers["x-api-key"] = init.key;
    let body: string | undefined = init.raw;
    if (init.body !== undefined) {
      body = JSON.stringify(init.body);
      headers["content-type"] ??= "application/json";
    }
    const response = await fetch(server.url + path, { method, headers, body });
    const text = await response.text();
    return { status: response.status, headers: response.headers, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
  }

  async function createKey(key: string, name: string, scope: string): Promise<string> {
    const answer = await call("POST", "/api/v1/keys", { key, body: { name, scope } });
    expect(answer.status).toBe(200);
    return answer.body.key as string;
  }

  beforeAll(async () => {
    server = await startTestServer(engine);
  });
  afterAll(() => server.stop());

  it("answers health and readiness without a key", async () => {
    expect(await call("GET", "/healthz")).toMatchObject({ status: 200, body: { status: "ok" } });
    expect(await call("GET", "/readyz")).toMatchObject({ status: 200, body: { status: "ready", database: engine } });
  });

  it("answers 401 without a key and with an unknown key, on REST and tRPC alike", async () => {
    for (const path of ["/api/v1/keys", "/api/v1/whoami", "/trpc/keys.list", "/trpc/auth.whoami"]) {
      const none = await call("GET", path);
      expect(none.status, path).toBe(401);
      const unknown = await call("GET", path, { key: "scr_not-a-real-key-at-all-000000" });
      expect(unknown.status, path).toBe(401);
    }
    const rest = await call("POST", "/api/v1/keys", { body: { name: "x" } });
    expect(rest.status).toBe(401);
    expect(rest.body).toMatchObject({ code: "UNAUTHORIZED", message: expect.stringContaining("API key") });
    expect(rest.body.request_id).toEqual(expect.any(String));
  });

  it("accepts the key as X-API-Key or Authorization: Bearer", async () => {
    const viaHeader = await call("GET", "/api/v1/whoami", { key: server.ownerKey });
    const viaBearer = await call("GET", "/api/v1/whoami", { headers: { authorization: `Bearer ${server.ownerKey}` } });
    expect(viaHeader.status).toBe(200);
    expect(viaBearer.body).toEqual(viaHeader.body);
    expect(viaHeader.body).toMatchObject({ workspace: { name: "Default" }, key: { scope: "owner", name: "Owner" } });
  });

  it("creates keys shown once, lists them without secrets, and revokes them", async () => {
    const created = await call("POST", "/api/v1/keys", { key: server.ownerKey, body: { name: "reporting", scope: "read" } });
    expect(created.status).toBe(200);
    expect(Object.keys(created.body).sort()).toEqual(["created_at", "id", "key", "name", "prefix", "scope"]);
    const secret = created.body.key as string;
    expect(secret.startsWith(created.body.prefix as string)).toBe(true);

    const listed = await call("GET", "/api/v1/keys", { key: server.ownerKey });
    const items = listed.body.items as Record<string, unknown>[];
    expect(items.find((item) => item.id === created.body.id)).toEqual({
      id: created.body.id,
      name: "reporting",
      scope: "read",
      prefix: created.body.prefix,
      created_at: created.body.created_at,
    });
    expect(JSON.stringify(listed.body)).not.toContain(secret);

    expect((await call("GET", "/api/v1/whoami", { key: secret })).status).toBe(200);
    const revoked = await call("DELETE", `/api/v1/keys/${String(created.body.id)}`, { key: server.ownerKey });
    expect(revoked).toMatchObject({ status: 200, body: { id: created.body.id, revoked: true } });
    expect((await call("GET", "/api/v1/whoami", { key: secret })).status).toBe(401);
  });

  it("answers 403 when the scope is too small", async () => {
    const reader = await createKey(server.ownerKey, "reader", "read");
    const writer = await createKey(server.ownerKey, "writer", "write");
    const byReader = await call("POST", "/api/v1/keys", { key: reader, body: { name: "nope", scope: "read" } });
    expect(byReader.status).toBe(403);
    expect(byReader.body).toMatchObject({ code: "FORBIDDEN", message: expect.stringContaining('"admin"') });
    expect((await call("GET", "/api/v1/keys", { key: writer })).status).toBe(403);
    expect((await call("POST", "/api/v1/workspaces", { key: writer, body: { name: "W" } })).status).toBe(403);
    expect((await call("GET", "/api/v1/whoami", { key: reader })).status).toBe(200);
    const admin = await createKey(server.ownerKey, "admin", "admin");
    expect((await call("POST", "/api/v1/keys", { key: admin, body: { name: "up", scope: "owner" } })).status).toBe(403);
    expect((await call("POST", "/api/v1/workspaces", { key: admin, body: { name: "W" } })).status).toBe(403);
  });

  it("keeps workspaces apart: another workspace's keys answer 404", async () => {
    const created = await call("POST", "/api/v1/workspaces", { key: server.ownerKey, body: { name: "Tenant B" } });
    expect(created.status).toBe(200);
    expect(created.body).toMatchObject({ workspace: { name: "Tenant B" }, admin_key: { scope: "admin", key: expect.any(String) } });
    const bAdmin = (created.body.admin_key as { key: string }).key;

    const aKey = await call("POST", "/api/v1/keys", { key: server.ownerKey, body: { name: "A's key", scope: "read" } });
    const bList = await call("GET", "/api/v1/keys", { key: bAdmin });
    expect((bList.body.items as { name: string }[]).map((item) => item.name)).toEqual(["Tenant B admin"]);
    const revoke = await call("DELETE", `/api/v1/keys/${String(aKey.body.id)}`, { key: bAdmin });
    expect(revoke.status).toBe(404);
    expect(revoke.body).toMatchObject({ code: "NOT_FOUND" });
    expect((await call("GET", "/api/v1/whoami", { key: aKey.body.key as string })).status).toBe(200);
    expect((await call("DELETE", "/api/v1/keys/does-not-exist", { key: bAdmin })).status).toBe(404);
  });

  it("answers 422 naming the offending fields, and 400 for malformed JSON", async () => {
    const invalid = await call("POST", "/api/v1/keys", { key: server.ownerKey, body: { name: "", scope: "superuser" } });
    expect(invalid.status).toBe(422);
    expect(invalid.body.code).toBe("UNPROCESSABLE_CONTENT");
    expect((invalid.body.fields as { path: string }[]).map((field) => field.path).sort()).toEqual(["name", "scope"]);
    expect(invalid.body.message).toContain("superuser");

    const malformed = await call("POST", "/api/v1/keys", { key: server.ownerKey, raw: "{oops", headers: { "content-type": "application/json" } });
    expect(malformed.status).toBe(400);
    expect(malformed.body).toMatchObject({ code: "BAD_REQUEST", request_id: expect.any(String) });
  });

  it("treats an empty body as {} with or without a Content-Type", async () => {
    const bare = await call("POST", "/api/v1/workspaces", { key: server.ownerKey });
    expect(bare.status).toBe(422);
    expect(bare.body.fields).toEqual([{ path: "name", message: expect.any(String) }]);
    const emptyJson = await call("POST", "/api/v1/workspaces", { key: server.ownerKey, raw: "", headers: { "content-type": "application/json" } });
    expect(emptyJson.status).toBe(422);
  });

  it("answers 413 for an oversized body and 415 for a non-JSON one", async () => {
    const big = await call("POST", "/api/v1/keys", { key: server.ownerKey, body: { name: "x".repeat(2_000_000) } });
    expect(big.status).toBe(413);
    const text = await call("POST", "/api/v1/keys", { key: server.ownerKey, raw: "name=x", headers: { "content-type": "text/plain" } });
    expect(text.status).toBe(415);
    expect(text.body).toMatchObject({ code: "UNSUPPORTED_MEDIA_TYPE" });
  });

  it("answers unknown paths with 404 in the error shape", async () => {
    const missing = await call("GET", "/api/v1/nothing-here", { key: server.ownerKey });
    expect(missing.status).toBe(404);
    expect(missing.body).toMatchObject({ code: "NOT_FOUND", request_id: expect.any(String) });
    expect((await call("GET", "/no-such-page")).status).toBe(404);
  });

  it("echoes X-Request-ID, or makes one up, on every response", async () => {
    const echoed = await call("GET", "/api/v1/whoami", { headers: { "x-request-id": "trace-42" } });
    expect(echoed.headers.get("x-request-id")).toBe("trace-42");
    expect(echoed.body.request_id).toBe("trace-42");
    const made = await call("GET", "/healthz");
    expect(made.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
    const hostile = await call("GET", "/healthz", { headers: { "x-request-id": "bad id with spaces" } });
    expect(hostile.headers.get("x-request-id")).not.toBe("bad id with spaces");
  });

  it("gives the same answers over REST and tRPC", async () => {
    const rest = await call("GET", "/api/v1/keys", { key: server.ownerKey });
    const trpc = await call("GET", "/trpc/keys.list", { key: server.ownerKey });
    expect((trpc.body.result as { data: unknown }).data).toEqual(rest.body);
    const restError = await call("POST", "/api/v1/keys", { key: server.ownerKey, body: { name: "" } });
    const trpcError = await call("POST", "/trpc/keys.create", { key: server.ownerKey, body: { name: "" } });
    expect(trpcError.status).toBe(restError.status);
    expect((trpcError.body.error as { message: string }).message).toBe(restError.body.message);
  });

  it("never leaks stack traces in error bodies", async () => {
    const answer = await call("POST", "/api/v1/keys", { key: server.ownerKey, body: { name: 5 } });
    expect(JSON.stringify(answer.body)).not.toMatch(/stack|\.ts:\d+|node_modules/);
  });

  describe("dashboard session", () => {
    async function signIn(apiKey: string): Promise<{ status: number; cookie: string | null }> {
      const response = await fetch(`${server.url}/auth/session`, {
        method: "POST",
        headers: { "content-type": "application/json", origin: server.url },
        body: JSON.stringify({ api_key: apiKey }),
      });
      return { status: response.status, cookie: response.headers.get("set-cookie") };
    }

    it("turns a valid key into an httpOnly, SameSite cookie, and refuses a bad one", async () => {
      const ok = await signIn(server.ownerKey);
      expect(ok.status).toBe(200);
      expect(ok.cookie).toMatch(/^scriptorium_session=/);
      expect(ok.cookie).toContain("HttpOnly");
      expect(ok.cookie).toContain("SameSite=Strict");
      expect((await signIn("scr_wrong-key-000000000000000")).status).toBe(401);
    });

    it("authenticates reads by cookie, and refuses cross-site writes", async () => {
      const { cookie } = await signIn(server.ownerKey);
      const session = (cookie ?? "").split(";")[0] ?? "";
      expect((await call("GET", "/api/v1/whoami", { headers: { cookie: session } })).status).toBe(200);
      const sameSite = await call("POST", "/api/v1/keys", { body: { name: "from page" }, headers: { cookie: session, origin: server.url } });
      expect(sameSite.status).toBe(200);
      const crossSite = await call("POST", "/api/v1/keys", { body: { name: "evil" }, headers: { cookie: session, origin: "https://evil.example" } });
      expect(crossSite.status).toBe(403);
      const noOrigin = await call("POST", "/trpc/keys.create", { body: { name: "evil" }, headers: { cookie: session } });
      expect(noOrigin.status).toBe(403);
    });

    it("signs out by clearing the cookie", async () => {
      const response = await fetch(`${server.url}/auth/session`, { method: "DELETE" });
      expect(response.status).toBe(204);
      expect(response.headers.get("set-cookie")).toContain("Max-Age=0");
    });
  });

  it("serves the OpenAPI document and interactive docs without a key", async () => {
    const document = await call("GET", "/openapi.json");
    expect(document.status).toBe(200);
    expect(document.body.openapi).toBe("3.1.0");
    const docs = await fetch(`${server.url}/docs`);
    expect(docs.status).toBe(200);
    expect(await docs.text()).toContain("/openapi.json");
    const asset = await fetch(`${server.url}/docs/assets/swagger-ui-bundle.js`);
    expect(asset.status).toBe(200);
  });
});
