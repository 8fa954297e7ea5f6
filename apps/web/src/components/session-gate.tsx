"use client";

import { useQuery } from "@tanstack/react-query";
import { RefreshCwIcon, ServerCrashIcon } from "lucide-react";
import dynamic from "next/dynamic";
import { useMemo, useSyncExternalStore, type ReactNode } from "react";
import { AppShell } from "@/components/app-shell";
import { BrandMark } from "@/components/brand";
import { SessionContext } from "@/components/session-context";
import { Button } from "@/components/ui/button";
import { parseRememberedSession, rememberedSessionText, rememberSession, SESSION_QUERY_KEY } from "@/lib/session";
import { errorMessage, trpcErrorCode, useTRPCClient, type Session } from "@/lib/trpc";

// Its own code, with its form and schema: a signed-in page never loads it.
const SignInScreen = dynamic(() => import("@/components/sign-in-screen").then((module) => module.SignInScreen), { ssr: false, loading: LoadingScreen });

/** The remembered session never changes under a page: nothing to subscribe to. */
const subscribeToNothing = () => () => {};

/**
 * Every page sits behind this gate: it asks the server who the session
 * cookie belongs to, then shows the sign-in screen or the app. Static
 * prerendering never fetches, so the exported HTML holds the loading state.
 * A browser that signed in before shows the app with the session it
 * remembers while the server answers, so that the page's own requests go
 * out beside that question instead of after it.
 */
export function SessionGate({ children }: { children: ReactNode }) {
  const trpcClient = useTRPCClient();
  // Null while hydrating (the exported HTML knows no session), then what this browser remembers.
  const rememberedText = useSyncExternalStore(subscribeToNothing, rememberedSessionText, () => null);
  const remembered = useMemo(() => parseRememberedSession(rememberedText), [rememberedText]);
  const session = useQuery({
    queryKey: SESSION_QUERY_KEY,
    queryFn: async (): Promise<Session | null> => {
      try {
        const confirmed = await trpcClient.auth.whoami.query();
        rememberSession(confirmed);
        return confirmed;
      } catch (error) {
        if (trpcErrorCode(error) !== "UNAUTHORIZED") throw error;
        rememberSession(null);
        return null;
      }
    },
    placeholderData: remembered ?? undefined,
    staleTime: 60_000,
  });

  if (session.data === null) return <SignInScreen />;
  if (session.data) {
    // The server confirmed what was remembered: the same object, so nothing below renders again for it.
    const shown = remembered && JSON.stringify(session.data) === rememberedText ? remembered : session.data;
    return (
      <SessionContext value={shown}>
        <AppShell>{children}</AppShell>
      </SessionContext>
    );
  }
  if (session.isError) {
    return (
      <CenteredMessage>
        <ServerCrashIcon className="size-8 text-muted-foreground" aria-hidden="true" />
        <h1 className="text-lg font-semibold">Scriptorium is not answering</h1>
        <p className="max-w-sm text-sm text-muted-foreground">{errorMessage(session.error)}</p>
        <Button variant="outline" onClick={() => void session.refetch()}>
          <RefreshCwIcon aria-hidden="true" />
          Try again
        </Button>
      </CenteredMessage>
    );
  }
  return <LoadingScreen />;
}

function LoadingScreen() {
  return (
    <CenteredMessage>
      <BrandMark className="animate-pulse" />
      <p className="sr-only" role="status">
        Loading Scriptorium…
      </p>
    </CenteredMessage>
  );
}

function CenteredMessage({ children }: { children: ReactNode }) {
  return <div className="flex min-h-dvh flex-col items-center justify-center gap-3 p-6 text-center">{children}</div>;
}
