import { CompassIcon } from "lucide-react";
import type { Metadata } from "next";
import Link from "next/link";
import { EmptyState } from "@/components/empty-state";
import { Button } from "@/components/ui/button";

export const metadata: Metadata = { title: "Page not found" };

export default function NotFound() {
  return (
    <div className="pt-10">
      <EmptyState icon={CompassIcon} title="Page not found" titleAs="h1">
        <p>There is no dashboard page at this address.</p>
        <Button asChild variant="outline" className="mt-4">
          <Link href="/">Back to the overview</Link>
        </Button>
      </EmptyState>
    </div>
  );
}
