import { readFile } from "node:fs/promises";
import type { Plugin } from "esbuild";

/**
 * Two changes to the bundled copy of @trpc/server (and only to it), each
 * measured by `npm run bench` against the published package
 * (docs/benchmarks.md, "The edge"). The build fails if the code they replace
 * is not exactly what they expect.
 *
 * **The object-spread helper.** @trpc/server ships compiled with a helper
 * (`_objectSpread2`) that copies properties one by one through `in` checks,
 * `Object.defineProperty` and `Object.defineProperties`. tRPC runs it about
 * 25 times per procedure call (every middleware step copies the call
 * options), and on Node 20's V8 these definitions on fresh objects are slow:
 * unpatched, they are the largest single cost of a small authenticated
 * query. The helper becomes `Object.assign`, which gives the same object
 * whenever assigning and defining agree:
 * - the target is a plain object (otherwise the original helper runs);
 * - spread sources (odd positions) are objects without an own `__proto__`
 *   key (otherwise the original helper copies that source); with
 *   Object.prototype as Node ships it, `__proto__` is the only inherited key
 *   whose assignment differs from its definition;
 * - literal parts (even positions) are the object literals of tRPC's own
 *   code, which have plain data properties only: the build checks that the
 *   bundled modules contain no accessor literal and no `__proto__`.
 *
 * **Synchronous validation.** tRPC validates every input and output with a
 * schema's `parseAsync` when it has one. zod runs its compiled fast path for
 * objects only in a synchronous parse, so `parseAsync` takes the slow
 * generic path for every object of every call. A zod schema is now parsed
 * with `parse`; only when zod reports that the schema needs asynchronous
 * parsing (an async refinement or transform, which Scriptorium's schemas do
 * not have) is it parsed again with `parseAsync`. Results and errors are the
 * same: tRPC awaits the parser's result inside the same `try`, so a thrown
 * error and a rejected promise end alike.
 */
const ORIGINAL = `function _objectSpread2(e) {
	for (var r = 1; r < arguments.length; r++) {
		var t = null != arguments[r] ? arguments[r] : {};
		r % 2 ? ownKeys(Object(t), !0).forEach(function(r) {
			_defineProperty(e, r, t[r]);
		}) : Object.getOwnPropertyDescriptors ? Object.defineProperties(e, Object.getOwnPropertyDescriptors(t)) : ownKeys(Object(t)).forEach(function(r) {
			Object.defineProperty(e, r, Object.getOwnPropertyDescriptor(t, r));
		});
	}
	return e;
}`;

/** The original helper, renamed, for the cases `Object.assign` would not copy alike; then the faster one. */
const REPLACEMENT = `${ORIGINAL.replace("function _objectSpread2(", "function _objectSpread2_original(")}
var spreadHasOwn = Object.prototype.hasOwnProperty;
function _objectSpread2(e) {
	if (Object.getPrototypeOf(e) !== Object.prototype) return _objectSpread2_original.apply(this, arguments);
	for (var r = 1; r < arguments.length; r++) {
		var t = arguments[r];
		if (t == null) continue;
		if (r % 2 === 1 && (typeof t !== "object" || spreadHasOwn.call(t, "__proto__"))) _objectSpread2_original(e, t);
		else Object.assign(e, t);
	}
	return e;
}`;

const PARSE_ASYNC_FIRST = `\tif (typeof parser.parseAsync === "function") return parser.parseAsync.bind(parser);\n`;

const PARSE_SYNC_FIRST = `\tif (typeof parser.parseAsync === "function" && typeof parser.parse === "function" && "_zod" in parser) return parseSyncFirst(parser);
\tif (typeof parser.parseAsync === "function") return parser.parseAsync.bind(parser);
`;

/** Added once to the module that holds getParseFn. */
const PARSE_SYNC_FIRST_HELPER = `
import { $ZodAsyncError as ScriptoriumZodAsyncError } from "zod/v4/core";
function parseSyncFirst(schema) {
\treturn (value) => {
\t\ttry {
\t\t\treturn schema.parse(value);
\t\t} catch (error) {
\t\t\tif (error instanceof ScriptoriumZodAsyncError) return schema.parseAsync(value);
\t\t\tthrow error;
\t\t}
\t};
}
`;

/** Getter or setter syntax (`get name(`, `set name(`) where an object literal or class body could have it, or `__proto__`. */
const ACCESSOR_OR_PROTO = /(?:^|[{,;])\s*(?:static\s+)?(?:get|set)\s+[\w$#]+\s*\(|__proto__/m;

/** Replaces `original` in `source`, which must hold it exactly once. */
function replaceOnce(path: string, source: string, original: string, replacement: string, what: string): string {
  const at = source.indexOf(original);
  if (at === -1 || source.indexOf(original, at + 1) !== -1) {
    throw new Error(`${path}: tRPC's ${what} changed; check trpc-bundle.ts against the new one.`);
  }
  return source.slice(0, at) + replacement + source.slice(at + original.length);
}

/** The bundled @trpc/server modules with both changes; the build fails if the code they replace is not the expected one. */
export function trpcBundle(): Plugin {
  return {
    name: "trpc-bundle",
    setup(build) {
      build.onLoad({ filter: /[\\/]node_modules[\\/]@trpc[\\/]server[\\/]dist[\\/].*\.mjs$/ }, async (args) => {
        let source = await readFile(args.path, "utf8");
        if (ACCESSOR_OR_PROTO.test(source)) {
          throw new Error(`${args.path}: has an accessor or __proto__ in an object literal; check trpc-bundle.ts.`);
        }
        const hasSpread = source.includes("function _objectSpread2(");
        const hasParseFn = source.includes("function getParseFn(");
        if (!hasSpread && !hasParseFn) return undefined;
        if (hasSpread) source = replaceOnce(args.path, source, ORIGINAL, REPLACEMENT, "_objectSpread2 helper");
        if (hasParseFn) source = replaceOnce(args.path, source, PARSE_ASYNC_FIRST, PARSE_SYNC_FIRST, "getParseFn") + PARSE_SYNC_FIRST_HELPER;
        return { contents: source, loader: "js" };
      });
    },
  };
}
