import type { Metadata } from "next";
import { Suspense } from "react";
import { ProjectView, ProjectViewSkeleton } from "@/components/projects/project-view";

export const metadata: Metadata = { title: "Project" };

/**
 * One project, chosen by `?id=`: the dashboard is a static export, so the
 * id travels in the query string rather than a dynamic path segment. Reading
 * it needs a Suspense boundary, which static prerendering fills with the skeleton.
 */
export default function Page() {
  return (
    <Suspense fallback={<ProjectViewSkeleton />}>
      <ProjectView />
    </Suspense>
  );
}
