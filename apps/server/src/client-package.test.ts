import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type RunningTestServer } from "./testing/test-server";

const run = promisify(execFile);
const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");
const clientDir = join(repoRoot, "packages/client");
const rootManifest = JSON.parse(readFileSync(join(repoRoot, "package.json"), "utf8")) as { devDependencies: Record<string, string> };

/**
 * What a project outside this repository writes, with the settings `tsc
 * --init` gives it (strict, Node's own module resolution, skipLibCheck). It
 * reads, writes and subscribes, and a call with a misspelt field must not
 * compile: were the router's types lost to `any` (as an unresolved import in
 * the declarations would make them under skipLibCheck), the
 * `@ts-expect-error` would be unused and fail the build.
 */
const PROGRAM = `
import { createScriptoriumClient, TRPCClientError, type RouterOutputs } from "@scriptorium/client";

type KeyChange = RouterOutputs["keys"]["changes"] extends AsyncIterable<infer T> ? T : never;

const url = process.env.SCRIPTORIUM_URL;
const apiKey = process.env.SCRIPTORIUM_KEY;
if (!url || !apiKey) throw new Error("SCRIPTORIUM_URL and SCRIPTORIUM_KEY are required");
const client = createScriptoriumClient({ url, apiKey });

const me = await client.auth.whoami.query();
const scope: "read" | "write" | "admin" | "owner" = me.key.scope;

const changes: KeyChange[] = [];
let started!: () => void;
const ready = new Promise<void>((resolve) => (started = resolve));
let sawBoth!: () => void;
const both = new Promise<void>((resolve) => (sawBoth = resolve));
const subscription = client.keys.changes.subscribe(undefined, {
  onStarted: () => started(),
  onData: (change) => {
    changes.push(change);
    if (changes.length === 2) sawBoth();
  },
  onError: (error) => {
    console.error(error);
    process.exit(1);
  },
});
await ready;

const created = await client.keys.create.mutate({ name: "from the packed client", scope: "read" });
const secret: string = created.key;
await client.keys.revoke.mutate({ id: created.id });
await both;
subscription.unsubscribe();

// @ts-expect-error: the input is typed, and "nmae" is not one of its fields.
const typo = () => client.keys.create.mutate({ nmae: "x" });
void typo;

/** Compiled, not run: a project's events arrive typed, tracked by id. */
export function followProgress(projectId: string, onProgress: (fraction: number) => void) {
  return client.generation.events.subscribe(
    { project_id: projectId },
    {
      onData: ({ id, data }) => {
        const eventId: string = id;
        void eventId;
        if (data.type === "progress") onProgress(data.data.progress);
      },
    },
  );
}

const unauthorized = await createScriptoriumClient({ url, apiKey: "scr_nobody-0000000000000000000" })
  .auth.whoami.query()
  .catch((error: unknown) => error);
const code = unauthorized instanceof TRPCClientError ? unauthorized.data?.code : "not a TRPCClientError";

console.log(JSON.stringify({ scope, created: created.id, secretPrefix: secret.slice(0, 4), changes, code }));
`;

interface PackResult {
  filename: string;
  files: { path: string }[];
}

describe("the packed @scriptorium/client in a project of its own", () => {
  let server: RunningTestServer;
  let work: string;
  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), "scriptorium-client-package-"));
    server = await startTestServer();
  });
  afterAll(async () => {
    await server?.stop();
    rmSync(work, { recursive: true, force: true });
  });

  it("installs alone, type-checks strictly and queries, mutates and subscribes", { timeout: 600_000 }, async () => {
    // Built through turbo, as `npm test` builds it: a cache hit when the build is current.
    await run(join(repoRoot, "node_modules/.bin/turbo"), ["run", "build", "--filter=@scriptorium/client", "--output-logs=errors-only"], {
      cwd: repoRoot,
      env: { ...process.env, TURBO_TELEMETRY_DISABLED: "1" },
    });
    const packed = await run("npm", ["pack", "--json", "--pack-destination", work], { cwd: clientDir });
    const [tarball] = JSON.parse(packed.stdout) as PackResult[];
    if (!tarball) throw new Error(`npm pack named no tarball: ${packed.stdout}`);
    const paths = tarball.files.map((file) => file.path).sort();
    expect(paths).toContain("dist/index.js");
    expect(paths).toContain("dist/index.d.ts");
    // Only the build and the package's own description: no sources, no configuration.
    expect(paths.filter((path) => !path.startsWith("dist/"))).toEqual(["README.md", "package.json"]);

    const project = join(work, "project");
    const npmFlags = ["--no-audit", "--no-fund", "--prefer-offline", "--loglevel=error"];
    mkdirSync(project);
    writeFileSync(join(project, "package.json"), JSON.stringify({ name: "client-package-check", private: true, type: "module" }, null, 2));
    writeFileSync(
      join(project, "tsconfig.json"),
      JSON.stringify(
        {
          compilerOptions: { strict: true, module: "nodenext", moduleResolution: "nodenext", target: "es2022", skipLibCheck: true, outDir: "dist", types: ["node"] },
          include: ["main.ts"],
        },
        null,
        2,
      ),
    );
    writeFileSync(join(project, "main.ts"), PROGRAM);
    // One install: the tarball, and the compiler and Node types this repository pins.
    await run(
      "npm",
      [
        "install",
        ...npmFlags,
        join(work, tarball.filename),
        `typescript@${rootManifest.devDependencies.typescript}`,
        `@types/node@${rootManifest.devDependencies["@types/node"]}`,
      ],
      { cwd: project },
    );

    // The declarations carry the router's and the contract's types themselves.
    const installed = join(project, "node_modules/@scriptorium/client");
    const declarations = readFileSync(join(installed, "dist/index.d.ts"), "utf8");
    expect(declarations).not.toMatch(/@scriptorium\//);
    expect(declarations).toContain("whoami");
    const manifest = JSON.parse(readFileSync(join(installed, "package.json"), "utf8")) as Record<string, unknown>;
    expect(manifest.private).toBeUndefined();
    expect(JSON.stringify(manifest.dependencies)).not.toMatch(/@scriptorium\//);

    const compiled = await run(join(project, "node_modules/.bin/tsc"), ["-p", "."], { cwd: project }).catch((error: { stdout?: string; stderr?: string }) => {
      throw new Error(`tsc failed:\n${error.stdout ?? ""}${error.stderr ?? ""}`);
    });
    expect(compiled.stderr).toBe("");

    // The package's own declarations, checked too. tRPC's are left out: its
    // client's WebSocket-link declarations import the types of \`ws\`, which
    // only a project using that link installs.
    const libraryCheck = await run(join(project, "node_modules/.bin/tsc"), ["-p", ".", "--noEmit", "--skipLibCheck", "false"], { cwd: project }).catch(
      (error: { stdout?: string }) => ({ stdout: error.stdout ?? "" }),
    );
    const errorsInPackage = libraryCheck.stdout.split("\n").filter((line) => line.startsWith("node_modules/@scriptorium/") || line.startsWith("main.ts"));
    expect(errorsInPackage).toEqual([]);

    const ran = await run(process.execPath, ["dist/main.js"], {
      cwd: project,
      env: { ...process.env, SCRIPTORIUM_URL: server.url, SCRIPTORIUM_KEY: server.ownerKey },
      timeout: 60_000,
    });
    const output = JSON.parse(ran.stdout.trim()) as { scope: string; created: string; secretPrefix: string; changes: unknown[]; code: string };
    expect(output).toEqual({
      scope: "owner",
      created: expect.any(String),
      secretPrefix: "scr_",
      changes: [
        { change: "created", key_id: output.created },
        { change: "revoked", key_id: output.created },
      ],
      code: "UNAUTHORIZED",
    });
  });
});
