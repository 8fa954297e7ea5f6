import { z } from "zod";
import { SCOPES } from "./values";

export const Scope = z.enum(SCOPES).meta({
  id: "Scope",
  description: "read: queries, subscriptions, downloads; write: everything that changes state; admin: manage the workspace's keys; owner: create workspaces. Each includes the ones before it.",
});
export type Scope = z.infer<typeof Scope>;

export const CreateApiKeyInput = z.object({
  name: z.string().trim().min(1, "Give the key a name.").max(100, "Keep the name to 100 characters or fewer."),
  scope: Scope.default("read"),
});
export type CreateApiKeyInput = z.output<typeof CreateApiKeyInput>;
