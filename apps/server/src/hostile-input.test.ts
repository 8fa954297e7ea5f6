import { rmSync } from "node:fs";
import fc from "fast-check";
import WebSocket from "ws";
import { forEachOpenApiProcedure, getInputOutputParsers } from "trpc-to-openapi";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appRouter, buildOpenApiDocument, REST_BASE_PATH } from "@scriptorium/api";
import { skillFile, tempDir, writeFiles } from "@scriptorium/domain/testing";
import { MAX_BODY_BYTES } from "./http/rest";
import { startTestServer, type RunningTestServer } from "./testing";

/**
 * Hostile input, derived operation by operation from the OpenAPI document:
 * wrong types, huge and strange strings, deep nesting, absurd numbers and
 * malformed JSON must each get a clear 4xx in the error shape, quickly, and
 * must leave the stored data as it was.
 *
 * Only definitely invalid inputs are sent: every candidate is checked
 * against the procedure's own input schema (the one the server validates
 * with), and a hostile path id is never a real one. So a 2xx is always a bug.
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

function resolve(schema: JsonSchema): JsonSchema {
  return schema.$ref ? resolve(SCHEMAS[schema.$ref.replace("#/components/schemas/", "")] ?? {}) : schema;
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
  "GET /v1/collections": "no parameters and no body: there is no input to make hostile",
  "GET /v1/keys": "no parameters and no body: there is no input to make hostile",
  "GET /v2/projects": "no parameters and no body: there is no input to make hostile",
};

// ─── The oracle: the router's own input schemas ──────────────────────────────

type InputParser = ReturnType<typeof getInputOutputParsers>["inputParser"];
const PARSERS = new Map<string, InputParser>();
forEachOpenApiProcedure(appRouter._def.procedures, ({ procedure, meta }) => {
  PARSERS.set(`${meta.openapi.method} ${meta.openapi.path}`, getInputOutputParsers(procedure).inputParser);
});

/** Whether the server's validation would accept this input (then it is not hostile enough to send). */
function accepted(operation: Operation, input: Record<string, unknown>): boolean {
  const parser = PARSERS.get(operation.label);
  if (parser) return parser.safeParse(input).success;
  // The hand-documented download is no procedure; besides its id it takes only an enum.
  return operation.parameters.every(({ name, schema }) => !(name in input) || (resolve(schema).enum?.includes(input[name]) ?? true));
}

/** Path parameters that name a stored resource: any value but the fixture's names nothing. */
const ID_PARAMETERS = new Set(["collection_id", "artifact_id", "id"]);

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
 * A JSON object body: at least one documented property with a wrong type,
 * others with any hostile value. Only inputs the router would reject pass.
 */
function hostileObjectBody(operation: Operation, pathInput: Record<string, string>): fc.Arbitrary<Record<string, unknown>> {
  const properties = Object.entries(operation.body?.properties ?? {});
  if (properties.length === 0) throw new Error(`${operation.label} documents no body properties`);
  return fc
    .tuple(
      fc.oneof(...properties.map(([name, schema]) => wrongTyped(schema).map((value) => [name, value] as const))),
      fc.subarray(properties.map(([name]) => name)).chain((names) => fc.tuple(...names.map((name) => hostileValue.map((value) => [name, value] as const)))),
    )
    .map(([broken, others]) => Object.fromEntries([...others, broken]))
    .filter((body) => !accepted(operation, { ...body, ...pathInput }));
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

const RUNS = 25;
const SEED = 20_260_121;
const TIMEOUT_MS = 5_000;
const CLIENT_ERRORS = [400, 401, 403, 404, 409, 413, 415, 422];

interface Answer {
  status: number;
  body: Record<string, unknown>;
}

describe("hostile input over REST", () => {
  let server: RunningTestServer;
  let root: string;
  /** Real values for each path parameter, by operation path and name. */
  let realPathValue: (path: string, name: string) => string;

  async function send(method: string, url: string, init: { body?: string | Uint8Array } = {}): Promise<Answer> {
    const headers: Record<string, string> = { "x-api-key": server.ownerKey };
    if (init.body !== undefined) headers["content-type"] = "application/json";
    let response: Response;
    try {
      response = await fetch(server.url + url, { method, headers, body: init.body, signal: AbortSignal.timeout(TIMEOUT_MS) });
    } catch (error) {
      throw new Error(`${method} ${url.slice(0, 300)}: no answer (timeout ${TIMEOUT_MS} ms): ${String(error)}`);
    }
    const text = await response.text();
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(text) as Record<string, unknown>;
    } catch {
      throw new Error(`${method} ${url.slice(0, 300)} answered ${response.status} with a body that is not JSON: ${text.slice(0, 200)}`);
    }
    return { status: response.status, body };
  }

  async function get(path: string): Promise<unknown> {
    const answer = await send("GET", `${REST_BASE_PATH}${path}`);
    expect(answer.status, path).toBe(200);
    return answer.body;
  }

  /** The stored data an API client can see. */
  async function snapshot(): Promise<Record<string, unknown>> {
    const collection = realPathValue("/v1/collections/{collection_id}", "collection_id");
    const project = realPathValue("/v2/projects/{id}", "id");
    return {
      collections: await get("/v1/collections"),
      artifacts: await get(`/v1/collections/${collection}/artifacts`),
      snapshots: await get(`/v1/collections/${collection}/snapshots`),
      keys: await get("/v1/keys"),
      projects: await get("/v2/projects"),
      exports: await get(`/v2/projects/${project}/export`),
    };
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

  beforeAll(async () => {
    server = await startTestServer("pglite");
    root = tempDir("hostile-input");
    writeFiles(root, { "skills/canvas/SKILL.md": skillFile({ title: "Canvas", description: "Draws" }) });
    const post = async (path: string, body: unknown): Promise<Record<string, unknown>> => {
      const answer = await send("POST", `${REST_BASE_PATH}${path}`, { body: JSON.stringify(body) });
      expect(answer.status, path).toBe(200);
      return answer.body;
    };
    const collection = await post("/v1/collections", { name: "Fixture" });
    const artifacts = await post(`/v1/collections/${String(collection.id)}/artifacts`, { source: `${root}/skills` });
    const artifact = (artifacts.items as Record<string, unknown>[])[0];
    const project = await post("/v2/projects", { title: "Fixture", target_words: 3000, chapters: 2, scenes_per_chapter: 2, seed: 1 });
    const key = await post("/v1/keys", { name: "Fixture", scope: "read" });
    const ids = { collection: String(collection.id), artifact: String(artifact?.id), project: String(project.id), key: String(key.id) };
    realPathValue = (path, name) => {
      if (name === "collection_id") return ids.collection;
      if (name === "artifact_id") return ids.artifact;
      if (name === "id") return path.startsWith("/v1/keys") ? ids.key : ids.project;
      if (name === "format") return "md";
      if (name === "stage_number") return "1";
      throw new Error(`no fixture value for path parameter ${name} of ${path}`);
    };
  });
  afterAll(async () => {
    await server.stop();
    rmSync(root, { recursive: true, force: true });
  });

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
      const before = await snapshot();
      await fc.assert(
        fc.asyncProperty(fc.oneof({ arbitrary: hostileObjectBody(operation, pathInput).map((body) => JSON.stringify(body)), weight: 4 }, { arbitrary: malformedBody, weight: 1 }), async (body) => {
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
          return { path, query, hostileId: Object.keys(hostile).some((name) => ID_PARAMETERS.has(name)) };
        })
        // A hostile id names nothing, so it is invalid whatever the schema says; otherwise the schema must refuse the input.
        .filter(({ path, query, hostileId }) => hostileId || !accepted(operation, { ...query, ...path }));
      // Every curated edge case in every path parameter first, so none of them depends on the seed's luck.
      const examples = [...PATH_TRAVERSAL, ...UNICODE_EDGES].map((value) => [
        { path: Object.fromEntries(pathNames.map((name) => [name, value])), query: {}, hostileId: pathNames.some((name) => ID_PARAMETERS.has(name)) },
      ] as [{ path: Record<string, string>; query: Record<string, string>; hostileId: boolean }]);
      const before = await snapshot();
      await fc.assert(
        fc.asyncProperty(request, async ({ path, query }) => {
          expectClientError(operation.label, await send(operation.method, urlOf(operation, path, query)));
        }),
        { numRuns: RUNS, seed: SEED, examples },
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
