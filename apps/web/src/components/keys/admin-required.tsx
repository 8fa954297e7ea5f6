"use client";

import { ShieldAlertIcon } from "lucide-react";
import { ScopeBadge } from "@/components/scope-badge";
import { useSession } from "@/components/session-context";
import { Card } from "@/components/ui/card";

/** Shown instead of the key list to a session whose key may not manage keys. */
export function AdminRequired() {
  const session = useSession();
  return (
    <Card className="items-center gap-3 px-6 py-12 text-center">
      <ShieldAlertIcon className="size-8 text-muted-foreground" aria-hidden="true" />
      <h2 className="font-semibold">Managing keys needs an admin key</h2>
      <p className="flex max-w-md flex-wrap items-center justify-center gap-1.5 text-sm text-muted-foreground">
        You are signed in with “{session.key.name}”, a <ScopeBadge scope={session.key.scope} /> key. Sign in with an admin or
        owner key of this workspace to list, create and revoke keys.
      </p>
    </Card>
  );
}
