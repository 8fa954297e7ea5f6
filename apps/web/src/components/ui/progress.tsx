import type { ComponentProps } from "react";
import { cn } from "@/lib/utils";

interface ProgressProps extends Omit<ComponentProps<"div">, "children"> {
  /** From 0 to 1. */
  value: number;
  /** What is progressing, for screen readers: "Overall progress". */
  label: string;
  /** Classes of the filled part, e.g. a colour for a state. */
  indicatorClassName?: string;
}

/** A progress bar whose value assistive technology (and tests) can read as a percentage. */
export function Progress({ value, label, className, indicatorClassName, ...props }: ProgressProps) {
  const percent = Math.round(Math.min(1, Math.max(0, value)) * 1000) / 10;
  return (
    <div
      role="progressbar"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={percent}
      className={cn("relative h-2 w-full overflow-hidden rounded-full bg-muted", className)}
      {...props}
    >
      <div
        className={cn("h-full rounded-full bg-primary transition-[width] duration-500 ease-out motion-reduce:transition-none", indicatorClassName)}
        style={{ width: `${percent}%` }}
      />
    </div>
  );
}
