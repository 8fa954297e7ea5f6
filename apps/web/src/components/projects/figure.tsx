import type { ReactNode } from "react";

/** One labelled figure of a summary (a `<dl>`'s term and value): "Cost $0.42". */
export function Figure({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="grid gap-0.5">
      <dt className="text-xs text-muted-foreground">{label}</dt>
      <dd className="font-medium tabular-nums">{children}</dd>
    </div>
  );
}
