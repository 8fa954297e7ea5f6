"use client";

import { createContext, use } from "react";
import type { Session } from "@/lib/trpc";

export const SessionContext = createContext<Session | null>(null);

/** The signed-in session; only usable below the session gate, where there always is one. */
export function useSession(): Session {
  const session = use(SessionContext);
  if (!session) throw new Error("useSession() is used outside the signed-in app.");
  return session;
}
