import type { Scope } from "@scriptorium/contract";

export const SCOPE_DETAILS: Record<Scope, { label: string; description: string }> = {
  read: { label: "Read", description: "Queries, live updates and downloads" },
  write: { label: "Write", description: "Everything that changes collections and projects" },
  admin: { label: "Admin", description: "Also manages this workspace's API keys" },
  owner: { label: "Owner", description: "Also creates workspaces" },
};
