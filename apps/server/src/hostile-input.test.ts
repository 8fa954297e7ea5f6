import { createHash } from "node:crypto";
import { rmSync } from "node:fs";
import type { AnyTRPCProcedure, AnyTRPCRouter } from "@trpc/server";
import fc from "fast-check";
import WebSocket from "ws";
import { forEachOpenApiProcedure, getInputOutputParsers } from "trpc-to-openapi";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { appRouter, buildOpenApiDocument, REST_BASE_PATH } from "@scriptorium/api";
import { skillFile, tempDir, writeFiles } from "@scriptorium/domain/testing";
import { MAX_BODY_BYTES } from "./http/request";
import { startTestServer, type RunningTestServer } from "./testing/test-server";

/**
 * Hostile input over both transports of the one router: for REST, operation
 * by operation from the OpenAPI document; for tRPC, procedure by procedure
 * from the router's input schemas (queries over GET, mutations over POST,
 * subscriptions over SSE), plus batches and malformed tRPC requests. Wrong
 * types, huge and strange strings, deep nesting, absurd numbers and
 * malformed JSON must each get a clear 4xx in the error shape, quickly, and
 * must leave the stored data as it was.
 *
 * Only definitely invalid inputs are sent: every candidate is checked
 * against the procedure's own input schema (the one the server validates
 * with), and a hostile id is never a real one. So a 2xx is always a bug.
 */

// ─── The document ────────────────────────────────────────────────────────────

type JsonSchema = {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  enum?: unknown[];
  const?: unknown;
  $ref?: string;
  required?: string[];
};

interface Parameter {
  in: "path" | "query" | "header";
  name: string;
  schema: JsonSchema;
}

interface Operation {
  label: string;
  method: string;
  path: string;
  parameters: Parameter[];
  body: JsonSchema | null;
}

const DOCUMENT = buildOpenApiDocument();
const SCHEMAS = (DOCUMENT.components?.schemas ?? {}) as Record<string, JsonSchema>;
/** The named schemas procedures' own JSON Schemas refer to (zod's `$defs`), filled below. */
const DEFS: Record<string, JsonSchema> = {};

function resolve(schema: JsonSchema): JsonSchema {
  if (!schema.$ref) return schema;
  const [, where, name = ""] = /^#\/(components\/schemas|\$defs)\/(.+)$/.exec(schema.$ref) ?? [];
  return resolve((where === "$defs" ? DEFS : SCHEMAS)[name] ?? {});
}

const OPERATIONS: Operation[] = Object.entries(DOCUMENT.paths ?? {}).flatMap(([path, item]) =>
  Object.entries(item as Record<string, { parameters?: Parameter[]; requestBody?: { content: Record<string, { schema: JsonSchema }> } }>)
    .filter(([method]) => ["get", "post", "put", "patch", "delete"].includes(method))
    .map(([method, operation]) => {
      const body = operation.requestBody?.content["application/json"]?.schema;
      return {
        label: `${method.toUpperCase()} ${path}`,
        method: method.toUpperCase(),
        path,
        parameters: operation.parameters ?? [],
        body: body ? resolve(body) : null,
      };
    }),
);

/** Operations not tested here, each with the reason; the first test fails on any operation neither tested nor listed. */
const SKIPPED: Record<string, string> = {
  "GET /v1/whoami": "no parameters and no body: there is no input to make hostile",
  "GET /v1/backup": "no parameters and no body: there is no input to make hostile (its scope check has its own test)",
};

// ─── The router ──────────────────────────────────────────────────────────────

type InputParser = ReturnType<typeof getInputOutputParsers>["inputParser"];

interface Procedure {
  path: string;
  type: "query" | "mutation" | "subscription";
  /** The JSON Schema of the input, or null when the procedure takes none. */
  input: JsonSchema | null;
  parser: InputParser;
}

const ROUTER: AnyTRPCRouter = appRouter;
const PROCEDURES: Procedure[] = Object.entries(ROUTER._def.procedures as Record<string, AnyTRPCProcedure>).map(([path, procedure]) => {
  const { inputParser, hasInputsDefined } = getInputOutputParsers(procedure as Parameters<typeof getInputOutputParsers>[0]);
  let input: JsonSchema | null = null;
  if (hasInputsDefined) {
    const { $defs, ...schema } = z.toJSONSchema(inputParser, { io: "input", unrepresentable: "any" }) as JsonSchema & { $defs?: Record<string, JsonSchema> };
    Object.assign(DEFS, $defs);
    input = schema;
  }
  return { path, type: procedure._def.type, input, parser: inputParser };
});

/**
 * Procedures not walked here, each with the reason; the first tRPC test fails
 * on any procedure neither walked nor listed. Queries without input are
 * walked too, with their own contract: extra input is ignored, NUL refused.
 */
const TRPC_SKIPPED: Record<string, string> = {
  "keys.changes": "a subscription that takes no input: it ignores extra input and its stream never ends, so there is no refusal to wait for",
};

/** Where a value holds a NUL character (in a string or a key), named as the router's 422 names it; null when nowhere. */
function nulField(value: unknown): string | null {
  const find = (value: unknown, path: string[]): string[] | null => {
    if (typeof value === "string") return value.includes("\u0000") ? path : null;
    if (typeof value !== "object" || value === null) return null;
    for (const [key, item] of Object.entries(value)) {
      const found = key.includes("\u0000") ? [...path, key] : find(item, [...path, key]);
      if (found) return found;
    }
    return null;
  };
  const path = find(value, []);
  return path === null ? null : path.join(".") || "(body)";
}

// ─── The oracle: the router's own input schemas ──────────────────────────────

const REST_PARSERS = new Map<string, InputParser>();
forEachOpenApiProcedure(appRouter._def.procedures, ({ procedure, meta }) => {
  REST_PARSERS.set(`${meta.openapi.method} ${meta.openapi.path}`, getInputOutputParsers(procedure).inputParser);
});

/** Whether the server's validation would accept this input (then it is not hostile enough to send). */
function accepted(operation: Operation, input: Record<string, unknown>): boolean {
  const parser = REST_PARSERS.get(operation.label);
  if (parser) return parser.safeParse(input).success;
  // The hand-documented download is no procedure; besides its id it takes only an enum.
  return operation.parameters.every(({ name, schema }) => !(name in input) || (resolve(schema).enum?.includes(input[name]) ?? true));
}

/** Path parameters and input fields that name a stored resource: any value but the fixture's names nothing. */
const ID_FIELDS = new Set(["collection_id", "artifact_id", "id", "project_id", "snapshot_id", "job_id"]);

/** The fixture's one artifact file. */
const CANVAS = skillFile({ title: "Canvas", description: "Draws" });

// ─── Hostile values ──────────────────────────────────────────────────────────

const PATH_TRAVERSAL = ["../../etc/passwd", "%2e%2e%2f%2e%2e%2fetc%2fpasswd", "/etc/passwd", "..\\..\\windows\\win.ini", "....//....//", "file:///etc/passwd"];
const UNICODE_EDGES = ["\ud800", "a\udfffb", "\u0000", "nul\u0000byte", "\u202eevil\u202c", "\u200f\u200e", "🧨💥👩‍👩‍👧", "e\u0301\u0301\u0301", "\ufeff", "\uffff"];
const ODD_STRINGS = ["", " ", "NaN", "Infinity", "-1", "1e308", "null", "true", "{}", "[]", "<script>alert(1)</script>", "'; DROP TABLE collections; --"];
const HOSTILE_NUMBERS = [-1, 0, -0, 0.5, 1e308, -1e308, Number.MAX_SAFE_INTEGER + 2, -Number.MAX_SAFE_INTEGER - 2, 2 ** 31, 5e-324];

const hostileString: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(...PATH_TRAVERSAL, ...UNICODE_EDGES, ...ODD_STRINGS),
  fc.string({ unit: "binary", maxLength: 40 }),
  // Huge, but well under the 1 MiB body cap even as 3-byte UTF-8.
  fc.constantFrom("x", "é", "\u202e", "../").map((unit) => unit.repeat(Math.ceil(100_000 / unit.length))),
);

const hostileNumber: fc.Arbitrary<number> = fc.oneof(fc.constantFrom(...HOSTILE_NUMBERS), fc.double({ noNaN: true, noDefaultInfinity: true }));

function nested(depth: number, wrap: (inner: unknown) => unknown): unknown {
  let value: unknown = "bottom";
  for (let level = 0; level < depth; level++) value = wrap(value);
  return value;
}

const hostileLeaf: fc.Arbitrary<unknown> = fc.oneof(hostileString, hostileNumber, fc.boolean(), fc.constant(null));

/** Values of one JSON type each, so a property can get exactly the types its schema does not take. */
const VALUES_BY_TYPE: Record<string, fc.Arbitrary<unknown>> = {
  string: hostileString,
  number: hostileNumber,
  boolean: fc.boolean(),
  null: fc.constant(null),
  array: fc.oneof(fc.array(hostileLeaf, { maxLength: 5 }), fc.constant(nested(200, (inner) => [inner]))),
  object: fc.oneof(
    fc.dictionary(fc.constantFrom("a", "__proto__", "constructor", "kind", "$where"), hostileLeaf, { maxKeys: 4 }),
    fc.constant(nested(200, (inner) => ({ a: inner }))),
  ),
};

/** The JSON types a schema documents (integer counts as number). */
function documentedTypes(schema: JsonSchema): Set<string> {
  const resolved = resolve(schema);
  const types = new Set<string>();
  for (const type of [resolved.type ?? []].flat()) types.add(type === "integer" ? "number" : type);
  for (const value of [...(resolved.enum ?? []), ...(resolved.const === undefined ? [] : [resolved.const])]) {
    types.add(value === null ? "null" : Array.isArray(value) ? "array" : typeof value);
  }
  for (const branch of [...(resolved.anyOf ?? []), ...(resolved.oneOf ?? [])]) documentedTypes(branch).forEach((type) => types.add(type));
  return types;
}

/** A value of a type the schema does not document; a schema of every type gets an arbitrary hostile value. */
function wrongTyped(schema: JsonSchema): fc.Arbitrary<unknown> {
  const documented = documentedTypes(schema);
  const wrong = Object.entries(VALUES_BY_TYPE).filter(([type]) => !documented.has(type));
  return wrong.length > 0 ? fc.oneof(...wrong.map(([, values]) => values)) : fc.oneof(...Object.values(VALUES_BY_TYPE));
}

/** Any hostile value, right type or wrong. */
const hostileValue: fc.Arbitrary<unknown> = fc.oneof(...Object.values(VALUES_BY_TYPE));

/**
 * A JSON object: `base`, then at least one documented property with a wrong
 * type, others with any hostile value. Only objects `refused` holds for pass.
 */
function hostileObject(
  properties: Record<string, JsonSchema>,
  base: Record<string, unknown>,
  refused: (value: Record<string, unknown>) => boolean,
): fc.Arbitrary<Record<string, unknown>> {
  const entries = Object.entries(properties);
  if (entries.length === 0) throw new Error("no documented properties to make hostile");
  return fc
    .tuple(
      fc.oneof(...entries.map(([name, schema]) => wrongTyped(schema).map((value) => [name, value] as const))),
      fc.subarray(entries.map(([name]) => name)).chain((names) => fc.tuple(...names.map((name) => hostileValue.map((value) => [name, value] as const)))),
    )
    .map(([broken, others]) => ({ ...base, ...Object.fromEntries([...others, broken]) }))
    .filter(refused);
}

/** Raw texts that are not a JSON object; the empty body is left out because it means `{}`, which some operations accept. */
const MALFORMED_JSON = [
  '{"name": "x"',
  '{"name": "x",}',
  "{'name': 'x'}",
  '"a bare string"',
  "[]",
  '[{"name": "x"}]',
  "42",
  "null",
  "true",
  "{",
  "}{",
  '{"a":1}{"b":2}',
  "\u0000",
  "NaN",
  '{"name": NaN}',
  "[".repeat(200),
];
const malformedBody: fc.Arbitrary<string | Uint8Array> = fc.oneof(
  fc.constantFrom(...MALFORMED_JSON),
  // Bytes that are not UTF-8 at all.
  fc.constant(Uint8Array.from([0x7b, 0xff, 0xfe, 0xc0, 0x80, 0x7d])),
);

/**
 * Percent-encodes a path segment or query value the way a careless client
 * would: lone surrogates go out as their (invalid) UTF-8-style bytes, where
 * encodeURIComponent would throw.
 */
function encode(value: string): string {
  let out = "";
  for (const char of value) {
    const code = char.codePointAt(0) ?? 0;
    if (code >= 0xd800 && code <= 0xdfff) {
      out += [0xe0 | (code >> 12), 0x80 | ((code >> 6) & 0x3f), 0x80 | (code & 0x3f)].map((byte) => `%${byte.toString(16).toUpperCase()}`).join("");
    } else {
      out += encodeURIComponent(char);
    }
  }
  // "." and ".." segments would be resolved away by the URL parser and change the route (a DELETE could then hit a real resource).
  return out === "." || out === ".." ? encodeURIComponent(`${out}x`) : out;
}

// URLs stay well under Node's 16 KiB header limit, which answers 431 without our error body.
const hostileParameter: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(...PATH_TRAVERSAL, ...UNICODE_EDGES, ...ODD_STRINGS).filter((value) => value !== ""),
  fc.string({ unit: "binary", minLength: 1, maxLength: 40 }),
  fc.constantFrom("x", "é", "../").map((unit) => unit.repeat(Math.ceil(300 / unit.length))),
  fc.constantFrom(...HOSTILE_NUMBERS).map(String),
);

// ─── The tests ───────────────────────────────────────────────────────────────

/** Random cases per property: a bounded number here, many more under `npm run bench` (which sets SCRIPTORIUM_FUZZ_RUNS). */
const RUNS = Number(process.env.SCRIPTORIUM_FUZZ_RUNS ?? 25);
const SEED = 20_260_121;
const TIMEOUT_MS = 5_000;
const CLIENT_ERRORS = [400, 401, 403, 404, 405, 409, 413, 415, 422];
/** tRPC puts query and subscription inputs in the URL: kept well under Node's 16 KiB header limit, which answers 431 without our error body. */
const MAX_URL_CHARS = 8_000;

interface Exchange {
  status: number;
  headers: Headers;
  text: string;
}

interface Answer {
  status: number;
  body: Record<string, unknown>;
}

/** A request body and its headers; tRPC reads a POST body by its Content-Type. */
interface Payload {
  body?: string | Uint8Array;
  headers?: Record<string, string>;
}

const JSON_TYPE = { "content-type": "application/json" };

/** Percent-encodes raw bytes, whatever they are. */
function encodeBytes(bytes: Uint8Array): string {
  return [...bytes].map((byte) => `%${byte.toString(16).padStart(2, "0").toUpperCase()}`).join("");
}

describe("hostile input", () => {
  let server: RunningTestServer;
  let root: string;
  let fixture: { collection: string; artifact: string; project: string; job: string; key: string };

  /** One request, answered in full (body included) within the time limit. */
  async function exchange(method: string, url: string, init: Payload = {}): Promise<Exchange> {
    try {
      const response = await fetch(server.url + url, {
        method,
        headers: { "x-api-key": server.ownerKey, ...init.headers },
        body: init.body,
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
      return { status: response.status, headers: response.headers, text: await response.text() };
    } catch (error) {
      throw new Error(`${method} ${url.slice(0, 300)}: no answer (timeout ${TIMEOUT_MS} ms): ${String(error)}`);
    }
  }

  function parsed(label: string, answer: Exchange): unknown {
    try {
      return JSON.parse(answer.text);
    } catch {
      throw new Error(`${label} answered ${answer.status} with a body that is not JSON: ${answer.text.slice(0, 200)}`);
    }
  }

  /** The fixture's value for a path parameter or input field; `id` names a key among the keys' routes, a project elsewhere. */
  function realValue(name: string, ofKey: boolean): string {
    switch (name) {
      case "collection_id":
        return fixture.collection;
      case "artifact_id":
        return fixture.artifact;
      case "project_id":
        return fixture.project;
      case "job_id":
        return fixture.job;
      case "id":
        return ofKey ? fixture.key : fixture.project;
      case "format":
        return "md";
      case "path":
        return "SKILL.md";
      case "sha256":
        return createHash("sha256").update(CANVAS).digest("hex");
      case "content_base64":
        return Buffer.from("hostile").toString("base64");
      case "stage_number":
      case "version":
      case "chapter":
      case "scene":
        return "1";
      case "source":
        return `${root}/skills`;
      case "name":
      case "title":
      case "text":
      case "instruction":
        return "Hostile";
      case "progress_token":
        return "hostile-progress-token";
      default:
        throw new Error(`no fixture value for ${name}`);
    }
  }

  /** The fixture's value for a required input field: those of a deployment report, which are no path parameters, and the rest as realValue gives them. */
  function realInput(name: string, ofKey: boolean): unknown {
    switch (name) {
      case "target":
        return "hostile-input-target";
      case "profile":
        return "claude_code";
      case "scope":
        return "project";
      case "artifacts":
        return [{ artifact_id: fixture.artifact, content_hash: realValue("sha256", ofKey), status: "current" }];
      default:
        return realValue(name, ofKey);
    }
  }

  /** Whether an id field names nothing stored: a value that is none of the fixture's ids. */
  function namesNothing(input: Record<string, unknown>): boolean {
    const real: unknown[] = Object.values(fixture);
    return Object.entries(input).some(([name, value]) => ID_FIELDS.has(name) && !real.includes(value));
  }

  async function get(path: string): Promise<unknown> {
    const answer = await exchange("GET", `${REST_BASE_PATH}${path}`);
    expect(answer.status, path).toBe(200);
    return parsed(path, answer);
  }

  /** The stored data an API client can see. */
  async function snapshot(): Promise<Record<string, unknown>> {
    return {
      collections: await get("/v1/collections"),
      artifacts: await get(`/v1/collections/${fixture.collection}/artifacts`),
      snapshots: await get(`/v1/collections/${fixture.collection}/snapshots`),
      keys: await get("/v1/keys"),
      projects: await get("/v2/projects"),
      exports: await get(`/v2/projects/${fixture.project}/export`),
      jobs: await get(`/v2/projects/${fixture.project}/jobs`),
      deployments: await get("/v1/deployments"),
    };
  }

  beforeAll(async () => {
    server = await startTestServer("pglite");
    root = tempDir("hostile-input");
    writeFiles(root, { "skills/canvas/SKILL.md": CANVAS });
    const post = async (path: string, body: unknown): Promise<Record<string, unknown>> => {
      const answer = await exchange("POST", `${REST_BASE_PATH}${path}`, { body: JSON.stringify(body), headers: JSON_TYPE });
      expect(answer.status, path).toBe(200);
      return parsed(path, answer) as Record<string, unknown>;
    };
    const collection = await post("/v1/collections", { name: "Fixture" });
    const artifacts = await post(`/v1/collections/${String(collection.id)}/artifacts`, { source: `${root}/skills` });
    const artifact = (artifacts.items as Record<string, unknown>[])[0];
    const project = await post("/v2/projects", { title: "Fixture", target_words: 3000, chapters: 2, scenes_per_chapter: 2, seed: 1 });
    // A real job, written to the end, for the job routes to be walked with; the stored data then stays as it is.
    const job = await post(`/v2/projects/${String(project.id)}/generate`, {});
    for (const deadline = Date.now() + 60_000; ; ) {
      const status = parsed("status", await exchange("GET", `${REST_BASE_PATH}/v2/projects/${String(project.id)}/generate/status`)) as Record<string, unknown>;
      if (status.status === "completed") break;
      if (Date.now() > deadline) throw new Error(`the fixture's job is ${String(status.status)}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const key = await post("/v1/keys", { name: "Fixture", scope: "read" });
    fixture = { collection: String(collection.id), artifact: String(artifact?.id), project: String(project.id), job: String(job.job_id), key: String(key.id) };
  });
  afterAll(async () => {
    await server.stop();
    rmSync(root, { recursive: true, force: true });
  });

  describe("over REST", () => {
    const realPathValue = (path: string, name: string) => realValue(name, path.startsWith("/v1/keys"));

    async function send(method: string, url: string, init: { body?: string | Uint8Array } = {}): Promise<Answer> {
      const answer = await exchange(method, url, init.body === undefined ? {} : { body: init.body, headers: JSON_TYPE });
      return { status: answer.status, body: parsed(`${method} ${url.slice(0, 300)}`, answer) as Record<string, unknown> };
    }

    /** A clear client error: a 4xx with our error body, and no stack trace. */
    function expectClientError(label: string, answer: Answer): void {
      const context = `${label} answered ${answer.status} ${JSON.stringify(answer.body).slice(0, 300)}`;
      expect(CLIENT_ERRORS, context).toContain(answer.status);
      expect(typeof answer.body.code, context).toBe("string");
      expect(typeof answer.body.message, context).toBe("string");
      expect((answer.body.message as string).length, context).toBeGreaterThan(0);
      expect(answer.body.message as string, context).not.toMatch(/\n\s+at /);
      expect(typeof answer.body.request_id, context).toBe("string");
    }

    function urlOf(operation: Operation, values: Record<string, string>, query: Record<string, string> = {}): string {
      const path = operation.path.replace(/\{(\w+)\}/g, (_, name: string) => encode(values[name] ?? ""));
      const search = Object.entries(query).map(([name, value]) => `${name}=${encode(value)}`).join("&");
      return `${REST_BASE_PATH}${path}${search ? `?${search}` : ""}`;
    }

    const bodyOperations = OPERATIONS.filter((operation) => operation.body !== null);
    const urlOperations = OPERATIONS.filter((operation) => operation.body === null && !(operation.label in SKIPPED));

    it("covers every documented operation or names why not", () => {
      for (const operation of OPERATIONS) {
        const covered = bodyOperations.includes(operation) || urlOperations.includes(operation);
        expect(covered || operation.label in SKIPPED, operation.label).toBe(true);
        // A skipped operation must really take no input, or its reason no longer holds.
        if (operation.label in SKIPPED) expect(operation.parameters, operation.label).toEqual([]);
      }
    });

    describe.each(bodyOperations.map((operation) => [operation.label, operation] as const))("%s", (_, operation) => {
      it("rejects hostile bodies with a 4xx and changes nothing", async () => {
        const pathInput = Object.fromEntries(operation.parameters.filter((parameter) => parameter.in === "path").map(({ name }) => [name, realPathValue(operation.path, name)]));
        const url = urlOf(operation, pathInput);
        const bodies = hostileObject(operation.body?.properties ?? {}, {}, (body) => !accepted(operation, { ...body, ...pathInput }));
        const before = await snapshot();
        await fc.assert(
          fc.asyncProperty(fc.oneof({ arbitrary: bodies.map((body) => JSON.stringify(body)), weight: 4 }, { arbitrary: malformedBody, weight: 1 }), async (body) => {
            expectClientError(operation.label, await send(operation.method, url, { body }));
          }),
          { numRuns: RUNS, seed: SEED },
        );
        const oversized = await send(operation.method, url, { body: JSON.stringify({ padding: "x".repeat(MAX_BODY_BYTES) }) });
        expectClientError(operation.label, oversized);
        expect(oversized.status).toBe(413);
        expect(await snapshot()).toEqual(before);
      });
    });

    describe.each(urlOperations.map((operation) => [operation.label, operation] as const))("%s", (_, operation) => {
      const pathNames = operation.parameters.filter((parameter) => parameter.in === "path").map(({ name }) => name);
      const queryNames = operation.parameters.filter((parameter) => parameter.in === "query").map(({ name }) => name);

      it("rejects hostile parameters with a 4xx and changes nothing", async () => {
        // Reads may keep real ids while other parameters turn hostile; anything that changes state gets hostile values for every path parameter.
        const chosenNames = operation.method === "GET" ? fc.subarray([...pathNames, ...queryNames], { minLength: 1 }) : fc.constant(pathNames);
        const request = chosenNames
          .chain((names) => fc.tuple(...names.map((name) => hostileParameter.map((value) => [name, value] as const))))
          .map((entries) => {
            const hostile: Record<string, string> = Object.fromEntries(entries);
            const path = Object.fromEntries(pathNames.map((name) => [name, hostile[name] ?? realPathValue(operation.path, name)]));
            // Query parameters not made hostile are left out: they are all optional.
            const query = Object.fromEntries(queryNames.filter((name) => name in hostile).map((name) => [name, hostile[name] ?? ""]));
            return { path, query, hostileId: Object.keys(hostile).some((name) => ID_FIELDS.has(name)) };
          })
          // A hostile id names nothing, so it is invalid whatever the schema says; otherwise the schema must refuse the input.
          .filter(({ path, query, hostileId }) => hostileId || !accepted(operation, { ...query, ...path }));
        // Every curated edge case in every path parameter first, so none of them depends on the seed's luck (a list without path parameters has none to try).
        const examples = (pathNames.length === 0 ? [] : [...PATH_TRAVERSAL, ...UNICODE_EDGES]).map((value) => [
          { path: Object.fromEntries(pathNames.map((name) => [name, value])), query: {}, hostileId: pathNames.some((name) => ID_FIELDS.has(name)) },
        ] as [{ path: Record<string, string>; query: Record<string, string>; hostileId: boolean }]);
        const before = await snapshot();
        await fc.assert(
          fc.asyncProperty(request, async ({ path, query }) => {
            expectClientError(operation.label, await send(operation.method, urlOf(operation, path, query)));
          }),
          // fast-check counts the examples among the runs.
          { numRuns: RUNS + examples.length, seed: SEED, examples },
        );
        expect(await snapshot()).toEqual(before);
      });
    });

    it("refuses NUL characters and broken percent-encoding everywhere with a 4xx, and stores nothing", async () => {
      const before = await snapshot();
      const send = (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) =>
        fetch(server.url + path, {
          method,
          headers: { "x-api-key": server.ownerKey, "content-type": "application/json", ...headers },
          body: body === undefined ? undefined : JSON.stringify(body),
          signal: AbortSignal.timeout(TIMEOUT_MS),
        });
      // Valid bodies but for one NUL: PostgreSQL text cannot store it, so the edge refuses it with the field named.
      for (const [path, body, field] of [
        ["/api/v1/collections", { name: "a\u0000b" }, "name"],
        ["/api/v1/keys", { name: "k\u0000", scope: "read" }, "name"],
        ["/api/v2/projects", { title: "t\u0000" }, "title"],
      ] as const) {
        const response = await send("POST", path, body);
        expect(response.status, path).toBe(422);
        expect(((await response.json()) as { fields: { path: string }[] }).fields.map((entry) => entry.path)).toEqual([field]);
      }
      const overTrpc = await send("POST", "/trpc/collections.create", { name: "x\u0000" });
      expect(overTrpc.status).toBe(422);
      for (const path of ["/api/v1/collections/%00", "/api/v2/projects/%00", "/api/v2/projects/%00/export/md"]) {
        expect((await send("GET", path)).status, path).toBe(422);
      }
      for (const path of ["/api/v1/collections/%E0%A4%A", "/api/v1/collections/%ED%A0%80"]) {
        expect((await send("GET", path)).status, path).toBe(400);
      }
      // A session cookie that is not valid percent-encoding is simply no session.
      const cookie = await fetch(`${server.url}/api/v1/whoami`, { headers: { cookie: "scriptorium_session=%E0%A4%A" }, signal: AbortSignal.timeout(TIMEOUT_MS) });
      expect(cookie.status).toBe(401);
      // The job WebSocket answers such ids with "not found".
      for (const id of ["%00", "%E0%A4%A"]) {
        const code = await new Promise<number>((resolve) =>
          new WebSocket(`${server.url.replace("http", "ws")}/api/v2/projects/${id}/ws?api_key=${server.ownerKey}`).once("close", (closed) => resolve(closed)),
        );
        expect(code, id).toBe(4404);
      }
      expect(await snapshot()).toEqual(before);
    });
  });

  describe("over tRPC", () => {
    const walked = PROCEDURES.filter((procedure) => procedure.input !== null);
    const inputless = PROCEDURES.filter((procedure) => procedure.input === null && procedure.type === "query");
    const byPath = new Map(PROCEDURES.map((procedure) => [procedure.path, procedure]));

    /** What tRPC is sent as one call's input: a JSON value, or raw text and bytes that may not be JSON at all. */
    type Input = { json: unknown } | { raw: string | Uint8Array };

    function inputText(input: Input): string | Uint8Array {
      return "json" in input ? JSON.stringify(input.json) : input.raw;
    }

    /** A call as tRPC's HTTP link makes it: queries and subscriptions put the input in the URL, mutations in a JSON body. */
    function request(procedure: Procedure, input: Input): { method: string; url: string } & Payload {
      const text = inputText(input);
      if (procedure.type === "mutation") return { method: "POST", url: `/trpc/${procedure.path}`, body: text, headers: JSON_TYPE };
      const url = `/trpc/${procedure.path}?input=${typeof text === "string" ? encodeURIComponent(text) : encodeBytes(text)}`;
      return { method: "GET", url, headers: procedure.type === "subscription" ? { accept: "text/event-stream" } : {} };
    }

    /** The fixture's values for a procedure's required fields: the input every hostile one starts from. */
    function baseInput(procedure: Procedure): Record<string, unknown> {
      return Object.fromEntries((procedure.input?.required ?? []).map((name) => [name, realInput(name, procedure.path.startsWith("keys."))]));
    }

    /** Whether the server must refuse this input: its schema does, or it names nothing stored. */
    function refused(procedure: Procedure, input: unknown): boolean {
      const parsed = procedure.parser.safeParse(input);
      if (!parsed.success) return true;
      // Only the ids the procedure reads can name nothing: its parser drops the fields it does not know.
      return typeof parsed.data === "object" && parsed.data !== null && namesNothing(parsed.data as Record<string, unknown>);
    }

    /** Hostile inputs of one procedure: wrong types over its required fields, or ids that name nothing in an otherwise well-formed input. */
    function hostileInputs(procedure: Procedure): fc.Arbitrary<Record<string, unknown>> {
      const base = baseInput(procedure);
      const properties = procedure.input?.properties ?? {};
      const wrongTypes = hostileObject(properties, base, (input) => refused(procedure, input));
      const ids = Object.keys(properties).filter((name) => ID_FIELDS.has(name));
      if (ids.length === 0) return wrongTypes;
      const unknownIds = fc.tuple(...ids.map((name) => hostileString.map((value) => [name, value] as const))).map((entries) => ({ ...base, ...Object.fromEntries(entries) }));
      return fc.oneof({ arbitrary: wrongTypes, weight: 3 }, { arbitrary: unknownIds, weight: 1 });
    }

    /** Every curated edge case in every id field of a procedure's input, sent first so none of them depends on the seed's luck. */
    function idExamples(procedure: Procedure): Record<string, unknown>[] {
      const ids = Object.keys(procedure.input?.properties ?? {}).filter((name) => ID_FIELDS.has(name));
      return ids.length === 0 ? [] : [...PATH_TRAVERSAL, ...UNICODE_EDGES].map((value) => ({ ...baseInput(procedure), ...Object.fromEntries(ids.map((name) => [name, value])) }));
    }

    /** One error as the router's errorFormatter shapes it: a 4xx, a message without a stack, the request's id. Returns its status. */
    function expectTrpcError(context: string, error: unknown, requestId: unknown): number {
      expect(error, context).toMatchObject({
        message: expect.any(String),
        code: expect.any(Number),
        data: { code: expect.any(String), httpStatus: expect.any(Number) },
        request_id: requestId,
      });
      const { message, data } = error as { message: string; data: { httpStatus: number } };
      expect(CLIENT_ERRORS, context).toContain(data.httpStatus);
      expect(message.length, context).toBeGreaterThan(0);
      expect(message, context).not.toMatch(/\n\s+at /);
      return data.httpStatus;
    }

    function contextOf(label: string, answer: Exchange): string {
      return `${label} answered ${answer.status} ${answer.text.slice(0, 300)}`;
    }

    /** A JSON answer with a 4xx: one error, or one per call of a batch (HTTP 207 when their statuses differ, as tRPC answers). */
    function expectJsonError(label: string, answer: Exchange, batchOf?: number): number[] {
      const context = contextOf(label, answer);
      expect(answer.headers.get("content-type"), context).toMatch(/^application\/json/);
      expect(answer.text, context).not.toContain('"stack"');
      const body = parsed(label, answer);
      const requestId = answer.headers.get("x-request-id");
      if (batchOf === undefined) {
        const status = expectTrpcError(context, (body as { error?: unknown }).error, requestId);
        expect(answer.status, context).toBe(status);
        return [status];
      }
      expect(Array.isArray(body) && body.length, context).toBe(batchOf);
      const statuses = (body as { error?: unknown }[]).map((entry) => expectTrpcError(context, entry.error, requestId));
      expect(answer.status, context).toBe(new Set(statuses).size === 1 ? statuses[0] : 207);
      return statuses;
    }

    /** A subscription's answer: an SSE stream that reports one error and ends, or a JSON error. */
    function expectErrorEvent(label: string, answer: Exchange): number {
      if (!answer.headers.get("content-type")?.startsWith("text/event-stream")) return expectJsonError(label, answer)[0] ?? 0;
      const context = contextOf(label, answer);
      expect(answer.status, context).toBe(200);
      const events = answer.text
        .split("\n\n")
        .filter((block) => block.trim() !== "")
        .map((block) => ({ event: /^event: (.*)$/m.exec(block)?.[1] ?? "message", data: /^data: (.*)$/m.exec(block)?.[1] ?? "" }));
      // No data event: the subscription never started.
      expect(events.map(({ event }) => event).filter((event) => event !== "connected" && event !== "ping"), context).toEqual(["serialized-error"]);
      const error = JSON.parse(events.find(({ event }) => event === "serialized-error")?.data ?? "null") as unknown;
      expect(JSON.stringify(error), context).not.toContain('"stack"');
      return expectTrpcError(context, error, answer.headers.get("x-request-id"));
    }

    async function expectRefused(procedure: Procedure, input: Input): Promise<void> {
      const { method, url, ...payload } = request(procedure, input);
      const answer = await exchange(method, url, payload);
      if (procedure.type === "subscription") expectErrorEvent(procedure.path, answer);
      else expectJsonError(procedure.path, answer);
    }

    /** A tRPC WebSocket as a client sees it: frames out, then each JSON message in, awaited within the time limit. */
    interface TrpcSocket {
      socket: WebSocket;
      /** The request id the upgrade was sent with: every error on this socket carries it. */
      requestId: string;
      next(label: string): Promise<Record<string, unknown>>;
      /** Resolves with the close code once the socket closed. */
      closed: Promise<number>;
      /** Sends one call as tRPC's WebSocket link does, under a fresh id; returns the id. */
      call(method: string, path: string, input?: unknown): number;
    }

    let sockets = 0;

    async function openTrpcSocket(options: { query?: string; apiKey?: string | null } = {}): Promise<TrpcSocket> {
      const requestId = `hostile-ws-${++sockets}`;
      const apiKey = options.apiKey === undefined ? server.ownerKey : options.apiKey;
      const socket = new WebSocket(`${server.url.replace("http", "ws")}/trpc${options.query ?? ""}`, {
        headers: { "x-request-id": requestId, ...(apiKey === null ? {} : { "x-api-key": apiKey }) },
      });
      const messages: string[] = [];
      let wake = () => {};
      let isClosed = false;
      const closed = new Promise<number>((resolve) =>
        socket.once("close", (code) => {
          isClosed = true;
          resolve(code);
          wake();
        }),
      );
      socket.on("message", (data: Buffer, isBinary) => {
        // tRPC's keep-alive, answered as its client does; never an answer to a call.
        if (!isBinary && data.toString() === "PING") return socket.send("PONG");
        messages.push(data.toString());
        wake();
      });
      await new Promise<void>((resolve, reject) => {
        socket.once("open", resolve);
        socket.once("error", reject);
      });
      let ids = 0;
      return {
        socket,
        requestId,
        closed,
        call(method, path, input) {
          const id = ++ids;
          socket.send(JSON.stringify({ id, method, params: { path, input } }));
          return id;
        },
        async next(label) {
          const deadline = Date.now() + TIMEOUT_MS;
          while (messages.length === 0) {
            if (isClosed) throw new Error(`${label}: the socket closed before answering`);
            const left = deadline - Date.now();
            if (left <= 0) throw new Error(`${label}: no answer (timeout ${TIMEOUT_MS} ms)`);
            await new Promise<void>((resolve) => {
              const timer = setTimeout(resolve, left);
              wake = () => {
                clearTimeout(timer);
                resolve();
              };
            });
          }
          const text = messages.shift() ?? "";
          try {
            return JSON.parse(text) as Record<string, unknown>;
          } catch {
            throw new Error(`${label}: a message that is not JSON: ${text.slice(0, 200)}`);
          }
        },
      };
    }

    const isResult = (message: Record<string, unknown>, type: string) => (message.result as { type?: string } | undefined)?.type === type;

    /** The messages answering call `id`, up to its last: a call's one answer, or a subscription's `started` and what follows it. */
    async function answersTo(socket: TrpcSocket, id: number, label: string): Promise<Record<string, unknown>[]> {
      const answers: Record<string, unknown>[] = [];
      for (;;) {
        const message = await socket.next(label);
        // A subscription that started and then failed reports that it stopped, after its error: that trails into the next call.
        if (typeof message.id === "number" && message.id < id && isResult(message, "stopped")) continue;
        expect(message.id, `${label} answered ${JSON.stringify(message).slice(0, 300)}`).toBe(id);
        answers.push(message);
        if (!isResult(message, "started")) return answers;
      }
    }

    /** A refusal over WebSocket: one message `{ id, error }` in the router's shape (a 4xx, no stack), at most after `started`. Returns its status. */
    function expectSocketError(label: string, socket: TrpcSocket, answers: Record<string, unknown>[]): number {
      const context = `${label} answered ${JSON.stringify(answers).slice(0, 300)}`;
      expect(JSON.stringify(answers), context).not.toContain('"stack"');
      const last = answers.at(-1) ?? {};
      expect(Object.keys(last).sort(), context).toEqual(["error", "id"]);
      return expectTrpcError(context, last.error, socket.requestId);
    }

    /** The socket still serves: a valid call answers its result. */
    async function expectUsable(socket: TrpcSocket, label: string): Promise<void> {
      const [answer] = await answersTo(socket, socket.call("query", "auth.whoami"), `${label}, then auth.whoami`);
      expect(answer, label).toMatchObject({ result: { type: "data", data: expect.any(Object) } });
    }

    it("walks every procedure or names why not", () => {
      for (const procedure of PROCEDURES) {
        expect(walked.includes(procedure) || inputless.includes(procedure) || procedure.path in TRPC_SKIPPED, procedure.path).toBe(true);
        // A skipped procedure must really take no input, or its reason no longer holds.
        if (procedure.path in TRPC_SKIPPED) expect(procedure.input, procedure.path).toBeNull();
      }
      for (const path of Object.keys(TRPC_SKIPPED)) expect(byPath.has(path), path).toBe(true);
      // Each kind goes over its own transport; losing one from the walk fails here.
      expect(new Set(walked.map((procedure) => procedure.type))).toEqual(new Set(["query", "mutation", "subscription"]));
    });

    describe.each(walked.map((procedure) => [`${procedure.type} ${procedure.path}`, procedure] as const))("%s", (_, procedure) => {
      it("refuses hostile input with a 4xx and changes nothing", async () => {
        const inputs: fc.Arbitrary<Input> = fc
          .oneof(
            { arbitrary: hostileInputs(procedure).map((json): Input => ({ json })), weight: 4 },
            { arbitrary: malformedBody.map((raw): Input => ({ raw })), weight: 1 },
          )
          .filter((input) => request(procedure, input).url.length <= MAX_URL_CHARS);
        const examples = idExamples(procedure).map((json): [Input] => [{ json }]);
        const before = await snapshot();
        await fc.assert(
          fc.asyncProperty(inputs, (input) => expectRefused(procedure, input)),
          // fast-check counts the examples among the runs.
          { numRuns: RUNS + examples.length, seed: SEED, examples },
        );
        if (procedure.type === "mutation") {
          const oversized = await exchange("POST", `/trpc/${procedure.path}`, { body: JSON.stringify({ padding: "x".repeat(MAX_BODY_BYTES) }), headers: JSON_TYPE });
          expect(expectJsonError(procedure.path, oversized)).toEqual([413]);
        }
        expect(await snapshot()).toEqual(before);
      });

      it("refuses the same hostile input over WebSocket with a 4xx, keeps the socket usable and changes nothing", async () => {
        const inputs = hostileInputs(procedure).filter((input) => Buffer.byteLength(JSON.stringify(input)) < MAX_BODY_BYTES - 1_000);
        const examples = idExamples(procedure).map((input): [Record<string, unknown>] => [input]);
        const socket = await openTrpcSocket();
        const before = await snapshot();
        await fc.assert(
          fc.asyncProperty(inputs, async (input) => {
            const label = `${procedure.type} ${procedure.path} over WebSocket`;
            expectSocketError(label, socket, await answersTo(socket, socket.call(procedure.type, procedure.path, input), label));
          }),
          { numRuns: RUNS + examples.length, seed: SEED, examples },
        );
        await expectUsable(socket, procedure.path);
        socket.socket.close();
        expect(await snapshot()).toEqual(before);
      });
    });

    describe.each(inputless.map((procedure) => [procedure.path, procedure] as const))("%s, which takes no input,", (_, procedure) => {
      /** Any JSON value, NUL characters sometimes in its strings or keys. */
      const extraInput: fc.Arbitrary<unknown> = fc.oneof(
        hostileValue,
        fc.dictionary(fc.oneof(fc.constantFrom("a", "__proto__", "nul\u0000key", "\u0000"), hostileString), hostileValue, { maxKeys: 4 }),
      );
      // NUL deep down, in a value and in a key, so neither depends on the seed's luck.
      const examples: [unknown][] = [[{ a: [{ b: "x\u0000" }] }], [{ a: { "k\u0000": 1 } }], [["ok", ["\u0000"]]], ["\u0000"]];

      it("ignores extra input over GET, refuses NUL with 422 naming where, and malformed input with 400", async () => {
        const expected = await exchange("GET", `/trpc/${procedure.path}`);
        expect(expected.status).toBe(200);
        const inputs = fc
          .oneof({ arbitrary: extraInput.map((json): Input => ({ json })), weight: 4 }, { arbitrary: malformedBody.map((raw): Input => ({ raw })), weight: 1 })
          .filter((input) => request(procedure, input).url.length <= MAX_URL_CHARS);
        const before = await snapshot();
        await fc.assert(
          fc.asyncProperty(inputs, async (input) => {
            const { method, url } = request(procedure, input);
            const answer = await exchange(method, url);
            const text = inputText(input);
            let value: unknown;
            try {
              value = JSON.parse(typeof text === "string" ? text : "not JSON: not UTF-8");
            } catch {
              expect(expectJsonError(procedure.path, answer)).toEqual([400]);
              return;
            }
            const nul = nulField(value);
            if (nul === null) {
              expect(answer.status, contextOf(procedure.path, answer)).toBe(200);
              expect(answer.text).toBe(expected.text);
            } else {
              expect(expectJsonError(procedure.path, answer)).toEqual([422]);
              expect((parsed(procedure.path, answer) as { error: { fields: unknown } }).error.fields).toEqual([{ path: nul, message: expect.any(String) }]);
            }
          }),
          { numRuns: RUNS + examples.length, seed: SEED, examples: examples.map(([json]): [Input] => [{ json }]) },
        );
        expect(await snapshot()).toEqual(before);
      });

      it("ignores extra input over WebSocket, refuses NUL with 422 naming where", async () => {
        const socket = await openTrpcSocket();
        const [expected] = await answersTo(socket, socket.call("query", procedure.path), procedure.path);
        expect(expected).toMatchObject({ result: { type: "data" } });
        const before = await snapshot();
        await fc.assert(
          fc.asyncProperty(
            extraInput.filter((input) => Buffer.byteLength(JSON.stringify(input)) < MAX_BODY_BYTES - 1_000),
            async (input) => {
              const label = `${procedure.path} over WebSocket`;
              const answers = await answersTo(socket, socket.call("query", procedure.path, input), label);
              // As the server reads it: parsed from the frame.
              const nul = nulField(JSON.parse(JSON.stringify(input)));
              if (nul === null) {
                expect(answers.map(({ result }) => result)).toEqual([expected?.result]);
              } else {
                expect(expectSocketError(label, socket, answers)).toBe(422);
                expect((answers[0]?.error as { fields: unknown }).fields).toEqual([{ path: nul, message: expect.any(String) }]);
              }
            },
          ),
          { numRuns: RUNS + examples.length, seed: SEED, examples },
        );
        socket.socket.close();
        expect(await snapshot()).toEqual(before);
      });
    });

    it("refuses every call of a batch of hostile calls, however its inputs are mismatched", async () => {
      const kinds = ["query", "mutation"] as const;
      /** How the batch's input object relates to its calls. */
      const shapes = ["as generated", "shifted by one call", "first call missing", "extra call", "an array"] as const;
      const batch = fc
        .constantFrom(...kinds)
        .chain((type) => fc.array(fc.constantFrom(...walked.filter((procedure) => procedure.type === type)), { minLength: 1, maxLength: 4 }))
        .chain((procedures) => fc.record({ procedures: fc.constant(procedures), inputs: fc.tuple(...procedures.map(hostileInputs)), shape: fc.constantFrom(...shapes) }))
        .map(({ procedures, inputs, shape }) => {
          const entries = inputs.map((input, index) => [String(index), input] as [string, unknown]);
          if (shape === "shifted by one call") entries.forEach((entry, index) => (entry[1] = inputs[(index + 1) % inputs.length]));
          if (shape === "first call missing") entries.shift();
          if (shape === "extra call") entries.push([String(inputs.length + 7), inputs[0]]);
          const input = shape === "an array" ? inputs : Object.fromEntries(entries);
          const paths = procedures.map((procedure) => procedure.path).join(",");
          const text = JSON.stringify(input);
          const call =
            procedures[0]?.type === "mutation"
              ? { method: "POST", url: `/trpc/${paths}?batch=1`, body: text, headers: JSON_TYPE }
              : { method: "GET", url: `/trpc/${paths}?batch=1&input=${encodeURIComponent(text)}` };
          return { procedures, input, shape, call };
        })
        // As sent, each call's input must be refused by its own procedure (tRPC refuses every call of a batch whose input is an array).
        .filter(({ procedures, input, shape }) => shape === "an array" || procedures.every((procedure, index) => refused(procedure, (input as Record<string, unknown>)[String(index)])))
        .filter(({ call }) => call.url.length <= MAX_URL_CHARS);
      const before = await snapshot();
      await fc.assert(
        fc.asyncProperty(batch, async ({ procedures, shape, call: { method, url, ...payload } }) => {
          expectJsonError(`batch ${procedures.map((procedure) => procedure.path).join(",")} (${shape})`, await exchange(method, url, payload), procedures.length);
        }),
        { numRuns: 2 * RUNS, seed: SEED },
      );
      expect(await snapshot()).toEqual(before);
    });

    it("answers unknown procedure paths with a 4xx", async () => {
      const names = fc
        .oneof(hostileParameter, fc.constantFrom("__proto__", "constructor", "prototype", "toString", "hasOwnProperty", "_def", "collections", "collections.__proto__", "collections.get.x", "collections..get", ".collections.get", "Collections.Get", "collections.get "))
        .filter((name) => !byPath.has(name));
      const before = await snapshot();
      await fc.assert(
        fc.asyncProperty(names, async (name) => {
          const url = `/trpc/${encode(name)}`;
          for (const [method, payload] of [
            ["GET", {}],
            ["GET", { headers: { accept: "text/event-stream" } }],
            ["POST", { body: "{}", headers: JSON_TYPE }],
          ] as const) {
            const [status] = expectJsonError(`${method} ${url}`, await exchange(method, url, payload));
            expect([400, 404], `${method} ${url}`).toContain(status);
          }
        }),
        { numRuns: RUNS, seed: SEED },
      );
      expect(await snapshot()).toEqual(before);
    });

    it("refuses malformed tRPC requests with a 4xx that carries the request's id", async () => {
      const json = (value: unknown) => encodeURIComponent(JSON.stringify(value));
      const collection = { collection_id: fixture.collection };
      const cases: { label: string; method: string; url: string; payload?: Payload; status: number; batchOf?: number }[] = [
        // tRPC checks the content type before the context exists (so before the key, too): the answer still carries the request's id.
        { label: "a POST without Content-Type", method: "POST", url: "/trpc/collections.create", payload: { body: new TextEncoder().encode('{"name":"x"}') }, status: 415 },
        { label: "a POST without Content-Type or body", method: "POST", url: "/trpc/collections.create", status: 415 },
        { label: "a POST of text/plain", method: "POST", url: "/trpc/collections.create", payload: { body: '{"name":"x"}', headers: { "content-type": "text/plain" } }, status: 415 },
        { label: "a POST to a query", method: "POST", url: "/trpc/collections.get", payload: { body: JSON.stringify(collection), headers: JSON_TYPE }, status: 405 },
        { label: "a GET of a mutation", method: "GET", url: `/trpc/collections.delete?input=${json(collection)}`, status: 405 },
        { label: "a DELETE of a mutation", method: "DELETE", url: "/trpc/collections.delete", payload: { body: JSON.stringify(collection), headers: JSON_TYPE }, status: 405 },
        { label: "a PUT of a mutation", method: "PUT", url: "/trpc/projects.update", payload: { body: JSON.stringify({ id: fixture.project }), headers: JSON_TYPE }, status: 405 },
        { label: "input that is not JSON", method: "GET", url: "/trpc/collections.get?input=%7Bnope", status: 400 },
        { label: "a body that is not JSON", method: "POST", url: "/trpc/collections.create", payload: { body: "{nope", headers: JSON_TYPE }, status: 400 },
        { label: "batch input that is not JSON", method: "GET", url: "/trpc/collections.get,projects.get?batch=1&input=%7Bnope", status: 400, batchOf: 2 },
        { label: "batch input that is an array", method: "GET", url: `/trpc/collections.get,projects.get?batch=1&input=${json([collection, { id: fixture.project }])}`, status: 400, batchOf: 2 },
        { label: "a batch mixing a query and a mutation", method: "GET", url: `/trpc/collections.get,collections.delete?batch=1&input=${json({ 0: collection, 1: collection })}`, status: 400 },
        { label: "a batch mixing a mutation and a query", method: "POST", url: "/trpc/collections.delete,collections.get?batch=1", payload: { body: JSON.stringify({ 0: collection, 1: collection }), headers: JSON_TYPE }, status: 400 },
        { label: "a batch of subscriptions", method: "GET", url: `/trpc/generation.events,generation.events?batch=1&input=${json({ 0: { project_id: fixture.project } })}`, status: 400, batchOf: 2 },
        { label: "a batch of 500 calls without input", method: "GET", url: `/trpc/${Array.from({ length: 500 }, () => "collections.get").join(",")}?batch=1&input=%7B%7D`, status: 422, batchOf: 500 },
        { label: "a streaming call that is not batched", method: "GET", url: `/trpc/collections.get?input=${json(collection)}`, payload: { headers: { "trpc-accept": "application/jsonl" } }, status: 400 },
        { label: "connection parameters that are not JSON", method: "GET", url: `/trpc/collections.get?connectionParams=1&input=${json(collection)}`, status: 400 },
        { label: "a path that is not valid percent-encoding", method: "GET", url: "/trpc/collections.get%E0%A4%A", status: 400 },
      ];
      const before = await snapshot();
      for (const { label, method, url, payload, status, batchOf } of cases) {
        const answer = await exchange(method, url, payload);
        expect(answer.status, contextOf(label, answer)).toBe(status);
        expectJsonError(label, answer, batchOf);
      }
      // A caller's own request id is the one the error carries, even when tRPC fails before making a context.
      const echoed = await exchange("POST", "/trpc/collections.create", { body: new TextEncoder().encode("{}"), headers: { "x-request-id": "hostile-415" } });
      expect(expectJsonError("a POST without Content-Type", echoed)).toEqual([415]);
      expect((parsed("415", echoed) as { error: { request_id: string } }).error.request_id).toBe("hostile-415");
      // A subscription refuses a POST in its stream.
      const posted = await exchange("POST", "/trpc/generation.events", { body: JSON.stringify({ project_id: fixture.project }), headers: JSON_TYPE });
      expect(expectErrorEvent("a POST to a subscription", posted)).toBe(405);
      expect(await snapshot()).toEqual(before);
    });

    it("refuses malformed WebSocket frames with a 4xx, keeps the socket usable, and survives frames it must close for", async () => {
      const before = await snapshot();
      const events = { project_id: fixture.project };
      const socket = await openTrpcSocket();
      // Frames tRPC cannot read as calls: one error without an id (there is none to answer).
      const unreadable: [string, string | Buffer][] = [
        ["not JSON", "{nope"],
        ["a NUL", "\u0000"],
        ["a number", "42"],
        ["an empty object", "{}"],
        ["a batch holding a number", JSON.stringify([1, { id: 1, method: "query", params: { path: "auth.whoami" } }])],
        ["an id that is an object", JSON.stringify({ id: {}, method: "query", params: { path: "auth.whoami" } })],
        ["an id that is null", JSON.stringify({ id: null, method: "query", params: { path: "auth.whoami" } })],
        ["an unknown method", JSON.stringify({ id: 1, method: "delete", params: { path: "collections.delete", input: { collection_id: fixture.collection } } })],
        ["no params", JSON.stringify({ id: 1, method: "query" })],
        ["params that are a string", JSON.stringify({ id: 1, method: "query", params: "auth.whoami" })],
        ["a path that is a number", JSON.stringify({ id: 1, method: "query", params: { path: 5 } })],
        ["another JSON-RPC version", JSON.stringify({ id: 1, jsonrpc: "1.0", method: "query", params: { path: "auth.whoami" } })],
        ["a lastEventId that is a number", JSON.stringify({ id: 1, method: "subscription", params: { path: "generation.events", input: events, lastEventId: 5 } })],
        ["a stop without an id", JSON.stringify({ method: "subscription.stop" })],
        ["a binary frame", Buffer.from(JSON.stringify({ id: 1, method: "query", params: { path: "auth.whoami" } }))],
      ];
      for (const [label, frame] of unreadable) {
        socket.socket.send(frame, { binary: typeof frame !== "string" });
        const answer = await socket.next(label);
        expect(answer.id, label).toBeNull();
        expect(expectSocketError(label, socket, [answer]), label).toBe(400);
      }
      // Calls of nothing, or of a procedure by the wrong method: the call's own error.
      const misdirected: [string, string, unknown][] = [
        ...["__proto__", "constructor", "toString", "collections", "collections.get.x", "", "../auth.whoami"].map((path): [string, string, unknown] => ["query", path, undefined]),
        ["mutation", "collections.get", { collection_id: fixture.collection }],
        ["subscription", "collections.get", { collection_id: fixture.collection }],
        ["query", "collections.delete", { collection_id: fixture.collection }],
        ["subscription", "collections.delete", { collection_id: fixture.collection }],
        ["query", "generation.events", events],
        ["mutation", "generation.events", events],
      ];
      for (const [method, path, input] of misdirected) {
        const label = `${method} ${path}`;
        expectSocketError(label, socket, await answersTo(socket, socket.call(method, path, input), label));
      }
      // A second subscription under a live one's id is refused; stopping the first ends it. It follows from the project's newest event, so the fixture job's events are not replayed first.
      const newest = parsed("status", await exchange("GET", `${REST_BASE_PATH}/v2/projects/${fixture.project}/generate/status`)) as { last_event_id: number };
      const following = { ...events, lastEventId: String(newest.last_event_id) };
      const live = socket.call("subscription", "generation.events", following);
      expect(await socket.next("generation.events")).toEqual({ id: live, result: { type: "started" } });
      socket.socket.send(JSON.stringify({ id: live, method: "subscription", params: { path: "generation.events", input: following } }));
      expect(expectSocketError("a duplicate subscription id", socket, await answersTo(socket, live, "a duplicate subscription id"))).toBe(400);
      socket.socket.send(JSON.stringify({ id: live, method: "subscription.stop" }));
      expect(await socket.next("subscription.stop")).toEqual({ id: live, result: { type: "stopped" } });
      // Frames with nothing to answer: the next call's answer is the next message.
      for (const [label, frame] of [
        ["a stop for an unknown id", JSON.stringify({ id: 424_242, method: "subscription.stop" })],
        ["an empty batch", "[]"],
      ]) {
        socket.socket.send(frame ?? "");
        await expectUsable(socket, label ?? "");
      }
      socket.socket.close();

      // Frames the WebSocket layer itself refuses close that socket only.
      const oversized = await openTrpcSocket();
      oversized.socket.send(JSON.stringify({ id: 1, method: "query", params: { path: "auth.whoami", input: "x".repeat(MAX_BODY_BYTES) } }));
      expect(await oversized.closed).toBe(1009);
      const notUtf8 = await openTrpcSocket();
      notUtf8.socket.send(Buffer.from([0x7b, 0xff, 0xfe, 0xc0, 0x80, 0x7d]), { binary: false });
      expect(await notUtf8.closed).toBe(1007);

      // Connection parameters: the key they carry is used; broken ones answer 400 and close the socket.
      const withParams = await openTrpcSocket({ query: "?connectionParams=1", apiKey: null });
      withParams.socket.send(JSON.stringify({ method: "connectionParams", data: { apiKey: server.ownerKey } }));
      await expectUsable(withParams, "a key in connection parameters");
      withParams.socket.close();
      for (const [label, frame] of [
        ["connection parameters that are not JSON", "{nope"],
        ["connection parameters that are not an object", JSON.stringify({ method: "connectionParams", data: "key" })],
        ["a key in connection parameters that is not a string", JSON.stringify({ method: "connectionParams", data: { apiKey: 5 } })],
      ]) {
        const broken = await openTrpcSocket({ query: "?connectionParams=1", apiKey: null });
        broken.socket.send(frame ?? "");
        const answer = await broken.next(label ?? "");
        expect(expectSocketError(label ?? "", broken, [answer]), label).toBe(400);
        // tRPC closes such a socket without a status code (1005 as received).
        expect(await broken.closed, label).toBe(1005);
      }
      for (const [label, apiKey] of [
        ["no key", null],
        ["an unknown key", "hostile-\u0000-key"],
      ] as const) {
        const keyless = await openTrpcSocket({ query: "?connectionParams=1", apiKey: null });
        keyless.socket.send(JSON.stringify({ method: "connectionParams", data: apiKey === null ? null : { apiKey } }));
        expect(expectSocketError(label, keyless, await answersTo(keyless, keyless.call("query", "auth.whoami"), label)), label).toBe(401);
        keyless.socket.close();
      }

      // The server kept serving throughout.
      expect((await exchange("GET", "/healthz")).status).toBe(200);
      const fresh = await openTrpcSocket();
      await expectUsable(fresh, "a fresh socket");
      fresh.socket.close();
      expect(await snapshot()).toEqual(before);
    });
  });
});
