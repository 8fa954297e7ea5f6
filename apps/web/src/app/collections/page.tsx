import { LibraryIcon } from "lucide-react";
import type { Metadata } from "next";
import { EmptyState } from "@/components/empty-state";
import { PageHeader } from "@/components/page-header";

export const metadata: Metadata = { title: "Collections" };

export default function CollectionsPage() {
  return (
    <>
      <PageHeader
        title="Collections"
        description="Reusable agent artifacts, copied from local folders, git repositories and GitHub, and refreshed when their upstream moves."
      />
      <EmptyState icon={LibraryIcon} title="No collections to show">
        This page lists the workspace’s collections of skills, commands, agents, hooks, MCP server configs and workflows, with
        each artifact’s source, the version it was copied from, and whether upstream has an update.
      </EmptyState>
    </>
  );
}
