"use client";

import { EyeIcon } from "lucide-react";
import type { ComponentProps, MouseEvent } from "react";
import { scopeIncludes } from "@scriptorium/contract/values";
import { useSession } from "@/components/session-context";
import { Button } from "@/components/ui/button";
import { Tooltip, TooltipContent, TooltipTrigger } from "@/components/ui/tooltip";
import { cn } from "@/lib/utils";

const READ_ONLY_HINT = "Needs a write key: this session’s key can only read.";

/** Whether the session's key may change collections (the server refuses a read key with 403). */
export function useCanWrite(): boolean {
  const session = useSession();
  return scopeIncludes(session.key.scope, "write");
}

/**
 * A button for an action that changes state. For a read key it stays visible
 * and focusable (aria-disabled rather than disabled) so its tooltip can say
 * why it does nothing.
 */
export function WriteButton({ className, onClick, ...props }: ComponentProps<typeof Button>) {
  const canWrite = useCanWrite();
  if (canWrite) return <Button className={className} onClick={onClick} {...props} />;
  return (
    <Tooltip>
      <TooltipTrigger asChild>
        <Button
          {...props}
          aria-disabled="true"
          className={cn(className, "cursor-not-allowed opacity-50")}
          onClick={(event: MouseEvent<HTMLButtonElement>) => event.preventDefault()}
        />
      </TooltipTrigger>
      <TooltipContent>{READ_ONLY_HINT}</TooltipContent>
    </Tooltip>
  );
}

/** Above a form whose fields are disabled for a read key. */
export function ReadOnlyNotice({ children }: { children: string }) {
  return (
    <p className="flex items-start gap-2 rounded-md border bg-muted/40 p-3 text-sm text-muted-foreground">
      <EyeIcon className="mt-0.5 size-4 shrink-0" aria-hidden="true" />
      <span>{children}</span>
    </p>
  );
}
