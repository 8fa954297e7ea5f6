import type { NextConfig } from "next";

/**
 * The dashboard is a static export served by apps/server on the same origin
 * as the API: every page is plain HTML that signs in and talks to /trpc from
 * the browser, so no Node server of its own is needed.
 */
const nextConfig: NextConfig = {
  output: "export",
  images: { unoptimized: true },
};

export default nextConfig;
