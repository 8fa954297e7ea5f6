"use client";

import { MutationCache, QueryCache, QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { useState, type ReactNode } from "react";
import { Toaster } from "sonner";
import { TooltipProvider } from "@/components/ui/tooltip";
import { endSession } from "@/lib/session";
import { createScriptoriumTRPCClient, TRPCProvider, trpcErrorCode } from "@/lib/trpc";

function createQueryClient(): QueryClient {
  // The key behind the session was revoked or the cookie expired: back to sign-in.
  const endSessionIfUnauthorized = (error: unknown) => {
    if (trpcErrorCode(error) === "UNAUTHORIZED") endSession(queryClient);
  };
  const queryClient: QueryClient = new QueryClient({
    queryCache: new QueryCache({ onError: endSessionIfUnauthorized }),
    mutationCache: new MutationCache({ onError: endSessionIfUnauthorized }),
    defaultOptions: {
      queries: {
        staleTime: 30_000,
        // Only failures without an answer (network, server restarting) are worth repeating.
        retry: (failureCount, error) => trpcErrorCode(error) === null && failureCount < 2,
      },
    },
  });
  return queryClient;
}

export function Providers({ children }: { children: ReactNode }) {
  const [queryClient] = useState(createQueryClient);
  const [trpcClient] = useState(createScriptoriumTRPCClient);
  return (
    <QueryClientProvider client={queryClient}>
      <TRPCProvider trpcClient={trpcClient} queryClient={queryClient}>
        <TooltipProvider delayDuration={300}>
          {children}
          <Toaster position="bottom-right" theme="system" closeButton />
        </TooltipProvider>
      </TRPCProvider>
    </QueryClientProvider>
  );
}
