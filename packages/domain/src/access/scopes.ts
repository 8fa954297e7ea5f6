/** Scopes in rising order: each includes every scope before it. */
export const SCOPES = ["read", "write", "admin", "owner"] as const;
export type Scope = (typeof SCOPES)[number];

export function scopeIncludes(held: Scope, needed: Scope): boolean {
  return SCOPES.indexOf(held) >= SCOPES.indexOf(needed);
}
