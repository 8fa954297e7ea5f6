import { readFile } from "node:fs/promises";
import type { Plugin } from "esbuild";

/**
 * @trpc/server ships compiled with an object-spread helper (`_objectSpread2`)
 * that copies properties one by one through `in` checks,
 * `Object.defineProperty` and `Object.defineProperties`. tRPC runs it about
 * 25 times per procedure call (every middleware step copies the call
 * options), and on Node 20's V8 these definitions on fresh objects are slow:
 * unpatched, they are the largest single cost of a small authenticated
 * query (docs/benchmarks.md, "The edge").
 *
 * This build step replaces the helper, in the bundled copy of @trpc/server
 * only, with `Object.assign`, which gives the same object whenever assigning
 * and defining agree:
 * - the target is a plain object (otherwise the original helper runs);
 * - spread sources (odd positions) are objects without an own `__proto__`
 *   key (otherwise the original helper copies that source); with
 *   Object.prototype as Node ships it, `__proto__` is the only inherited key
 *   whose assignment differs from its definition;
 * - literal parts (even positions) are the object literals of tRPC's own
 *   code, which have plain data properties only: the build checks that the
 *   bundled modules contain no accessor literal and no `__proto__`.
 * The build fails if the helper or those modules are not as expected.
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

const REPLACEMENT = `function _objectSpread2_original(e) {
	for (var r = 1; r < arguments.length; r++) {
		var t = null != arguments[r] ? arguments[r] : {};
		r % 2 ? ownKeys(Object(t), !0).forEach(function(r) {
			_defineProperty(e, r, t[r]);
		}) : Object.getOwnPropertyDescriptors ? Object.defineProperties(e, Object.getOwnPropertyDescriptors(t)) : ownKeys(Object(t)).forEach(function(r) {
			Object.defineProperty(e, r, Object.getOwnPropertyDescriptor(t, r));
		});
	}
	return e;
}
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

/** Getter or setter syntax (`get name(`, `set name(`) where an object literal or class body could have it, or `__proto__`. */
const ACCESSOR_OR_PROTO = /(?:^|[{,;])\s*(?:static\s+)?(?:get|set)\s+[\w$#]+\s*\(|__proto__/m;

/** Bundled @trpc/server modules get the faster helper; the build fails if the helper is not the expected one. */
export function trpcObjectSpread(): Plugin {
  return {
    name: "trpc-object-spread",
    setup(build) {
      build.onLoad({ filter: /[\\/]node_modules[\\/]@trpc[\\/]server[\\/]dist[\\/].*\.mjs$/ }, async (args) => {
        const source = await readFile(args.path, "utf8");
        if (ACCESSOR_OR_PROTO.test(source)) {
          throw new Error(`${args.path}: has an accessor or __proto__ in an object literal; check trpc-object-spread.ts.`);
        }
        if (!source.includes("function _objectSpread2(")) return undefined;
        if (!source.includes(ORIGINAL)) {
          throw new Error(`${args.path}: tRPC's _objectSpread2 helper changed; check trpc-object-spread.ts against the new one.`);
        }
        return { contents: source.replace(ORIGINAL, REPLACEMENT), loader: "js" };
      });
    },
  };
}
