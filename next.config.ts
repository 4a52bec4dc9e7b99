import type { NextConfig } from "next";
import createNextIntlPlugin from "next-intl/plugin";

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
  poweredByHeader: false,
  // `npm test` runs `tsc --noEmit` over the whole tree (tests included) before building.
  typescript: { ignoreBuildErrors: true },
  typedRoutes: false,
  // forbidden() renders app/forbidden.tsx with a real 403 status.
  experimental: { authInterrupts: true },
};

export default withNextIntl(nextConfig);
