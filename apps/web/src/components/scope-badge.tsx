import { Badge } from "@/components/ui/badge";
import { SCOPE_DETAILS } from "@/lib/scopes";
import type { Scope } from "@/lib/trpc";

const SCOPE_VARIANTS = { read: "secondary", write: "blue", admin: "amber", owner: "violet" } as const satisfies Record<
  Scope,
  "secondary" | "blue" | "amber" | "violet"
>;

export function ScopeBadge({ scope, className }: { scope: Scope; className?: string }) {
  return (
    <Badge variant={SCOPE_VARIANTS[scope]} className={className} title={SCOPE_DETAILS[scope].description}>
      {scope}
    </Badge>
  );
}
