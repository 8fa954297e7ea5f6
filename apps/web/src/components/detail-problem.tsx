import { ArrowLeftIcon } from "lucide-react";
import Link from "next/link";
import { ProblemCard, type ProblemCardProps } from "@/components/problem-card";

/** The list a detail page belongs to, which its back link leads to. */
export interface BackTarget {
  href: string;
  label: string;
}

/** Above a detail page: the way back to its list. */
export function BackLink({ href, label }: BackTarget) {
  return (
    <Link
      href={href}
      className="mb-4 inline-flex items-center gap-1.5 rounded-sm text-sm text-muted-foreground outline-none hover:text-foreground focus-visible:ring-[3px] focus-visible:ring-ring/50"
    >
      <ArrowLeftIcon className="size-4" aria-hidden="true" />
      {label}
    </Link>
  );
}

/** A detail page that cannot be shown: the way back to its list, and a card that says why. */
export function DetailProblem({ back, ...problem }: { back: BackTarget } & Omit<ProblemCardProps, "titleAs">) {
  return (
    <>
      <BackLink {...back} />
      {/* The card is all the page has, so its title is the page's heading. */}
      <ProblemCard titleAs="h1" {...problem} />
    </>
  );
}
