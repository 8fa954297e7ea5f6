import { rmSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { createScratchDataDir, createScratchPostgres, type Engine } from "@scriptorium/db/testing";
import { createScriptoriumServer, type ScriptoriumServer } from "../app";
import type { Config } from "../config";
import { createLogger } from "../logger";

export const TEST_OWNER_KEY = "test-owner-key-0123456789abcdef";

export interface RunningTestServer {
  url: string;
  ownerKey: string;
  dataDir: string;
  app: ScriptoriumServer;
  stop(): Promise<void>;
}

/** A real server on a loopback port, on a fresh database of the given engine. */
export async function startTestServer(engine: Engine = "pglite", overrides: Partial<Config> = {}): Promise<RunningTestServer> {
  const dataDir = await createScratchDataDir();
  const postgres = engine === "postgres" ? await createScratchPostgres() : null;
  const app = await createScriptoriumServer(
    {
      port: 0,
      host: "127.0.0.1",
      dataDir,
      localRoots: null,
      databaseUrl: postgres?.url,
      bootstrapKey: TEST_OWNER_KEY,
      logLevel: "silent",
      dashboardDir: null,
      githubToken: undefined,
      githubBaseUrl: "https://github.com",
      workers: 2,
      jobLeaseSeconds: 15,
      dbWaitSeconds: 0,
      threads: 2,
      securityReview: true,
      // Tests poll as fast as they can; the limit has its own test.
      requestsPerMinute: 0,
      llm: { openaiApiKey: undefined, anthropicApiKey: undefined, llmBaseUrl: undefined, llmApiKey: undefined },
      ...overrides,
    },
    createLogger("silent"),
  );
  await new Promise<void>((resolve) => app.server.listen(0, "127.0.0.1", resolve));
  const { port } = app.server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    ownerKey: TEST_OWNER_KEY,
    dataDir,
    app,
    stop: async () => {
      await app.close();
      await postgres?.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** A JSON call to the REST API with the owner key: the status and the parsed answer. */
export async function callApi<T = unknown>(server: RunningTestServer, method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> {
  const response = await fetch(`${server.url}/api${path}`, {
    method,
    headers: { "x-api-key": server.ownerKey, ...(body === undefined ? {} : { "content-type": "application/json" }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as T };
}
