import type { NextConfig } from "next";
import createNextIntlPlugin from "next-intl/plugin";
import { staticSecurityHeaders } from "./lib/security/headers";

const withNextIntl = createNextIntlPlugin("./lib/i18n/request.ts");

const nextConfig: NextConfig = {
  // Lets two builds (say, a benchmark and a test run) live side by side; `.next` by default.
  distDir: process.env.NEXT_DIST_DIR || ".next",
  // PGlite loads its WASM from its own package; pg-boss and postgres.js are plain Node libraries.
  serverExternalPackages: [
    "@electric-sql/pglite",
    "pg-boss",
    "postgres",
    "redis",
    "alipay-sdk",
    "wechatpay-node-v3",
    "@alicloud/dysmsapi20170525",
    "@alicloud/openapi-core",
  ],
  // Static assets from a CDN in front of the app (e.g. https://cdn.example.com), when set at build time.
  assetPrefix: process.env.ASSET_PREFIX || undefined,
  poweredByHeader: false,
  // public/ files are not content-hashed: a day fresh, then a week served stale while revalidating,
  // so a CDN keeps them without ever pinning an old copy for long. /_next/static is immutable already.
  async headers() {
    return [
      { source: "/:path*", headers: staticSecurityHeaders },
      {
        source: "/docs/:path*",
        headers: [{ key: "Cache-Control", value: "public, max-age=86400, s-maxage=86400, stale-while-revalidate=604800" }],
      },
    ];
  },
  // `npm test` runs `tsc --noEmit` over the whole tree (tests included) before building.
  typescript: { ignoreBuildErrors: true },
  typedRoutes: false,
  // forbidden() renders app/forbidden.tsx with a real 403 status.
  experimental: { authInterrupts: true },
};

export default withNextIntl(nextConfig);
