import { readFileSync, writeFileSync } from "node:fs";
import { buildOpenApiDocument } from "@scriptorium/api";

/**
 * `write <file>` regenerates the committed OpenAPI document;
 * `check <file>` fails when the committed copy is out of date.
 */
const [command, file = "openapi.json"] = process.argv.slice(2);
const current = `${JSON.stringify(buildOpenApiDocument(), null, 2)}\n`;

if (command === "write") {
  writeFileSync(file, current);
  process.stdout.write(`wrote ${file}\n`);
} else if (command === "check") {
  let committed = "";
  try {
    committed = readFileSync(file, "utf8");
  } catch {
    // A missing file is simply out of date.
  }
  if (committed !== current) {
    process.stderr.write(`${file} is out of date with the router: run \`npm run openapi\` and commit the result.\n`);
    process.exit(1);
  }
  process.stdout.write(`${file} is up to date\n`);
} else {
  process.stderr.write("usage: openapi-cli write|check <file>\n");
  process.exit(2);
}
