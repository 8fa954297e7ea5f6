import type { ReactNode } from "react";
import { Label } from "@/components/ui/label";

/** A labelled field with a hint, replaced by the validation error when there is one (both under `${id}-note`, for aria-describedby). */
export function FormField({ id, label, hint, error, children }: { id: string; label: ReactNode; hint: string; error?: string | undefined; children: ReactNode }) {
  return (
    <div className="grid min-w-0 content-start gap-2">
      <Label htmlFor={id}>{label}</Label>
      {children}
      {error ? (
        <p id={`${id}-note`} role="alert" className="text-sm text-destructive">
          {error}
        </p>
      ) : (
        <p id={`${id}-note`} className="text-xs text-muted-foreground">
          {hint}
        </p>
      )}
    </div>
  );
}
