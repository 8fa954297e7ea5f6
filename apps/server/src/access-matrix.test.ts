import { createHash } from "node:crypto";
import { rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { AnyTRPCRouter } from "@trpc/server";
import { getInputOutputParsers, instanceofZodTypeObject } from "trpc-to-openapi";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appRouter, buildOpenApiDocument, REST_BASE_PATH, type Meta } from "@scriptorium/api";
import { SCOPES, type Scope } from "@scriptorium/contract";
import { skillFile, tempDir, writeFiles } from "@scriptorium/domain/testing";
import { startTestServer, type RunningTestServer } from "./testing/test-server";

/**
 * The access rules of the whole API, walked operation by operation from the
 * OpenAPI document and the router itself, so a new endpoint is checked the
 * day it appears: without a key it must answer 401, with too small a scope
 * 403, and with another workspace's ids 404.
 *
 * Nothing is public: every procedure is built on a scoped procedure, and the
 * keyless routes (/healthz, /readyz, /openapi.json, /docs, the dashboard's
 * /auth/session sign-in) are neither procedures nor documented operations.
 */

// ─── What the API offers ─────────────────────────────────────────────────────

interface RestOperation {
  label: string;
  method: string;
  path: string;
}

type ProcedureType = "query" | "mutation" | "subscription";
type AnyProcedure = Parameters<typeof getInputOutputParsers>[0] & { _def: { type: ProcedureType; meta?: Meta } };

interface Procedure {
  label: string;
  path: string;
  type: ProcedureType;
  procedure: AnyProcedure;
}

/** Every operation of the OpenAPI document, the hand-written download route included. */
const REST_OPERATIONS: RestOperation[] = Object.entries(buildOpenApiDocument().paths ?? {}).flatMap(([path, item]) =>
  ["get", "put", "post", "delete", "options", "head", "patch", "trace"]
    .filter((method) => method in (item as object))
    .map((method) => ({ label: `${method.toUpperCase()} ${path}`, method: method.toUpperCase(), path })),
);

/** The router's flat table of procedures by dotted path (its static type is the nested router record). */
const router: AnyTRPCRouter = appRouter;
const PROCEDURES: Procedure[] = Object.entries(router._def.procedures as Record<string, AnyProcedure>).map(([path, procedure]) => ({
  label: `${procedure._def.type} ${path}`,
  path,
  type: procedure._def.type,
  procedure,
}));

// ─── The expected scopes ─────────────────────────────────────────────────────

/** The convention: reading needs `read`, changing anything needs `write`. */
const SCOPE_BY_METHOD: Record<string, Scope> = { GET: "read", POST: "write", PUT: "write", PATCH: "write", DELETE: "write" };
const SCOPE_BY_TYPE: Record<ProcedureType, Scope> = { query: "read", subscription: "read", mutation: "write" };

/**
 * Every REST family (a path and everything under it) with its rule: the
 * convention, or one scope for all its operations. A path outside these
 * fails until someone decides its rule.
 */
const REST_RULES: Record<string, Scope | "convention"> = {
  "/v1/whoami": "convention",
  "/v1/collections": "convention",
  "/v1/deployments": "convention",
  "/v2/projects": "convention",
  // Keys are managed by admins, listing included: the list names every key of the workspace.
  "/v1/keys": "admin",
  // A workspace comes with its own admin key, so only owners may create one.
  "/v1/workspaces": "owner",
  // The backup holds every workspace's data and every key's hash: owners only.
  "/v1/backup": "owner",
};

/** The same for tRPC, by the procedure's router. */
const TRPC_RULES: Record<string, Scope | "convention"> = {
  auth: "convention",
  artifacts: "convention",
  collections: "convention",
  deployments: "convention",
  exports: "convention",
  generation: "convention",
  projects: "convention",
  keys: "admin",
  workspaces: "owner",
};

function familyOf(path: string, families: string[]): string | undefined {
  return families.find((family) => path === family || path.startsWith(`${family}/`));
}

function restScope(operation: RestOperation): Scope {
  const family = familyOf(operation.path, Object.keys(REST_RULES));
  if (!family) throw new Error(`No access rule for ${operation.label}: add its family to REST_RULES.`);
  const rule = REST_RULES[family];
  const scope = rule === "convention" ? SCOPE_BY_METHOD[operation.method] : rule;
  if (!scope) throw new Error(`No access rule for the method of ${operation.label}: add it to SCOPE_BY_METHOD.`);
  return scope;
}

function trpcScope(procedure: Procedure): Scope {
  const rule = TRPC_RULES[procedure.path.split(".")[0] ?? ""];
  if (!rule) throw new Error(`No access rule for ${procedure.label}: add its router to TRPC_RULES.`);
  return rule === "convention" ? SCOPE_BY_TYPE[procedure.type] : rule;
}

function scopeBelow(scope: Scope): Scope | undefined {
  return SCOPES[SCOPES.indexOf(scope) - 1];
}

// ─── Filling in ids ──────────────────────────────────────────────────────────

interface Ids {
  collection: string;
  artifact: string;
  snapshot: string;
  project: string;
  /** A generation job of the project. */
  job: string;
  key: string;
  deployment: string;
  /** A file of the artifact, and the content hash of a version the collection holds. */
  file: string;
  blob: string;
}

/** Ids that exist nowhere: scope checks run before any look-up, so these answer 404 once the key is let through. */
const NOWHERE: Ids = { collection: "no-such-id", artifact: "no-such-id", snapshot: "no-such-id", project: "no-such-id", job: "no-such-id", key: "no-such-id", deployment: "no-such-id", file: "NO-SUCH-FILE.md", blob: "0".repeat(64) };

/** What a bare `{id}` names, by the family of the path. */
const ID_OF_FAMILY: Record<string, keyof Ids> = { "/v1/collections": "collection", "/v1/deployments": "deployment", "/v1/keys": "key", "/v2/projects": "project" };

/** Operations that name workspace A's things in their query string (filters) rather than their path, by REST label. */
const QUERY_IDS: Record<string, (ids: Ids) => Record<string, string>> = {
  "GET /v1/deployments": (ids) => ({ collection_id: ids.collection, artifact_id: ids.artifact }),
};

function withQueryIds(operation: RestOperation, path: string, ids: Ids): string {
  const query = QUERY_IDS[operation.label]?.(ids);
  return query ? `${path}?${new URLSearchParams(query).toString()}` : path;
}

function pathParameter(path: string, name: string, ids: Ids): string {
  switch (name) {
    case "id": {
      const resource = Object.entries(ID_OF_FAMILY).find(([family]) => familyOf(path, [family]))?.[1];
      if (!resource) throw new Error(`No resource for {id} in ${path}: add its family to ID_OF_FAMILY.`);
      return ids[resource];
    }
    case "collection_id":
      return ids.collection;
    case "artifact_id":
      return ids.artifact;
    case "snapshot_id":
      return ids.snapshot;
    case "job_id":
      return ids.job;
    case "stage_number":
    case "version":
    case "chapter":
    case "scene":
      return "1";
    case "format":
      return "txt";
    case "path":
      return ids.file;
    case "sha256":
      return ids.blob;
    default:
      throw new Error(`No value for path parameter {${name}} of ${path}: add a fixture for it to pathParameter.`);
  }
}

function pathParameters(path: string, ids: Ids): Record<string, string> {
  return Object.fromEntries([...path.matchAll(/\{(\w+)\}/g)].map(([, name = ""]) => [name, pathParameter(path, name, ids)]));
}

function fillPath(path: string, ids: Ids): string {
  const values = pathParameters(path, ids);
  return path.replace(/\{(\w+)\}/g, (_match, name: string) => encodeURIComponent(values[name] ?? ""));
}

/** What the workspace-isolation walk needs besides ids. */
interface Fixtures {
  ids: Ids;
  /** The local folder the collection's artifact was imported from. */
  folder: string;
}

/**
 * Minimal valid bodies of the operations that take one, for the isolation
 * walk: a 422 there would hide whether the ids were refused. Where a body
 * may carry an id too, it is workspace A's. Changes are the harmless kind
 * (a check, a rename, one small export) in case a guard is missing.
 */
function bodies(a: Fixtures): Record<string, object> {
  return {
    "POST /v1/collections/{collection_id}/artifacts": { source: a.folder },
    "PATCH /v1/collections/{collection_id}": { description: "Changed by a stranger" },
    "POST /v1/collections/{collection_id}/refresh": { mode: "check" },
    "POST /v1/collections/{collection_id}/rollback": { snapshot_id: a.ids.snapshot },
    "PATCH /v2/projects/{id}": { title: "Changed by a stranger" },
    "POST /v2/projects/{id}/export": { formats: ["txt"] },
    "POST /v2/projects/{id}/generate": {},
    "POST /v2/projects/{id}/generate/pause": {},
    "POST /v2/projects/{id}/generate/resume": {},
    "POST /v2/projects/{id}/generate/cancel": {},
    "POST /v2/projects/{id}/generate/stages/{stage_number}": {},
    "PUT /v2/projects/{id}/generate/stages/{stage_number}/output": {
      logline: "A stranger's logline.",
      premise: "A stranger's premise.",
      themes: ["trespass"],
      motifs: ["a borrowed key"],
      core_conflict: "A stranger against the book.",
      narrative_voice: { person: "third", tense: "past", description: "plain" },
    },
    "POST /v2/projects/{id}/generate/stages/{stage_number}/versions/{version}/restore": {},
    "PUT /v2/projects/{id}/manuscript/chapters/{chapter}/scenes/{scene}": { text: "Written by a stranger." },
    "POST /v2/projects/{id}/rewrite": { chapter: 1, instruction: "Rewritten by a stranger." },
    // A file's raw bytes (sent as JSON text here: any bytes are a file).
    "PUT /v1/collections/{collection_id}/artifacts/{artifact_id}/files/{path}": { written: "by a stranger" },
  };
}

function bodyOf(operation: RestOperation, a: Fixtures): object | undefined {
  if (operation.method === "GET" || operation.method === "DELETE") return undefined;
  const body = bodies(a)[operation.label];
  if (!body) throw new Error(`No body for ${operation.label}: add a minimal valid one to bodies().`);
  return body;
}

/** Inputs of the procedures that have no REST route (whose input is otherwise its path parameters and body). */
const INPUTS_WITHOUT_ROUTE: Record<string, (a: Fixtures) => object> = {
  "generation.events": (a) => ({ project_id: a.ids.project }),
  "collections.refreshProgress": (a) => ({ collection_id: a.ids.collection, progress_token: "access-matrix-token" }),
  "artifacts.readFile": (a) => ({ collection_id: a.ids.collection, artifact_id: a.ids.artifact, path: a.ids.file }),
  "artifacts.writeFile": (a) => ({ collection_id: a.ids.collection, artifact_id: a.ids.artifact, path: a.ids.file, content_base64: "" }),
  "artifacts.deleteFile": (a) => ({ collection_id: a.ids.collection, artifact_id: a.ids.artifact, path: a.ids.file }),
};

/** The operations whose path names something, so must refuse another workspace's. */
const REST_OPERATIONS_WITH_IDS = REST_OPERATIONS.filter((operation) => operation.path.includes("{") || operation.label in QUERY_IDS);

const ID_FIELD = /(^|_)id$/;

/** The procedures that take an id, so must refuse another workspace's. */
const PROCEDURES_WITH_IDS = PROCEDURES.filter(({ procedure }) => {
  const { inputParser } = getInputOutputParsers(procedure);
  return instanceofZodTypeObject(inputParser) && Object.keys(inputParser.shape).some((field) => ID_FIELD.test(field));
});

/** A procedure's input naming workspace A's things: that of its REST route when it has one. */
function inputOf(procedure: Procedure, a: Fixtures): object {
  const route = procedure.procedure._def.meta?.openapi;
  if (route) {
    const operation = { label: `${route.method} ${route.path}`, method: route.method, path: route.path };
    return { ...bodyOf(operation, a), ...pathParameters(route.path, a.ids), ...QUERY_IDS[operation.label]?.(a.ids) };
  }
  const input = INPUTS_WITHOUT_ROUTE[procedure.path];
  if (!input) throw new Error(`No input for ${procedure.label}: add one to INPUTS_WITHOUT_ROUTE.`);
  return input(a);
}


// ─── Calling it ──────────────────────────────────────────────────────────────

/** Status and error code (null on success), whatever the transport. */
interface Answer {
  status: number;
  code: string | null;
}

interface TrpcErrorShape {
  data: { code: string; httpStatus: number };
}

/** How long an accepted subscription may stay quiet before we take the silence as acceptance. */
const QUIET_SUBSCRIPTION_MS = 1_000;

describe("access matrix: every operation of REST and tRPC", () => {
  let server: RunningTestServer;
  let keys: Record<Scope, string>;
  let a: Fixtures;
  let strangerKey: string;
  let folder: string;

  function headers(key: string | null, extra: Record<string, string> = {}): Record<string, string> {
    return key ? { "x-api-key": key, ...extra } : extra;
  }

  async function rest(method: string, path: string, key: string | null, body?: object): Promise<Answer> {
    const response = await fetch(`${server.url}${REST_BASE_PATH}${path}`, {
      method,
      headers: headers(key, body ? { "content-type": "application/json" } : {}),
      body: body && JSON.stringify(body),
    });
    const text = await response.text();
    const error = response.status >= 400 ? (JSON.parse(text) as { code: string }) : null;
    return { status: response.status, code: error?.code ?? null };
  }

  /** A JSON call that must succeed, for building fixtures. */
  async function call<T>(method: string, path: string, body?: object): Promise<T> {
    const response = await fetch(`${server.url}${REST_BASE_PATH}${path}`, {
      method,
      headers: headers(server.ownerKey, body ? { "content-type": "application/json" } : {}),
      body: body && JSON.stringify(body),
    });
    const json = (await response.json()) as T;
    expect(response.status, `${method} ${path}: ${JSON.stringify(json)}`).toBe(200);
    return json;
  }

  async function trpc(procedure: Procedure, key: string | null, input?: object): Promise<Answer> {
    const url = `${server.url}/trpc/${procedure.path}`;
    const query = input === undefined ? "" : `?input=${encodeURIComponent(JSON.stringify(input))}`;
    if (procedure.type === "subscription") return subscribe(url + query, key);
    const response =
      procedure.type === "query"
        ? await fetch(url + query, { headers: headers(key) })
        : await fetch(url, { method: "POST", headers: headers(key, { "content-type": "application/json" }), body: JSON.stringify(input ?? {}) });
    const body = (await response.json()) as { error?: TrpcErrorShape };
    return { status: response.status, code: body.error?.data.code ?? null };
  }

  /**
   * A subscription over SSE answers 200 either way; a refusal comes as its
   * first message (`serialized-error`). A data message, the end of the
   * stream, or silence means the subscription was accepted.
   */
  async function subscribe(url: string, key: string | null): Promise<Answer> {
    const abort = new AbortController();
    const quiet = setTimeout(() => abort.abort(), QUIET_SUBSCRIPTION_MS);
    try {
      const response = await fetch(url, { headers: headers(key, { accept: "text/event-stream" }), signal: abort.signal });
      expect(response.headers.get("content-type")).toContain("text/event-stream");
      const reader = response.body?.getReader();
      const decoder = new TextDecoder();
      let buffer = "";
      for (;;) {
        const chunk = await reader?.read();
        if (!chunk || chunk.done) return { status: 200, code: null };
        buffer += decoder.decode(chunk.value, { stream: true });
        for (let end = buffer.indexOf("\n\n"); end !== -1; end = buffer.indexOf("\n\n")) {
          const message = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const event = /^event: (.*)$/m.exec(message)?.[1];
          if (event === "connected" || event === "ping") continue;
          if (event !== "serialized-error") return { status: 200, code: null };
          const error = JSON.parse(/^data: (.*)$/m.exec(message)?.[1] ?? "null") as TrpcErrorShape;
          return { status: error.data.httpStatus, code: error.data.code };
        }
      }
    } catch (error) {
      if (abort.signal.aborted) return { status: 200, code: null };
      throw error;
    } finally {
      clearTimeout(quiet);
      abort.abort();
    }
  }

  async function createKey(name: string, scope: Scope): Promise<{ id: string; key: string }> {
    return call("POST", "/v1/keys", { name, scope });
  }

  beforeAll(async () => {
    folder = tempDir("access-matrix");
    server = await startTestServer("pglite");
    keys = {
      read: (await createKey("reader", "read")).key,
      write: (await createKey("writer", "write")).key,
      admin: (await createKey("admin", "admin")).key,
      owner: server.ownerKey,
    };

    // Workspace A (the default one): one of everything a path can name.
    writeFiles(folder, { "probe/SKILL.md": skillFile({ title: "Probe", description: "First" }) });
    const collection = await call<{ id: string }>("POST", "/v1/collections", { name: "A's collection" });
    const added = await call<{ items: { id: string }[] }>("POST", `/v1/collections/${collection.id}/artifacts`, { source: folder });
    writeFileSync(join(folder, "probe/SKILL.md"), skillFile({ title: "Probe", description: "Second" }));
    const sync = await call<{ snapshot_id: string | null }>("POST", `/v1/collections/${collection.id}/refresh`, { mode: "sync" });
    const project = await call<{ id: string }>("POST", "/v2/projects", { title: "A's book", target_words: 3000, chapters: 2, scenes_per_chapter: 2, seed: 1 });
    const job = await call<{ job_id: string }>("POST", `/v2/projects/${project.id}/generate`, {});
    for (const deadline = Date.now() + 30_000; ; ) {
      const job = await call<{ status: string; error: string | null }>("GET", `/v2/projects/${project.id}/generate/status`);
      if (job.status === "completed") break;
      if (job.status === "failed" || Date.now() > deadline) throw new Error(`A's project did not generate: ${job.status} ${job.error ?? ""}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    // txt alone: the download walk asks for txt, and it builds in a moment.
    await call("POST", `/v2/projects/${project.id}/export`, { formats: ["txt"] });
    const key = await createKey("A's spare key", "read");
    const artifact = added.items[0];
    const deployment = await call<{ deployment: { id: string } | null }>("POST", "/v1/deployments", {
      target: "access-matrix-target",
      profile: "claude_code",
      scope: "project",
      artifacts: artifact ? [{ artifact_id: artifact.id, content_hash: "0".repeat(64), status: "current" }] : [],
    });
    a = {
      folder,
      ids: {
        collection: collection.id,
        artifact: added.items[0]?.id ?? "",
        snapshot: sync.snapshot_id ?? "",
        project: project.id,
        job: job.job_id,
        key: key.id,
        deployment: deployment.deployment?.id ?? "",
        file: "SKILL.md",
        blob: createHash("sha256").update(skillFile({ title: "Probe", description: "Second" })).digest("hex"),
      },
    };
    expect(Object.values(a.ids).every(Boolean), JSON.stringify(a.ids)).toBe(true);

    // Workspace B: its admin key may do everything the walk calls, except in A.
    strangerKey = (await call<{ admin_key: { key: string } }>("POST", "/v1/workspaces", { name: "Stranger" })).admin_key.key;
  });
  afterAll(async () => {
    await server.stop();
    rmSync(folder, { recursive: true, force: true });
  });

  it("walks the hand-documented download route with the rest", () => {
    expect(REST_OPERATIONS.map((operation) => operation.label)).toContain("GET /v2/projects/{id}/export/{format}");
  });

  describe("401 without a key", () => {
    for (const operation of REST_OPERATIONS) {
      it(operation.label, async () => {
        expect(await rest(operation.method, fillPath(operation.path, NOWHERE), null)).toEqual({ status: 401, code: "UNAUTHORIZED" });
      });
    }
    for (const procedure of PROCEDURES) {
      it(procedure.label, async () => {
        expect(await trpc(procedure, null)).toEqual({ status: 401, code: "UNAUTHORIZED" });
      });
    }
  });

  /**
   * Ids that exist nowhere and empty inputs: authorization runs before
   * validation and look-ups, so 404 or 422 prove the key got through,
   * and nothing changes.
   */
  describe("403 one scope below the required one, and the required one gets through", () => {
    async function expectScope(label: string, scope: Scope, ask: (key: string) => Promise<Answer>): Promise<void> {
      const below = scopeBelow(scope);
      if (below) expect(await ask(keys[below]), `${label} with a ${below} key`).toEqual({ status: 403, code: "FORBIDDEN" });
      const answer = await ask(keys[scope]);
      expect([401, 403], `${label} with a ${scope} key answered ${answer.status} ${answer.code}`).not.toContain(answer.status);
    }

    for (const operation of REST_OPERATIONS) {
      it(operation.label, async () => {
        await expectScope(operation.label, restScope(operation), (key) => rest(operation.method, fillPath(operation.path, NOWHERE), key));
      });
    }
    for (const procedure of PROCEDURES) {
      it(procedure.label, async () => {
        await expectScope(procedure.label, trpcScope(procedure), (key) => trpc(procedure, key));
      });
    }
  });

  /**
   * Workspace B's admin key on workspace A's ids. For reads, A's own key
   * first gets 200 on the very same call, proving the ids are real and the
   * 404 is the workspace boundary.
   */
  describe("404 for another workspace's ids", () => {
    for (const operation of REST_OPERATIONS_WITH_IDS) {
      it(operation.label, async () => {
        const path = withQueryIds(operation, fillPath(operation.path, a.ids), a.ids);
        const body = bodyOf(operation, a);
        if (operation.method === "GET") expect(await rest("GET", path, keys.read), `A reads ${path}`).toEqual({ status: 200, code: null });
        expect(await rest(operation.method, path, strangerKey, body)).toEqual({ status: 404, code: "NOT_FOUND" });
      });
    }
    for (const procedure of PROCEDURES_WITH_IDS) {
      it(procedure.label, async () => {
        const input = inputOf(procedure, a);
        if (procedure.type !== "mutation") expect(await trpc(procedure, keys.read, input), "A's own call").toEqual({ status: 200, code: null });
        expect(await trpc(procedure, strangerKey, input)).toEqual({ status: 404, code: "NOT_FOUND" });
      });
    }
  });
});
