/**
 * The router's type as clients see it, written out in full so that the
 * package's declarations stand alone.
 *
 * The server's `AppRouter` carries its context (the domain's services, the
 * database, the LLM providers) and its OpenAPI metadata in its type. A client
 * needs neither, and an outside project could not resolve them: they live in
 * private workspace packages. `publicRouter` maps the router to the same
 * procedures with `ctx` and `meta` set to `object`. Its mapped types are
 * wrapped in conditional types on purpose: a resolved conditional loses its
 * alias name, so the declaration emitted for `_router` below spells out every
 * procedure's input and output instead of naming `AppRouter`. Nothing in this
 * file runs; index.ts imports its type alone.
 */
import type {
  AnyTRPCProcedure,
  AnyTRPCRouter,
  TRPCBuiltRouter,
  TRPCMutationProcedure,
  TRPCQueryProcedure,
  TRPCSubscriptionProcedure,
} from "@trpc/server";
import type { TrackedData } from "@trpc/server/unstable-core-do-not-import";
import type { AppRouter as ServerRouter } from "@scriptorium/api";

/** Spells out an object type (a contract type named by alias, such as a generation event) member by member. */
type Flat<T> = T extends object ? { [K in keyof T]: T[K] } : T;
/** Spells out a type to its leaves: the error shape names an interface of the server's. */
type Plain<T> = T extends readonly (infer E)[] ? Plain<E>[] : T extends object ? { [K in keyof T]: Plain<T[K]> } : T;
type PublicYield<Y> = Y extends TrackedData<infer D> ? TrackedData<Flat<D>> : Flat<Y>;
type PublicOutput<O> = O extends AsyncIterable<infer Y, infer R, infer N> ? AsyncIterable<PublicYield<Y>, R, N> : O;

// The procedure definition is repeated inline rather than named: a named
// alias would be kept in the declarations, and with it the server's types.
type PublicProcedure<P extends AnyTRPCProcedure> = P["_def"]["type"] extends "query"
  ? TRPCQueryProcedure<{ input: P["_def"]["$types"]["input"]; output: PublicOutput<P["_def"]["$types"]["output"]>; meta: object; errorShape: Plain<P["_def"]["$types"]["errorShape"]> }>
  : P["_def"]["type"] extends "mutation"
    ? TRPCMutationProcedure<{ input: P["_def"]["$types"]["input"]; output: PublicOutput<P["_def"]["$types"]["output"]>; meta: object; errorShape: Plain<P["_def"]["$types"]["errorShape"]> }>
    : TRPCSubscriptionProcedure<{ input: P["_def"]["$types"]["input"]; output: PublicOutput<P["_def"]["$types"]["output"]>; meta: object; errorShape: Plain<P["_def"]["$types"]["errorShape"]> }>;

type PublicRecord<R> = R extends object ? { [K in keyof R]: R[K] extends AnyTRPCProcedure ? PublicProcedure<R[K]> : PublicRecord<R[K]> } : never;

declare function publicRouter<R extends AnyTRPCRouter>(
  router: R,
): TRPCBuiltRouter<{ ctx: object; meta: object; errorShape: Plain<R["_def"]["_config"]["$types"]["errorShape"]>; transformer: false }, PublicRecord<R["_def"]["record"]>>;
declare const serverRouter: ServerRouter;
// Never evaluated (this module is imported for its types only): its declared type is the point.
const _router = publicRouter(serverRouter);

/** The Scriptorium API's tRPC router, as its clients see it. */
export type ScriptoriumRouter = typeof _router;
