"use client";

import { Tooltip, TooltipContent, TooltipTrigger } from "@/components/ui/tooltip";
import { formatExact, formatRelative } from "@/lib/time";
import { useNow } from "@/lib/use-now";
import { cn } from "@/lib/utils";

/** "5 minutes ago", with the exact date and time in a tooltip that keyboard users can reach too. */
export function RelativeTime({ value, className }: { value: string; className?: string }) {
  const now = useNow(60_000);
  const date = new Date(value);
  return (
    <Tooltip>
      <TooltipTrigger asChild>
        <time
          dateTime={value}
          tabIndex={0}
          className={cn("cursor-default rounded-sm outline-none focus-visible:ring-[3px] focus-visible:ring-ring/50", className)}
        >
          {formatRelative(date, now)}
        </time>
      </TooltipTrigger>
      <TooltipContent>{formatExact(date)}</TooltipContent>
    </Tooltip>
  );
}
