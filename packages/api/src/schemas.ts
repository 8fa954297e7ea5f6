import { z } from "zod";
import { SCOPES } from "@scriptorium/domain";

/** Quotes a rejected value for an error message, never at unbounded length. */
function quote(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

// Validation messages name the rejected value and the accepted ones, so a
// person (or a script's log) can see at once what to change.
z.config({
  customError: (issue) =>
    issue.code === "invalid_value"
      ? `${quote(issue.input)} is not valid: expected one of ${issue.values.map(quote).join(", ")}`
      : undefined,
});

/**
 * One schema per concept, shared by REST, tRPC, the typed client and the
 * dashboard's forms. Field names are snake_case everywhere.
 */

export const Timestamp = z.iso.datetime({ offset: true }).meta({ description: "ISO-8601 timestamp", example: "2026-01-21T09:30:00.000Z" });

export const Scope = z.enum(SCOPES).meta({
  id: "Scope",
  description: "read: queries, subscriptions, downloads; write: everything that changes state; admin: manage the workspace's keys; owner: create workspaces. Each includes the ones before it.",
});

export const Id = z.string().min(1).max(100);

export const ApiKey = z
  .object({
    id: z.string(),
    name: z.string(),
    scope: Scope,
    prefix: z.string().meta({ description: "The key's first characters, for recognising it" }),
    created_at: Timestamp,
  })
  .meta({ id: "ApiKey" });

export const IssuedApiKey = ApiKey.extend({
  key: z.string().meta({ description: "The secret key. Shown in this answer only: store it now." }),
}).meta({ id: "IssuedApiKey" });

export const ApiKeyList = z.object({ items: z.array(ApiKey) }).meta({ id: "ApiKeyList" });

export const CreateApiKeyInput = z.object({
  name: z.string().trim().min(1, "Give the key a name").max(100),
  scope: Scope.default("read"),
});

export const RevokeApiKeyInput = z.object({ id: Id });
export const RevokedApiKey = z.object({ id: z.string(), revoked: z.literal(true) }).meta({ id: "RevokedApiKey" });

export const KeyChange = z
  .object({ change: z.enum(["created", "revoked"]), key_id: z.string() })
  .meta({ id: "KeyChange" });

export const Workspace = z.object({ id: z.string(), name: z.string() }).meta({ id: "Workspace" });

export const CreateWorkspaceInput = z.object({ name: z.string().trim().min(1, "Give the workspace a name").max(100) });
export const CreatedWorkspace = z
  .object({ workspace: Workspace, admin_key: IssuedApiKey })
  .meta({ id: "CreatedWorkspace" });

export const WhoAmI = z
  .object({
    workspace: Workspace,
    key: z.object({ id: z.string(), name: z.string(), scope: Scope, prefix: z.string() }),
  })
  .meta({ id: "WhoAmI" });

/** The body of every REST error (and the shape tRPC clients see in `error.shape`). */
export const ErrorBody = z
  .object({
    code: z.string().meta({ description: "Machine-readable error code, e.g. NOT_FOUND", example: "NOT_FOUND" }),
    message: z.string().meta({ description: "What went wrong, for people" }),
    request_id: z.string().meta({ description: "Echoes X-Request-ID; quote it when reporting a problem" }),
    fields: z
      .array(z.object({ path: z.string(), message: z.string() }))
      .optional()
      .meta({ description: "The offending fields, for validation errors" }),
  })
  .meta({ id: "Error" });
