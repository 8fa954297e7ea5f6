export { appRouter, createCaller, type AppRouter, type RouterInputs, type RouterOutputs } from "./root";
export type { Context, Meta } from "./trpc";
export { buildOpenApiDocument, REST_BASE_PATH } from "./openapi";
export { errorBody, retryAfterSeconds, type ErrorBody } from "./errors";
export * as schemas from "./schemas";
