import { AlertCircleIcon } from "lucide-react";
import { errorMessage } from "@/lib/trpc";

/** A failed call's message, announced to screen readers, under the form or dialog that made it. */
export function FormError({ error }: { error: unknown }) {
  if (!error) return null;
  return (
    <p role="alert" className="flex items-start gap-1.5 text-sm text-destructive">
      <AlertCircleIcon className="mt-0.5 size-4 shrink-0" aria-hidden="true" />
      <span className="min-w-0 break-words">{errorMessage(error)}</span>
    </p>
  );
}
