import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { build } from "tsup";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { trpcBundle } from "./trpc-bundle";

const SERVER_DIR = fileURLToPath(new URL("../../../", import.meta.url));

/** A router built with @trpc/server bundled the way the server's build bundles it. */
const ENTRY = `
import { initTRPC } from "@trpc/server";
import { z } from "zod";

const t = initTRPC.create();
export const calls = { parse: 0, parseAsync: 0 };

/** Counts which of its parse methods tRPC calls. */
function counted(schema) {
  const { parse, parseAsync } = schema;
  schema.parse = (...args) => { calls.parse += 1; return parse.apply(schema, args); };
  schema.parseAsync = (...args) => { calls.parseAsync += 1; return parseAsync.apply(schema, args); };
  return schema;
}

const Doubled = counted(z.object({ doubled: z.number() }));
const positive = z.number().refine(async (n) => n > 0, "must be positive");

const router = t.router({
  double: t.procedure.input(counted(z.object({ n: z.number() }))).output(Doubled).query(({ input }) => ({ doubled: input.n * 2 })),
  asyncCheck: t.procedure.input(counted(z.object({ n: positive }))).query(({ input }) => input.n),
  wrongOutput: t.procedure.output(Doubled).query(() => ({ doubled: "two" })),
});
export const caller = t.createCallerFactory(router)({});
`;

interface BundledRouter {
  calls: { parse: number; parseAsync: number };
  caller: {
    double(input: unknown): Promise<{ doubled: number }>;
    asyncCheck(input: unknown): Promise<number>;
    wrongOutput(): Promise<unknown>;
  };
}

describe("the bundled @trpc/server", () => {
  let dir: string;
  let bundle: string;
  let router: BundledRouter;

  beforeAll(async () => {
    // Inside the package, so that the bundle's external imports (zod) resolve as the server's do.
    dir = mkdtempSync(join(SERVER_DIR, ".trpc-bundle-test-"));
    writeFileSync(join(dir, "entry.ts"), ENTRY);
    await build({
      entry: { router: join(dir, "entry.ts") },
      format: ["esm"],
      platform: "node",
      target: "node20",
      outDir: join(dir, "out"),
      silent: true,
      noExternal: [/^@trpc\/server(\/|$)/],
      external: ["zod"],
      esbuildPlugins: [trpcBundle()],
    });
    bundle = readFileSync(join(dir, "out", "router.js"), "utf8");
    router = (await import(pathToFileURL(join(dir, "out", "router.js")).href)) as BundledRouter;
  }, 60_000);

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("has the faster object-spread helper and synchronous validation", () => {
    expect(bundle).toContain("function _objectSpread2_original(");
    expect(bundle).toContain("function parseSyncFirst(");
  });

  it("validates input and output with zod's synchronous parse", async () => {
    router.calls.parse = 0;
    router.calls.parseAsync = 0;
    await expect(router.caller.double({ n: 2 })).resolves.toEqual({ doubled: 4 });
    expect(router.calls).toEqual({ parse: 2, parseAsync: 0 });
  });

  it("refuses bad input and bad output as tRPC does", async () => {
    await expect(router.caller.double({ n: "2" })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(router.caller.wrongOutput()).rejects.toMatchObject({ code: "INTERNAL_SERVER_ERROR", message: "Output validation failed" });
  });

  it("parses a schema with an asynchronous check asynchronously", async () => {
    router.calls.parseAsync = 0;
    await expect(router.caller.asyncCheck({ n: 3 })).resolves.toBe(3);
    await expect(router.caller.asyncCheck({ n: -3 })).rejects.toMatchObject({ code: "BAD_REQUEST", message: expect.stringContaining("must be positive") });
    expect(router.calls.parseAsync).toBe(2);
  });
});
