"use client";

import { LoaderCircleIcon } from "lucide-react";
import type { ReactNode } from "react";
import { FormError } from "@/components/form-error";
import { Button } from "@/components/ui/button";
import { Dialog, DialogClose, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle } from "@/components/ui/dialog";

/**
 * The dialog around a ConfirmDeleteContent. Its children are mounted only while it is open, so each opening starts
 * a fresh mutation: no error or pending state is left over from the last time.
 */
export function ConfirmDeleteDialog({ open, onOpenChange, children }: { open: boolean; onOpenChange: (open: boolean) => void; children: ReactNode }) {
  return (
    <Dialog open={open} onOpenChange={onOpenChange}>
      <DialogContent className="max-w-md">{open ? children : null}</DialogContent>
    </Dialog>
  );
}

interface ConfirmDeleteContentProps {
  /** The question, e.g. Delete “Name”?; it names the dialog. */
  title: ReactNode;
  /** What goes with it, and whether it can be undone. */
  description: ReactNode;
  /** The destructive button's label, e.g. "Delete project". */
  confirmLabel: string;
  /** While the mutation runs: the confirm button is disabled and spins. */
  pending: boolean;
  /** The failed try's error, shown above the buttons; null when there is none. */
  error: unknown;
  onConfirm: () => void;
}

/** Asks before deleting or removing something: the question, what goes with it, the failed try's error, Cancel and the destructive confirm. */
export function ConfirmDeleteContent({ title, description, confirmLabel, pending, error, onConfirm }: ConfirmDeleteContentProps) {
  return (
    <>
      <DialogHeader>
        <DialogTitle>{title}</DialogTitle>
        <DialogDescription>{description}</DialogDescription>
      </DialogHeader>
      <FormError error={error} />
      <DialogFooter>
        <DialogClose asChild>
          <Button variant="outline">Cancel</Button>
        </DialogClose>
        <Button variant="destructive" disabled={pending} onClick={onConfirm}>
          {pending ? <LoaderCircleIcon className="animate-spin" aria-hidden="true" /> : null}
          {confirmLabel}
        </Button>
      </DialogFooter>
    </>
  );
}
