"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import {
  ArrowUpRightIcon,
  BookOpenTextIcon,
  FileCode2Icon,
  KeyRoundIcon,
  LayoutDashboardIcon,
  LibraryIcon,
  LogOutIcon,
  MenuIcon,
  XIcon,
  type LucideIcon,
} from "lucide-react";
import Link from "next/link";
import { usePathname } from "next/navigation";
import { useState, type ReactNode } from "react";
import { toast } from "sonner";
import { BrandMark, BrandName } from "@/components/brand";
import { ScopeBadge } from "@/components/scope-badge";
import { useSession } from "@/components/session-context";
import { Button } from "@/components/ui/button";
import { endSession, signOut } from "@/lib/session";
import { cn } from "@/lib/utils";

interface NavItem {
  href: string;
  label: string;
  icon: LucideIcon;
}

const NAV_ITEMS: NavItem[] = [
  { href: "/", label: "Overview", icon: LayoutDashboardIcon },
  { href: "/collections", label: "Collections", icon: LibraryIcon },
  { href: "/projects", label: "Projects", icon: BookOpenTextIcon },
  { href: "/keys", label: "API keys", icon: KeyRoundIcon },
];

const navLinkClass =
  "flex items-center gap-3 rounded-md px-3 py-2 text-sm font-medium text-muted-foreground transition-colors outline-none hover:bg-accent hover:text-foreground focus-visible:ring-[3px] focus-visible:ring-ring/50 [&_svg]:size-4 [&_svg]:shrink-0";

/** The frame around every signed-in page: a sidebar on wide screens, a top bar with a menu on narrow ones. */
export function AppShell({ children }: { children: ReactNode }) {
  const [menuOpen, setMenuOpen] = useState(false);
  const closeMenu = () => setMenuOpen(false);

  return (
    <div className="min-h-dvh md:grid md:grid-cols-[16rem_minmax(0,1fr)]">
      <aside className="sticky top-0 hidden h-dvh flex-col border-r bg-sidebar md:flex">
        <BrandLink className="h-16 px-5" />
        <Navigation className="flex-1 px-3 py-2" />
        <SessionPanel className="border-t p-4" />
      </aside>

      <header className="sticky top-0 z-40 border-b bg-background/95 backdrop-blur md:hidden">
        <div className="flex h-14 items-center justify-between px-4">
          <BrandLink onNavigate={closeMenu} />
          <Button
            variant="ghost"
            size="icon"
            className="[&_svg]:size-5"
            aria-label={menuOpen ? "Close navigation" : "Open navigation"}
            aria-expanded={menuOpen}
            aria-controls="mobile-navigation"
            onClick={() => setMenuOpen((open) => !open)}
          >
            {menuOpen ? <XIcon aria-hidden="true" /> : <MenuIcon aria-hidden="true" />}
          </Button>
        </div>
        {menuOpen ? (
          <div id="mobile-navigation" className="border-t bg-background pb-2 animate-fade-in">
            <Navigation className="px-2 py-2" onNavigate={closeMenu} />
            <SessionPanel className="mx-4 border-t pt-3" />
          </div>
        ) : null}
      </header>

      <main className="min-w-0 px-4 py-6 sm:px-6 lg:px-10 lg:py-10">
        <div className="mx-auto w-full max-w-5xl">{children}</div>
      </main>
    </div>
  );
}

function BrandLink({ className, onNavigate }: { className?: string; onNavigate?: () => void }) {
  return (
    <Link href="/" onClick={onNavigate} className={cn("flex items-center gap-2.5 outline-none focus-visible:underline", className)}>
      <BrandMark />
      <BrandName />
    </Link>
  );
}

function Navigation({ className, onNavigate }: { className?: string; onNavigate?: () => void }) {
  const pathname = usePathname();
  return (
    <nav aria-label="Main" className={className}>
      <ul className="grid gap-1">
        {NAV_ITEMS.map(({ href, label, icon: Icon }) => {
          const active = href === "/" ? pathname === "/" : pathname === href || pathname.startsWith(`${href}/`);
          return (
            <li key={href}>
              <Link
                href={href}
                onClick={onNavigate}
                aria-current={active ? "page" : undefined}
                className={cn(navLinkClass, active && "bg-accent text-foreground")}
              >
                <Icon aria-hidden="true" />
                {label}
              </Link>
            </li>
          );
        })}
        <li>
          {/* Served by the API server itself, outside the dashboard: a plain link, not client routing. */}
          <a href="/docs" className={navLinkClass}>
            <FileCode2Icon aria-hidden="true" />
            API docs
            <ArrowUpRightIcon className="ml-auto opacity-60" aria-hidden="true" />
          </a>
        </li>
      </ul>
    </nav>
  );
}

function SessionPanel({ className }: { className?: string }) {
  const session = useSession();
  const queryClient = useQueryClient();
  const signOutMutation = useMutation({
    mutationFn: signOut,
    onSuccess: () => endSession(queryClient),
    onError: (error) => toast.error("Could not sign out", { description: error.message }),
  });

  return (
    <div className={cn("grid gap-3", className)}>
      <dl className="grid min-w-0 gap-1 text-sm">
        <dt className="sr-only">Workspace</dt>
        <dd className="truncate font-medium" title={session.workspace.name}>
          {session.workspace.name}
        </dd>
        <dt className="sr-only">Signed in with key</dt>
        <dd className="flex min-w-0 items-center gap-2 text-muted-foreground">
          <span className="truncate" title={session.key.name}>
            {session.key.name}
          </span>
          <ScopeBadge scope={session.key.scope} />
        </dd>
      </dl>
      <Button variant="outline" size="sm" className="justify-start" disabled={signOutMutation.isPending} onClick={() => signOutMutation.mutate()}>
        <LogOutIcon aria-hidden="true" />
        Sign out
      </Button>
    </div>
  );
}
