import type { Metadata, Viewport } from "next";
import type { ReactNode } from "react";
import { Providers } from "@/components/providers";
import { SessionGate } from "@/components/session-gate";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Scriptorium", template: "%s · Scriptorium" },
  description: "Agent-artifact collections and manuscript generation, on your own server.",
};

export const viewport: Viewport = {
  themeColor: [
    { media: "(prefers-color-scheme: light)", color: "#ffffff" },
    { media: "(prefers-color-scheme: dark)", color: "#17181c" },
  ],
};

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>
        <noscript>
          <p className="p-6 text-center">The Scriptorium dashboard needs JavaScript. The API stays available at /api and /docs.</p>
        </noscript>
        <Providers>
          <SessionGate>{children}</SessionGate>
        </Providers>
      </body>
    </html>
  );
}
