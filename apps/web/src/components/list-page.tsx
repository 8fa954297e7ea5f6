import type { InfiniteData, UseInfiniteQueryResult } from "@tanstack/react-query";
import { AlertCircleIcon, ArrowRightIcon, type LucideIcon } from "lucide-react";
import Link from "next/link";
import type { ReactNode } from "react";
import { EmptyState } from "@/components/empty-state";
import { LoadMore } from "@/components/load-more";
import { PageHeader } from "@/components/page-header";
import { ProblemCard, RetryButton } from "@/components/problem-card";
import { Card } from "@/components/ui/card";
import { loadedItems, type Paged } from "@/lib/paging";
import { errorMessage } from "@/lib/trpc";

/** The grid of cards, shared by the skeleton so nothing moves when the items arrive. */
const CARD_GRID = "grid gap-4 sm:grid-cols-2 lg:grid-cols-3";

interface ListPageProps<Item extends { id: string }> {
  /** The page's heading, and the accessible name of its list. */
  title: string;
  description: string;
  /** The query that loads the items, a page at a time. */
  list: UseInfiniteQueryResult<InfiniteData<Paged<Item>>, unknown>;
  /** What one item is called, for "Showing 50 of 120 projects". */
  noun: string;
  /** Creates an item: beside the heading once there are items, in the empty state before the first. */
  createButton: ReactNode;
  /** Told to screen readers while the items load, e.g. "Loading projects…". */
  loadingLabel: string;
  /** The inside of a skeleton card, shaped like an item's card. */
  skeletonCard: ReactNode;
  /** The heading of the card shown when the items could not be loaded. */
  errorTitle: string;
  /** Shown instead of the list before the first item is created. */
  empty: { icon: LucideIcon; title: string; description: ReactNode };
  /** One item's card, a ListCard. */
  renderItem: (item: Item) => ReactNode;
}

/** A page that lists one kind of item as a grid of cards, from loading (or failing to) to the empty start. */
export function ListPage<Item extends { id: string }>({
  title,
  description,
  list,
  noun,
  createButton,
  loadingLabel,
  skeletonCard,
  errorTitle,
  empty,
  renderItem,
}: ListPageProps<Item>) {
  const items = loadedItems(list.data);
  return (
    <>
      <PageHeader title={title} description={description} actions={items.length > 0 ? createButton : null} />
      {list.isPending ? (
        <ListSkeleton loadingLabel={loadingLabel} card={skeletonCard} />
      ) : list.isError ? (
        <ProblemCard
          icon={<AlertCircleIcon className="size-8 text-destructive" aria-hidden="true" />}
          title={errorTitle}
          action={<RetryButton onRetry={() => void list.refetch()} />}
        >
          {errorMessage(list.error)}
        </ProblemCard>
      ) : items.length === 0 ? (
        <EmptyState icon={empty.icon} title={empty.title} action={createButton}>
          {empty.description}
        </EmptyState>
      ) : (
        <>
          <ul className={CARD_GRID} aria-label={title}>
            {items.map((item) => (
              <li key={item.id} className="grid">
                {renderItem(item)}
              </li>
            ))}
          </ul>
          <LoadMore list={list} noun={noun} />
        </>
      )}
    </>
  );
}

/**
 * An item's card on a ListPage: its name is the link to its page.
 * The link covers the whole card; anything in `children` that must stay interactive (a tooltip) needs `relative`.
 */
export function ListCard({ href, name, children }: { href: string; name: string; children: ReactNode }) {
  return (
    <Card className="relative h-full gap-3 p-5 transition-colors focus-within:border-ring/60 hover:border-ring/60 hover:bg-accent/40">
      <div className="flex items-start justify-between gap-3">
        <h2 className="min-w-0 font-semibold break-words">
          {/* The link covers the whole card (its ::after), so the card is one click target and one tab stop. */}
          <Link
            href={href}
            className="outline-none after:absolute after:inset-0 after:rounded-xl focus-visible:after:ring-[3px] focus-visible:after:ring-ring/50"
          >
            {name}
          </Link>
        </h2>
        <ArrowRightIcon className="mt-0.5 size-4 shrink-0 text-muted-foreground" aria-hidden="true" />
      </div>
      {children}
    </Card>
  );
}

function ListSkeleton({ loadingLabel, card }: { loadingLabel: string; card: ReactNode }) {
  return (
    <div aria-busy="true">
      <p className="sr-only" role="status">
        {loadingLabel}
      </p>
      <div className={CARD_GRID} aria-hidden="true">
        {[0, 1, 2].map((key) => (
          <Card key={key} className="gap-3 p-5">
            {card}
          </Card>
        ))}
      </div>
    </div>
  );
}
