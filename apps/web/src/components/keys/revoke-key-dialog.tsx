"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { AlertCircleIcon, LoaderCircleIcon } from "lucide-react";
import { toast } from "sonner";
import { useSession } from "@/components/session-context";
import { Button } from "@/components/ui/button";
import { Dialog, DialogClose, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle } from "@/components/ui/dialog";
import { endSession, signOut } from "@/lib/session";
import { errorMessage, useTRPC, type ApiKey } from "@/lib/trpc";

/** Asks before revoking `apiKey` (null: closed); revoking is immediate and cannot be undone. */
export function RevokeKeyDialog({ apiKey, onClose }: { apiKey: ApiKey | null; onClose: () => void }) {
  return (
    <Dialog open={apiKey !== null} onOpenChange={(open) => !open && onClose()}>
      <DialogContent className="max-w-md">{apiKey ? <RevokeConfirmation apiKey={apiKey} onClose={onClose} /> : null}</DialogContent>
    </Dialog>
  );
}

function RevokeConfirmation({ apiKey, onClose }: { apiKey: ApiKey; onClose: () => void }) {
  const session = useSession();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const isSessionKey = apiKey.id === session.key.id;
  const revoke = useMutation(
    trpc.keys.revoke.mutationOptions({
      onSuccess: async () => {
        toast.success(`Revoked “${apiKey.name}”`);
        onClose();
        if (isSessionKey) {
          // The session rode on this key: it is over, here and on the server.
          await signOut().catch(() => undefined);
          endSession(queryClient);
          return;
        }
        await queryClient.invalidateQueries({ queryKey: trpc.keys.list.pathKey() });
      },
    }),
  );

  return (
    <>
      <DialogHeader>
        <DialogTitle>Revoke “{apiKey.name}”?</DialogTitle>
        <DialogDescription>
          Anything still using this key is refused from now on. This cannot be undone; create a new key if you need access again.
        </DialogDescription>
      </DialogHeader>
      {isSessionKey ? (
        <p className="rounded-md border border-amber-200 bg-amber-50 p-3 text-sm text-amber-900 dark:border-amber-900 dark:bg-amber-950 dark:text-amber-200">
          You are signed in with this key: revoking it signs you out.
        </p>
      ) : null}
      {revoke.error ? (
        <p role="alert" className="flex items-start gap-1.5 text-sm text-destructive">
          <AlertCircleIcon className="mt-0.5 size-4 shrink-0" aria-hidden="true" />
          <span>{errorMessage(revoke.error)}</span>
        </p>
      ) : null}
      <DialogFooter>
        <DialogClose asChild>
          <Button variant="outline">Cancel</Button>
        </DialogClose>
        <Button variant="destructive" disabled={revoke.isPending} onClick={() => revoke.mutate({ id: apiKey.id })}>
          {revoke.isPending ? <LoaderCircleIcon className="animate-spin" aria-hidden="true" /> : null}
          Revoke key
        </Button>
      </DialogFooter>
    </>
  );
}
