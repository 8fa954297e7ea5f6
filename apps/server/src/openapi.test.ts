import { readFileSync } from "node:fs";
import SwaggerParser from "@apidevtools/swagger-parser";
import { describe, expect, it } from "vitest";
import { buildOpenApiDocument } from "@scriptorium/api";

const COMMITTED = new URL("../../../openapi.json", import.meta.url);

describe("the OpenAPI document", () => {
  const document = buildOpenApiDocument();

  it("is a valid OpenAPI 3.1 document", async () => {
    // validate() dereferences in place: give it a copy.
    const validated = (await SwaggerParser.validate(structuredClone(document) as never)) as { openapi?: string };
    expect(validated.openapi).toBe("3.1.0");
  });

  it("documents the contract's key and workspace operations", () => {
    const paths = document.paths ?? {};
    expect(Object.keys(paths)).toEqual(expect.arrayContaining(["/v1/keys", "/v1/keys/{id}", "/v1/workspaces", "/v1/whoami"]));
    expect(Object.keys(paths["/v1/keys"] ?? {})).toEqual(expect.arrayContaining(["get", "post"]));
    expect(document.servers).toEqual([{ url: "/api" }]);
  });

  it("documents the one error body for every error status", () => {
    for (const [path, item] of Object.entries(document.paths ?? {})) {
      for (const [method, operation] of Object.entries(item as Record<string, { responses: Record<string, { content?: Record<string, { schema: unknown }> }> }>)) {
        const errors = Object.entries(operation.responses).filter(([status]) => Number(status) >= 400);
        expect(errors.map(([status]) => status), `${method} ${path}`).toEqual(expect.arrayContaining(["401", "403", "500"]));
        for (const [status, response] of errors) {
          expect(response.content?.["application/json"]?.schema, `${method} ${path} ${status}`).toEqual({ $ref: "#/components/schemas/Error" });
        }
      }
    }
  });

  it("matches the committed openapi.json (run `npm run openapi` after changing the router)", () => {
    const committed = readFileSync(COMMITTED, "utf8");
    expect(committed).toBe(`${JSON.stringify(document, null, 2)}\n`);
  });
});
