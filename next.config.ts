import type { NextConfig } from "next";
import { staticSecurityHeaders } from "./lib/http/security-headers";

const nextConfig: NextConfig = {
  poweredByHeader: false,
  // Native and driver modules stay plain Node requires rather than being bundled.
  serverExternalPackages: ["better-sqlite3", "@prisma/adapter-better-sqlite3", "pg", "@prisma/adapter-pg"],
  // Read with fs at run time; listed so that standalone output carries it.
  outputFileTracingIncludes: { "/**": ["./lib/auth/common-passwords.txt"] },
  experimental: {
    // The proxy buffers request bodies before it runs; ours refuses anything past 16 KB (API_MAX_BODY_BYTES)
    // by Content-Length, so there is no reason to hold more than this in memory per request.
    proxyClientMaxBodySize: "32kb",
  },
  // `NEXT_OUTPUT=standalone npm run build` produces a self-contained server for a Node host.
  output: process.env.NEXT_OUTPUT === "standalone" ? "standalone" : undefined,
  async headers() {
    return [{ source: "/:path*", headers: staticSecurityHeaders(process.env.NODE_ENV === "production") }];
  },
};

export default nextConfig;
