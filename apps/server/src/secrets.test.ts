import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { strFromU8, unzipSync } from "fflate";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { pdfInfo, pdfText } from "@scriptorium/domain/testing";
import { run, stop } from "./testing/processes";

/**
 * Secrets the server holds — the owner key, keys it issues, the LLM
 * providers' keys, the GitHub token — never reach an export, a log line or
 * an HTTP answer, even when a provider quotes the key back in its error.
 *
 * One real server process, configured through its environment as users do,
 * runs the whole story: keys issued and refused, a GitHub source fetched
 * with the token, an offline book generated and exported in every format,
 * and three LLM writers whose providers answer errors that echo the
 * credentials they were sent. The tests are that story's chapters, in
 * order; the last ones look at everything it left behind. A process,
 * because only a process's output shows every log line; run from source
 * (through tsx), so the test needs no build and checks this tree.
 */

const SOURCE_MAIN = fileURLToPath(new URL("./main.ts", import.meta.url));
const TIMEOUT_MS = 5_000;
const FORMATS = ["docx", "epub", "pdf", "md", "txt"] as const;

const OWNER_KEY = "owner-SECRET-5d1f0c8a2b7e4f69";
const OPENAI_KEY = "sk-test-SECRET-openai-9c4e1a7b3d";
const ANTHROPIC_KEY = "sk-ant-test-SECRET-2b8f6d0e4a";
/** Not key-shaped: only the server's own list of secrets can recognise it. */
const COMPAT_KEY = "local-SECRET-compat-7a3c5e9f1b";
const GITHUB_TOKEN = "ghp_SECRETtoken0123456789abcdefABCDEF";

/**
 * A provider (or git host) that refuses every request and quotes the
 * credentials it was sent, in its error message and in a header, as some
 * providers do.
 */
class EchoingUpstream {
  readonly credentials: string[] = [];
  private readonly server: Server;

  constructor(status: number, headers: Record<string, string> = {}) {
    this.server = createServer((request, response) => {
      const credential = String(request.headers.authorization ?? request.headers["x-api-key"] ?? "none");
      this.credentials.push(credential);
      request.resume();
      request.on("end", () => {
        response.writeHead(status, { "content-type": "application/json", "x-echo-credential": credential, ...headers });
        // Both OpenAI's and Anthropic's error shapes at once.
        response.end(JSON.stringify({ type: "error", error: { type: "invalid_request_error", message: `Incorrect API key provided: ${credential}`, code: null } }));
      });
    });
  }

  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, "127.0.0.1", resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

interface Exchange {
  label: string;
  status: number;
  text: string;
}

interface JobStatus {
  status: string;
  error: string | null;
}

describe("secrets", { timeout: 120_000 }, () => {
  const openai = new EchoingUpstream(400);
  // A server error is retried: no wait between attempts, so the test does not sit through the backoff.
  const anthropic = new EchoingUpstream(500, { "retry-after-ms": "0" });
  const compatible = new EchoingUpstream(401);
  const github = new EchoingUpstream(403);
  const secrets: Record<string, string> = {
    "the owner key": OWNER_KEY,
    "the OpenAI key": OPENAI_KEY,
    "the Anthropic key": ANTHROPIC_KEY,
    "the OpenAI-compatible server's key": COMPAT_KEY,
    "the GitHub token": GITHUB_TOKEN,
    // What git sends for it.
    "the GitHub token as git sends it": Buffer.from(`x-access-token:${GITHUB_TOKEN}`).toString("base64"),
  };
  /** Every answer the server gave, to check at the end. */
  const answers: Exchange[] = [];
  let server: ReturnType<typeof run>;
  let url: string;
  let dataDir: string;
  let scratch: string;
  let issuedKey: string;
  let urls: { openai: string; anthropic: string; compatible: string };

  function leaked(text: string): string[] {
    return Object.entries(secrets)
      .filter(([, secret]) => text.includes(secret))
      .map(([name]) => name);
  }

  async function call(method: string, path: string, body?: unknown, key = OWNER_KEY): Promise<Exchange> {
    const response = await fetch(url + path, {
      method,
      headers: { authorization: `Bearer ${key}`, ...(body === undefined ? {} : { "content-type": "application/json" }) },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
    const headers = [...response.headers].map(([name, value]) => `${name}: ${value}`).join("\n");
    const exchange = { label: `${method} ${path}`, status: response.status, text: `${headers}\n\n${await response.text()}` };
    answers.push(exchange);
    return exchange;
  }

  async function json<T>(method: string, path: string, body?: unknown): Promise<T> {
    const answer = await call(method, path, body);
    expect(answer.status, `${answer.label}: ${answer.text.slice(0, 300)}`).toBe(200);
    return JSON.parse(answer.text.slice(answer.text.indexOf("\n\n") + 2)) as T;
  }

  async function settled(projectId: string): Promise<JobStatus> {
    for (const deadline = Date.now() + 60_000; Date.now() < deadline; ) {
      const job = await json<JobStatus>("GET", `/api/v2/projects/${projectId}/generate/status`);
      if (["completed", "failed", "cancelled", "paused"].includes(job.status)) return job;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    throw new Error(`the job of project ${projectId} did not settle in time`);
  }

  beforeAll(async () => {
    scratch = mkdtempSync(join(tmpdir(), "scriptorium-secrets-"));
    dataDir = join(scratch, "data");
    urls = { openai: `${await openai.start()}/v1`, anthropic: `${await anthropic.start()}/v1`, compatible: `${await compatible.start()}/v1` };
    server = run(
      {
        NODE_OPTIONS: "--import tsx",
        SCRIPTORIUM_DATA_DIR: dataDir,
        SCRIPTORIUM_BOOTSTRAP_KEY: OWNER_KEY,
        // Every line the server can write.
        LOG_LEVEL: "trace",
        OPENAI_API_KEY: OPENAI_KEY,
        ANTHROPIC_API_KEY: ANTHROPIC_KEY,
        SCRIPTORIUM_LLM_BASE_URL: urls.compatible,
        SCRIPTORIUM_LLM_API_KEY: COMPAT_KEY,
        GITHUB_TOKEN,
        SCRIPTORIUM_GITHUB_URL: await github.start(),
      },
      SOURCE_MAIN,
    );
    for (const deadline = Date.now() + 60_000; !url && Date.now() < deadline; ) {
      url = /ready at (http:\/\/\S+)/.exec(server.output())?.[1] ?? "";
      if (server.child.exitCode !== null) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    if (!url) throw new Error(`the server did not start:\n${server.output()}\n${server.errors()}`);
  });

  afterAll(async () => {
    if (server.child.exitCode === null) server.child.kill("SIGKILL");
    await Promise.all([openai.stop(), anthropic.stop(), compatible.stop(), github.stop()]);
    rmSync(scratch, { recursive: true, force: true });
  });

  it("issues a key that is shown once and never repeated, even when it is refused", async () => {
    const issued = await call("POST", "/api/v1/keys", { name: "Deploy bot", scope: "read" });
    expect(issued.status).toBe(200);
    issuedKey = (JSON.parse(issued.text.slice(issued.text.indexOf("\n\n") + 2)) as { key: string }).key;
    secrets["the issued key"] = issuedKey;
    // Its one legitimate appearance; every other answer is checked at the end.
    answers.splice(answers.indexOf(issued), 1);

    expect((await call("GET", "/api/v1/whoami", undefined, issuedKey)).status).toBe(200);
    expect((await call("POST", "/api/v1/collections", { name: "Not allowed" }, issuedKey)).status).toBe(403);
    expect((await call("POST", "/trpc/collections.create", { name: "Not allowed" }, issuedKey)).status).toBe(403);
    // The job socket takes its key in the URL, where access logs often leak it.
    const message = await new Promise<string>((resolve, reject) => {
      const socket = new WebSocket(`${url.replace("http", "ws")}/api/v2/projects/no-such-project/ws?api_key=${issuedKey}`);
      socket.once("close", (code) => resolve(`closed ${code}`));
      socket.once("error", reject);
    });
    expect(message).toBe("closed 4404");
  });

  it("fetches from GitHub with the token and does not repeat it when GitHub refuses", async () => {
    const collection = await json<{ id: string }>("POST", "/api/v1/collections", { name: "Upstream" });
    const added = await call("POST", `/api/v1/collections/${collection.id}/artifacts`, { source: { kind: "github", repo: "octo/skills", path: "skills/canvas", ref: "main" } });
    expect(added.status, added.text).toBeGreaterThanOrEqual(400);
    // The token really went out (so the answers below really had a chance to repeat it).
    expect(github.credentials).toContain(`Basic ${secrets["the GitHub token as git sends it"]}`);
  });

  it("exports a book in every format without a secret in any byte", async () => {
    const project = await json<{ id: string }>("POST", "/api/v2/projects", { title: "The Quiet Ledger", author: "Ada Marlow", target_words: 3_000, chapters: 2, scenes_per_chapter: 2, seed: 7 });
    await json("POST", `/api/v2/projects/${project.id}/generate`, {});
    expect((await settled(project.id)).status).toBe("completed");
    const built = await json<{ items: { format: string }[] }>("POST", `/api/v2/projects/${project.id}/export`, {});
    expect(built.items.map((item) => item.format).sort()).toEqual([...FORMATS].sort());

    for (const format of FORMATS) {
      const response = await fetch(`${url}/api/v2/projects/${project.id}/export/${format}`, { headers: { "x-api-key": OWNER_KEY }, signal: AbortSignal.timeout(TIMEOUT_MS) });
      expect(response.status, format).toBe(200);
      const bytes = Buffer.from(await response.arrayBuffer());
      // The raw bytes, as ASCII and as UTF-8 (secrets are ASCII): stored zip entries, PDF dictionaries, plain text.
      const texts: Record<string, string> = { bytes: bytes.toString("latin1"), utf8: bytes.toString("utf8") };
      if (format === "docx" || format === "epub") {
        // What the zip's compressed entries hold.
        for (const [name, data] of Object.entries(unzipSync(bytes))) texts[name] = strFromU8(data);
        expect(Object.keys(texts).length, format).toBeGreaterThan(3);
      }
      if (format === "pdf") {
        const path = join(scratch, "book.pdf");
        writeFileSync(path, bytes);
        // The compressed text layer, also with line breaks removed (a long token could be wrapped), and the document's metadata.
        const text = await pdfText(path);
        expect(text).toContain("The Quiet Ledger");
        texts["text layer"] = text;
        texts["text layer, unwrapped"] = text.replace(/\s+/g, "");
        texts.metadata = JSON.stringify(await pdfInfo(path));
      }
      for (const [part, text] of Object.entries(texts)) expect(leaked(text), `${format}: ${part}`).toEqual([]);
    }
  });

  it("keeps provider keys out of stage errors, events and answers when providers quote them back", async () => {
    const writers = {
      openai: { writer: { provider: "openai", model: "gpt-4o-mini", base_url: urls.openai }, status: "HTTP 400" },
      anthropic: { writer: { provider: "anthropic", model: "claude-haiku-4-5", base_url: urls.anthropic }, status: "HTTP 500" },
      compatible: { writer: { provider: "openai-compatible", model: "llama3.1" }, status: "HTTP 401" },
    };
    for (const [name, { writer, status }] of Object.entries(writers)) {
      const project = await json<{ id: string }>("POST", "/api/v2/projects", { title: `Echoes ${name}`, target_words: 3_000, chapters: 2, scenes_per_chapter: 2, writer });
      await json("POST", `/api/v2/projects/${project.id}/generate`, {});
      const job = await settled(project.id);
      expect(job.status, name).toBe("failed");
      expect(job.error, name).toContain(status);

      // Everything that shows the failure, over REST and tRPC; each answer is checked at the end.
      const input = (value: unknown) => encodeURIComponent(JSON.stringify(value));
      const events = await json<{ items: { type: string }[] }>("GET", `/api/v2/projects/${project.id}/generate/events?after=0`);
      expect(events.items.map((event) => event.type), name).toContain("error");
      await call("GET", `/api/v2/projects/${project.id}/generate/stages`);
      await call("GET", `/api/v2/projects/${project.id}/generate/stages/1`);
      await call("GET", `/trpc/generation.status?input=${input({ id: project.id })}`);
      await call("GET", `/trpc/generation.eventLog?input=${input({ id: project.id, after: 0 })}`);
      await call("GET", `/trpc/generation.stages?input=${input({ id: project.id })}`);
      expect((await call("POST", `/api/v2/projects/${project.id}/generate/resume`, {})).status, name).toBe(409);
      expect((await call("GET", `/api/v2/projects/${project.id}/manuscript`)).status, name).toBe(404);
      expect((await call("POST", `/api/v2/projects/${project.id}/export`, {})).status, name).toBeGreaterThanOrEqual(400);
    }
    // The keys really went out, and came back in the providers' errors.
    expect(openai.credentials).toContain(`Bearer ${OPENAI_KEY}`);
    expect(anthropic.credentials).toContain(ANTHROPIC_KEY);
    expect(compatible.credentials).toContain(`Bearer ${COMPAT_KEY}`);
  });

  it("answers a revoked key without repeating it", async () => {
    const keys = await json<{ items: { id: string; name: string }[] }>("GET", "/api/v1/keys");
    const id = keys.items.find((key) => key.name === "Deploy bot")?.id;
    await json("DELETE", `/api/v1/keys/${id}`);
    expect((await call("GET", "/api/v1/whoami", undefined, issuedKey)).status).toBe(401);
  });

  it("never put a secret in an answer", () => {
    expect(answers.length).toBeGreaterThan(20);
    for (const answer of answers) expect(leaked(answer.text), `${answer.label} (${answer.status})`).toEqual([]);
  });

  it("never logs a secret", async () => {
    expect(await stop(server)).toBe(0);
    const lines = `${server.output()}\n${server.errors()}`.split("\n").filter((line) => line.trim() !== "");
    // The failures were logged, so the check below looked at them.
    expect(lines.filter((line) => line.includes('"msg":"generation job failed"'))).toHaveLength(3);
    expect(lines.some((line) => line.includes('"path":"/api/v1/keys"'))).toBe(true);
    const leaks = lines.flatMap((line) => leaked(line).map((secret) => `${secret} in ${line.slice(0, 1_000)}`));
    expect(leaks).toEqual([]);
  });

  it("stores no secret: the data directory holds keys only as hashes", () => {
    const files = readdirSync(dataDir, { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isFile())
      .map((entry) => join(entry.parentPath, entry.name));
    const contents = files.map((path) => ({ path, text: readFileSync(path).toString("latin1") }));
    // Stored text is readable this way (the write-ahead log holds it plainly), so what is not found is not there.
    expect(contents.some(({ text }) => text.includes("Deploy bot"))).toBe(true);
    for (const { path, text } of contents) expect(leaked(text), path).toEqual([]);
  });
});
