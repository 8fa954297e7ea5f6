"use client";

import { ArrowRightIcon, ArrowUpRightIcon, BookOpenTextIcon, FileCode2Icon, KeyRoundIcon, LibraryIcon, type LucideIcon } from "lucide-react";
import Link from "next/link";
import { CopyButton } from "@/components/copy-button";
import { PageHeader } from "@/components/page-header";
import { ScopeBadge } from "@/components/scope-badge";
import { useSession } from "@/components/session-context";
import { Card, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";

interface Destination {
  href: string;
  title: string;
  description: string;
  icon: LucideIcon;
  /** Pages served by the API server rather than the dashboard. */
  external?: boolean;
}

const DESTINATIONS: Destination[] = [
  {
    href: "/collections",
    title: "Collections",
    description: "Skills, commands, agents, hooks, MCP configs and workflows, kept in step with their upstream sources.",
    icon: LibraryIcon,
  },
  {
    href: "/projects",
    title: "Projects",
    description: "Novels through the 12-stage pipeline: watch it live, pause, resume, and export DOCX, EPUB, PDF and more.",
    icon: BookOpenTextIcon,
  },
  {
    href: "/keys",
    title: "API keys",
    description: "Keys for scripts and programs, each with its own scope. Create them here and revoke them at any time.",
    icon: KeyRoundIcon,
  },
  {
    href: "/docs",
    title: "API docs",
    description: "Every REST endpoint with its schemas and errors, from the same router as the dashboard. Try calls in the browser.",
    icon: FileCode2Icon,
    external: true,
  },
];

export function OverviewPage() {
  const session = useSession();
  // Only ever rendered in the browser (behind the session gate), so the origin is known.
  const origin = window.location.origin;
  const snippet = `curl -H "X-API-Key: $SCRIPTORIUM_KEY" ${origin}/api/v1/whoami`;

  return (
    <>
      <PageHeader
        title="Welcome to Scriptorium"
        description={
          <>
            Signed in to the <span className="font-medium text-foreground">{session.workspace.name}</span> workspace with the key{" "}
            <span className="font-medium text-foreground">{session.key.name}</span> <ScopeBadge scope={session.key.scope} className="align-middle" />
          </>
        }
      />

      <ul className="grid gap-4 sm:grid-cols-2">
        {DESTINATIONS.map((destination) => (
          <li key={destination.href} className="grid">
            <DestinationCard destination={destination} />
          </li>
        ))}
      </ul>

      <section aria-labelledby="use-the-api" className="mt-10">
        <h2 id="use-the-api" className="text-lg font-semibold tracking-tight">
          Use the API
        </h2>
        <p className="mt-1 text-sm text-muted-foreground">
          Everything here is also a REST call away. Send an API key in the <code className="font-mono text-xs">X-API-Key</code>{" "}
          header; the OpenAPI document is at{" "}
          <a href="/openapi.json" className="font-medium text-foreground underline underline-offset-4">
            /openapi.json
          </a>
          .
        </p>
        <div className="mt-4 flex items-start gap-2 rounded-lg border bg-muted/40 p-3">
          <pre className="min-w-0 flex-1 py-1.5 font-mono text-xs leading-relaxed break-all whitespace-pre-wrap">
            <code>{snippet}</code>
          </pre>
          <CopyButton value={snippet} label="Copy command" className="bg-background" />
        </div>
        <p className="mt-2 text-xs text-muted-foreground">
          Set <code className="font-mono">SCRIPTORIUM_KEY</code> to a key from{" "}
          <Link href="/keys" className="underline underline-offset-4">
            API keys
          </Link>
          .
        </p>
      </section>
    </>
  );
}

function DestinationCard({ destination }: { destination: Destination }) {
  const { href, title, description, icon: Icon, external } = destination;
  const body = (
    <Card className="h-full gap-3 transition-colors group-hover:border-ring/60 group-hover:bg-accent/40">
      <CardHeader className="gap-3">
        <div className="flex items-center justify-between">
          <span className="flex size-9 items-center justify-center rounded-lg bg-muted">
            <Icon className="size-4.5" aria-hidden="true" />
          </span>
          {external ? (
            <ArrowUpRightIcon className="size-4 text-muted-foreground" aria-hidden="true" />
          ) : (
            <ArrowRightIcon className="size-4 text-muted-foreground transition-transform group-hover:translate-x-0.5" aria-hidden="true" />
          )}
        </div>
        <CardTitle className="text-base">{title}</CardTitle>
        <CardDescription>{description}</CardDescription>
      </CardHeader>
    </Card>
  );
  const linkClass = "group block h-full rounded-xl outline-none focus-visible:ring-[3px] focus-visible:ring-ring/50";
  // The API docs are served by the server itself, not by the dashboard's router.
  return external ? (
    <a href={href} className={linkClass}>
      {body}
    </a>
  ) : (
    <Link href={href} className={linkClass}>
      {body}
    </Link>
  );
}
