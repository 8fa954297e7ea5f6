import type { LucideIcon } from "lucide-react";
import type { ReactNode } from "react";
import { Card } from "@/components/ui/card";

interface EmptyStateProps {
  icon: LucideIcon;
  title: string;
  /** h1 when the empty state is the whole page (no page header above it). */
  titleAs?: "h1" | "h2";
  children: ReactNode;
  /** The next step, e.g. a button that creates the first item. */
  action?: ReactNode;
}

export function EmptyState({ icon: Icon, title, titleAs: Title = "h2", children, action }: EmptyStateProps) {
  return (
    <Card className="items-center gap-3 border-dashed px-6 py-16 text-center shadow-none">
      <span className="flex size-12 items-center justify-center rounded-full bg-muted">
        <Icon className="size-6 text-muted-foreground" aria-hidden="true" />
      </span>
      <Title className="font-semibold">{title}</Title>
      <div className="max-w-md text-sm text-balance text-muted-foreground">{children}</div>
      {action ? <div className="mt-2">{action}</div> : null}
    </Card>
  );
}
