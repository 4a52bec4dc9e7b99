#!/usr/bin/env bash
# `npm run demo`: install if needed, build if sources changed, migrate, seed, serve.
# With no DATABASE_URL/REDIS_URL it runs on the embedded default (PGlite under .data/, in-memory cache,
# sandbox gateways, dev mail/SMS transports); jobs run inside the server.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-deps.sh
export TZ="${TZ:-Asia/Shanghai}"
export PORT="${PORT:-3000}"
# The demo pays through the local sandbox gateway; it is off in production unless enabled like this.
export SANDBOX_GATEWAY_ENABLED="${SANDBOX_GATEWAY_ENABLED:-1}"
# PayPal is offered only where configured: the demo configures it on the sandbox stand-in.
export PAYPAL_SANDBOX="${PAYPAL_SANDBOX:-1}"
# The demo's sign-in page lists its demo accounts; production seeds never create them.
export SEED_DEMO_ACCOUNTS=1
if [ ! -f .next/BUILD_ID ] || [ -n "$(find app components lib db proxy.ts instrumentation.ts next.config.ts package-lock.json -newer .next/BUILD_ID -type f 2>/dev/null | head -1)" ]; then
  echo "› building…"
  npm run build
fi
echo "› migrating and seeding demo data…"
npm run db:seed
echo "› Yuyue is serving at http://localhost:${PORT}  (demo accounts: customer@yuyue.demo / staff@yuyue.demo / admin@yuyue.demo, password demo1234)"
exec npx next start -p "$PORT"
