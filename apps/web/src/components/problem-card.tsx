import { RefreshCwIcon } from "lucide-react";
import type { ReactNode } from "react";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";

export interface ProblemCardProps {
  /** A size-8 icon: muted when there is nothing to show, destructive when something failed. */
  icon: ReactNode;
  title: string;
  /** h1 when the card is the whole page (no page header above it). */
  titleAs?: "h1" | "h2";
  /** What happened, in a sentence or two. */
  children: ReactNode;
  /** The way out, e.g. a RetryButton. */
  action?: ReactNode;
}

/** Stands in for content that cannot be shown: why, and what can be done about it. */
export function ProblemCard({ icon, title, titleAs: Title = "h2", children, action }: ProblemCardProps) {
  return (
    <Card className="items-center gap-3 px-6 py-12 text-center">
      {icon}
      <Title className="font-semibold">{title}</Title>
      <p className="max-w-md text-sm text-muted-foreground">{children}</p>
      {action}
    </Card>
  );
}

/** Asks a query that failed to load again. */
export function RetryButton({ onRetry }: { onRetry: () => void }) {
  return (
    <Button variant="outline" onClick={onRetry}>
      <RefreshCwIcon aria-hidden="true" />
      Try again
    </Button>
  );
}
