import { FeatherIcon } from "lucide-react";
import { cn } from "@/lib/utils";

/** The product mark: a quill on an ink-dark tile. */
export function BrandMark({ className }: { className?: string }) {
  return (
    <span
      className={cn("inline-flex size-8 shrink-0 items-center justify-center rounded-lg bg-primary text-primary-foreground", className)}
      aria-hidden="true"
    >
      <FeatherIcon className="size-4 text-brand" />
    </span>
  );
}

export function BrandName({ className }: { className?: string }) {
  return <span className={cn("text-base font-semibold tracking-tight", className)}>Scriptorium</span>;
}
