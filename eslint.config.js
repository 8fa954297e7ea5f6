import js from "@eslint/js";
import tseslint from "typescript-eslint";

/**
 * The packages in layers, each importing only those below it:
 * contract ← db ← domain ← api ← server, web, client. Web and client reach
 * the API for its types alone (the router runs only in the server).
 */
const LAYERS = [
  { files: ["packages/contract/**"], forbidden: ["db", "domain", "api", "client", "server", "web"] },
  { files: ["packages/db/**"], forbidden: ["domain", "api", "client", "server", "web"] },
  { files: ["packages/domain/**"], forbidden: ["api", "client", "server", "web"] },
  { files: ["packages/api/**"], forbidden: ["db", "client", "server", "web"] },
  { files: ["packages/client/**", "apps/web/**"], forbidden: ["db", "domain", "server"], typesOnly: ["api"] },
  // The command line is a client too: its tarball bundles the client and the contract, never the server's code.
  { files: ["apps/cli/**"], forbidden: ["db", "domain", "server"], typesOnly: ["api"] },
];

function layerRule({ files, forbidden, typesOnly = [] }) {
  const pattern = (name) => ({ group: [`@scriptorium/${name}`, `@scriptorium/${name}/*`], message: `@scriptorium/${name} is not below this package (contract ← db ← domain ← api ← server, web, client).` });
  const typePattern = (name) => ({ ...pattern(name), message: `Only types may come from @scriptorium/${name} here: the router runs in the server alone.`, allowTypeImports: true });
  return {
    files,
    rules: { "@typescript-eslint/no-restricted-imports": ["error", { patterns: [...forbidden.map(pattern), ...typesOnly.map(typePattern)] }] },
  };
}

export default tseslint.config(
  { ignores: ["**/dist/**", "**/.next/**", "**/out/**", "**/node_modules/**", "**/drizzle/**"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      "@typescript-eslint/no-explicit-any": "error",
      "@typescript-eslint/no-non-null-assertion": "error",
      "@typescript-eslint/consistent-type-imports": "error",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
    },
  },
  ...LAYERS.map(layerRule),
);
