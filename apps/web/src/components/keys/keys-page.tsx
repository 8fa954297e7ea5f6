"use client";

import { scopeIncludes } from "@scriptorium/contract/values";
import { AdminRequired } from "@/components/keys/admin-required";
import { CreateKeyDialog } from "@/components/keys/create-key-dialog";
import { KeysTable } from "@/components/keys/keys-table";
import { PageHeader } from "@/components/page-header";
import { useSession } from "@/components/session-context";

export function KeysPage() {
  const session = useSession();
  const canManageKeys = scopeIncludes(session.key.scope, "admin");
  return (
    <>
      <PageHeader
        title="API keys"
        description="Keys let scripts, programs and this dashboard reach the workspace. A key’s secret is shown once, when it is created; the list shows only its first characters."
        actions={canManageKeys ? <CreateKeyDialog /> : null}
      />
      {canManageKeys ? <KeysTable /> : <AdminRequired />}
    </>
  );
}
