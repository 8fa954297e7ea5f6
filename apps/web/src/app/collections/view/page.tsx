import type { Metadata } from "next";
import { Suspense } from "react";
import { CollectionView, CollectionViewSkeleton } from "@/components/collections/collection-view";

export const metadata: Metadata = { title: "Collection" };

/**
 * One collection, chosen by `?id=`: the dashboard is a static export, so the
 * id travels in the query string rather than a dynamic path segment. Reading
 * it needs a Suspense boundary, which static prerendering fills with the skeleton.
 */
export default function Page() {
  return (
    <Suspense fallback={<CollectionViewSkeleton />}>
      <CollectionView />
    </Suspense>
  );
}
