import type { Metadata } from "next";
import { Suspense } from "react";
import { ArtifactView, ArtifactViewSkeleton } from "@/components/collections/artifact-view";

export const metadata: Metadata = { title: "Artifact" };

/**
 * One artifact of a collection, chosen by `?collection=&id=` (and the open
 * file by `&file=`): the static export has no dynamic path segments.
 */
export default function Page() {
  return (
    <Suspense fallback={<ArtifactViewSkeleton />}>
      <ArtifactView />
    </Suspense>
  );
}
