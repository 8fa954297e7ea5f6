import { BookOpenTextIcon } from "lucide-react";
import type { Metadata } from "next";
import { EmptyState } from "@/components/empty-state";
import { PageHeader } from "@/components/page-header";

export const metadata: Metadata = { title: "Projects" };

export default function ProjectsPage() {
  return (
    <>
      <PageHeader
        title="Projects"
        description="Novels written through the 12-stage manuscript pipeline, from high concept to the validated final text."
      />
      <EmptyState icon={BookOpenTextIcon} title="No projects to show">
        This page lists the workspace’s manuscript projects, with each generation job’s live progress by stage and the exports
        built from the text: DOCX, EPUB, PDF, Markdown and plain text.
      </EmptyState>
    </>
  );
}
