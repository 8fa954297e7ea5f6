export { appRouter, type AppRouter, type RouterInputs, type RouterOutputs } from "./root";
export type { Context, Meta } from "./trpc";
export { noteRequestIdOfError, runGuarded, SSE_PING_INTERVAL_MS, SSE_RECONNECT_AFTER_INACTIVITY_MS } from "./trpc";
export { buildOpenApiDocument, REST_BASE_PATH } from "./openapi";
export { DATABASE_RETRY_AFTER_SECONDS, errorBody, retryAfterSeconds, type ErrorBody } from "./errors";
export { toFileEdit, toJobStatus, type JobStatusView } from "./serialize";
export * as schemas from "./schemas";
export { ExportFormatInput } from "./export-schemas";
