import type { Scope } from "./trpc";

/** The scopes in rising order; each includes the ones before it (as on the server). */
export const SCOPES = ["read", "write", "admin", "owner"] as const satisfies readonly Scope[];

export const SCOPE_DETAILS: Record<Scope, { label: string; description: string }> = {
  read: { label: "Read", description: "Queries, live updates and downloads" },
  write: { label: "Write", description: "Everything that changes collections and projects" },
  admin: { label: "Admin", description: "Also manages this workspace's API keys" },
  owner: { label: "Owner", description: "Also creates workspaces" },
};

export function scopeIncludes(held: Scope, needed: Scope): boolean {
  return SCOPES.indexOf(held) >= SCOPES.indexOf(needed);
}
