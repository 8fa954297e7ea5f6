import { TRPCError } from "@trpc/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appRouter, callProcedure, directScopeOf, errorBody, type Context } from "@scriptorium/api";
import { startTestServer, type RunningTestServer } from "./testing/test-server";

/**
 * Plain HTTP calls run a procedure's steps directly (`callProcedure`), where
 * every other entry point goes through tRPC's middleware chain. Both must
 * give the same answer — the same data, or the same error with the same
 * code, message and fields — for successes and for every kind of refusal.
 */
describe("a direct call of a procedure", () => {
  let server: RunningTestServer;
  let readKey: string;
  const procedures = appRouter._def.procedures as unknown as Record<string, { _def: { type: "query" | "mutation" } } & ((opts: object) => Promise<unknown>)>;

  beforeAll(async () => {
    server = await startTestServer();
    const created = await fetch(`${server.url}/api/v1/keys`, {
      method: "POST",
      headers: { "x-api-key": server.ownerKey, "content-type": "application/json" },
      body: JSON.stringify({ name: "reader", scope: "read" }),
    });
    readKey = ((await created.json()) as { key: string }).key;
  });
  afterAll(() => server.stop());

  type Outcome = { data: unknown } | { error: ReturnType<typeof errorBody> };

  async function outcome(run: () => Promise<unknown>): Promise<Outcome> {
    try {
      return { data: await run() };
    } catch (error) {
      if (!(error instanceof TRPCError)) throw error;
      return { error: errorBody(error, "r") };
    }
  }

  async function both(path: string, input: unknown, apiKey: string | null): Promise<[Outcome, Outcome]> {
    const procedure = procedures[path];
    if (!procedure) throw new Error(`no procedure ${path}`);
    const ctx: Context = { services: server.app.services, requestId: "r", apiKey };
    const call = { path, type: procedure._def.type, ctx, getRawInput: async () => input };
    const direct = await outcome(() => callProcedure(procedure, call));
    const chained = await outcome(() => procedure({ ...call, signal: undefined, batchIndex: 0 }));
    return [direct, chained];
  }

  it("is how every query and mutation of the router runs", () => {
    const indirect = Object.entries(procedures)
      .filter(([, procedure]) => procedure._def.type !== ("subscription" as string))
      .filter(([, procedure]) => directScopeOf(procedure) === null)
      .map(([path]) => path);
    expect(indirect).toEqual([]);
  });

  it.each([
    ["auth.whoami", undefined, "owner"],
    ["auth.whoami", { ignored: true }, "owner"],
    ["collections.list", undefined, "read"],
    ["keys.list", undefined, "owner"],
    ["generation.stages", { id: "00000000-0000-4000-8000-000000000000" }, "read"],
  ] as const)("answers %s with %j like tRPC's chain", async (path, input, key) => {
    const [direct, chained] = await both(path, input, key === "owner" ? server.ownerKey : readKey);
    expect("data" in direct || direct.error.code === "NOT_FOUND").toBe(true);
    expect(direct).toEqual(chained);
  });

  it.each([
    ["no key", "auth.whoami", undefined, null, "UNAUTHORIZED"],
    ["an unknown key", "collections.list", undefined, "not-a-key-0123456789", "UNAUTHORIZED"],
    ["too small a scope", "collections.create", { name: "x" }, "read", "FORBIDDEN"],
    ["input that fails its schema", "collections.create", { name: "", description: 7 }, "owner", "UNPROCESSABLE_CONTENT"],
    ["a NUL character", "collections.create", { name: "a\u0000b" }, "owner", "UNPROCESSABLE_CONTENT"],
    ["a NUL character in ignored input", "auth.whoami", { note: ["\u0000"] }, "owner", "UNPROCESSABLE_CONTENT"],
    ["an id that names nothing", "collections.get", { collection_id: "00000000-0000-4000-8000-000000000000" }, "owner", "NOT_FOUND"],
    ["a domain refusal", "collections.rollback", { collection_id: "00000000-0000-4000-8000-000000000000", snapshot_id: "x" }, "owner", "NOT_FOUND"],
  ] as const)("refuses %s like tRPC's chain", async (_, path, input, key, code) => {
    const apiKey = key === "owner" ? server.ownerKey : key === "read" ? readKey : key;
    const [direct, chained] = await both(path, input, apiKey);
    expect(direct).toEqual(chained);
    expect(direct).toMatchObject({ error: { code } });
  });
});
