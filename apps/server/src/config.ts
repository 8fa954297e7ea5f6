import { availableParallelism } from "node:os";
import { isAbsolute, resolve } from "node:path";
import { z } from "zod";

const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;

const EnvSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65_535).default(3000),
  HOST: z.string().min(1).default("127.0.0.1"),
  SCRIPTORIUM_DATA_DIR: z.string().min(1).default("./.scriptorium"),
  /**
   * The folders local sources may be read from, `:`-separated like PATH; each
   * must be absolute, since a relative one would depend on where the process
   * was started. Unset: any folder but the data directory.
   */
  SCRIPTORIUM_LOCAL_ROOTS: z
    .string()
    .superRefine((value, ctx) => {
      const bad = value.split(":").find((folder) => !isAbsolute(folder));
      if (bad === undefined) return;
      ctx.addIssue({ code: "custom", message: `must list absolute folders separated by ":" (${bad === "" ? "it has an empty entry" : `"${bad}" is not absolute`})` });
    })
    .transform((value) => value.split(":").map((folder) => resolve(folder)))
    .optional(),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, "must be a postgres:// or postgresql:// URL")
    .optional(),
  SCRIPTORIUM_BOOTSTRAP_KEY: z.string().min(16, "must be at least 16 characters long").optional(),
  LOG_LEVEL: z.enum(LOG_LEVELS).default("info"),
  GITHUB_TOKEN: z.string().optional(),
  /** Where GitHub sources are fetched from (a GitHub Enterprise host, or a mirror). */
  SCRIPTORIUM_GITHUB_URL: z.url({ protocol: /^(https?|file)$/ }).default("https://github.com"),
  /** Directory of the built dashboard; `off` serves the API alone. */
  SCRIPTORIUM_DASHBOARD: z.string().optional(),
  /** Generation jobs this process runs at once; 0 makes an API-only node. */
  SCRIPTORIUM_WORKERS: z.coerce.number().int().min(0).max(64).default(2),
  /** Requests per minute each API key may make (bursts up to that many); 0 turns limiting off. */
  SCRIPTORIUM_RATE_LIMIT: z.coerce.number().int().min(0).max(1_000_000).default(6_000),
  /** How long a job stays with a worker that stopped renewing its claim (it died) before another worker continues it. */
  SCRIPTORIUM_JOB_LEASE_SECONDS: z.coerce.number().int().min(2).max(600).default(15),
  /** Worker threads for export builds and the offline writer's stages; default one per CPU core but one, which the event loop keeps. */
  SCRIPTORIUM_THREADS: z.coerce.number().int().min(1).max(64).optional(),
  /** `off` stores artifacts without the security review (no findings, nothing held back): only for measuring what the review costs. */
  SCRIPTORIUM_SECURITY_REVIEW: z.enum(["on", "off"]).default("on"),
  /** How long a process starting beside PostgreSQL waits for it to answer before giving up; 0 gives up at once. */
  SCRIPTORIUM_DB_WAIT_SECONDS: z.coerce.number().int().min(0).max(3_600).default(60),
  OPENAI_API_KEY: z.string().optional(),
  ANTHROPIC_API_KEY: z.string().optional(),
  /** Any OpenAI-compatible server (Ollama, vLLM, llama.cpp), e.g. http://127.0.0.1:11434/v1. */
  SCRIPTORIUM_LLM_BASE_URL: z.url({ protocol: /^https?$/ }).optional(),
  /** The key of that server, for the ones that want one (never OPENAI_API_KEY, which belongs to OpenAI). */
  SCRIPTORIUM_LLM_API_KEY: z.string().optional(),
});

export interface Config {
  port: number;
  host: string;
  dataDir: string;
  /** Absolute folders local sources must lie in; null for any folder (the data directory is never read either way). */
  localRoots: string[] | null;
  databaseUrl: string | undefined;
  bootstrapKey: string | undefined;
  logLevel: (typeof LOG_LEVELS)[number];
  githubToken: string | undefined;
  githubBaseUrl: string;
  /** How long one git command may run; not read from the environment (default 60 s), tests shorten it. */
  gitTimeoutMs?: number | undefined;
  /** Absolute path of the dashboard's static build, or null to serve no dashboard. */
  dashboardDir: string | null;
  workers: number;
  /** Worker threads that build exports and run the offline writer. */
  threads: number;
  /** Review every stored and incoming artifact file. */
  securityReview: boolean;
  jobLeaseSeconds: number;
  /** How long to wait at start for a PostgreSQL server that does not answer yet. */
  dbWaitSeconds: number;
  requestsPerMinute: number;
  llm: { openaiApiKey: string | undefined; anthropicApiKey: string | undefined; llmBaseUrl: string | undefined; llmApiKey: string | undefined };
}

export class ConfigError extends Error {
  override name = "ConfigError";
}

/** Reads the environment once at start; a bad value stops the process with a message naming it. */
export function loadConfig(env: NodeJS.ProcessEnv, defaultDashboardDir: string | null): Config {
  // Empty strings count as unset, as a shell `VAR= npm start` intends.
  const present = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value !== ""));
  const parsed = EnvSchema.safeParse(present);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join(".")} ${issue.message}`).join("; ");
    throw new ConfigError(`Invalid configuration: ${problems}`);
  }
  const e = parsed.data;
  const dashboard = e.SCRIPTORIUM_DASHBOARD;
  return {
    port: e.PORT,
    host: e.HOST,
    dataDir: resolve(e.SCRIPTORIUM_DATA_DIR),
    localRoots: e.SCRIPTORIUM_LOCAL_ROOTS ?? null,
    databaseUrl: e.DATABASE_URL,
    bootstrapKey: e.SCRIPTORIUM_BOOTSTRAP_KEY,
    logLevel: e.LOG_LEVEL,
    githubToken: e.GITHUB_TOKEN,
    githubBaseUrl: e.SCRIPTORIUM_GITHUB_URL,
    dashboardDir: dashboard === "off" ? null : dashboard ? resolve(dashboard) : defaultDashboardDir,
    workers: e.SCRIPTORIUM_WORKERS,
    threads: e.SCRIPTORIUM_THREADS ?? Math.max(1, availableParallelism() - 1),
    securityReview: e.SCRIPTORIUM_SECURITY_REVIEW === "on",
    jobLeaseSeconds: e.SCRIPTORIUM_JOB_LEASE_SECONDS,
    dbWaitSeconds: e.SCRIPTORIUM_DB_WAIT_SECONDS,
    requestsPerMinute: e.SCRIPTORIUM_RATE_LIMIT,
    llm: { openaiApiKey: e.OPENAI_API_KEY, anthropicApiKey: e.ANTHROPIC_API_KEY, llmBaseUrl: e.SCRIPTORIUM_LLM_BASE_URL, llmApiKey: e.SCRIPTORIUM_LLM_API_KEY },
  };
}
