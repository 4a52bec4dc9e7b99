#!/usr/bin/env bash
# The server the browser tests drive: the production build on fresh data. Embedded: a new PGlite
# directory. With DATABASE_URL and E2E_FRESH_DATABASE=1: a new database on that server (streaming
# replicas in DATABASE_REPLICA_URLS are pointed at it too), plus `npm run worker` as its own
# process, as production runs it.
set -euo pipefail
cd "$(dirname "$0")/.."
PORT="${1:-3100}"
export TZ=Asia/Shanghai NODE_ENV=production SANDBOX_GATEWAY_ENABLED=1 APP_URL="http://127.0.0.1:$PORT"
# The browser suites sign in as the demo accounts (SEED_DEMO_ACCOUNTS= gives a production seed, for
# e2e/security.spec.ts alone) and drive hundreds of customers from one address.
export SEED_DEMO_ACCOUNTS="${SEED_DEMO_ACCOUNTS-1}" RATE_LIMIT_FACTOR="${RATE_LIMIT_FACTOR:-100}"
# PayPal on the sandbox stand-in, as the demo offers it (PAYPAL_SANDBOX= hides it).
export PAYPAL_SANDBOX="${PAYPAL_SANDBOX-1}"
if [ -n "${DATABASE_URL:-}" ] && [ -n "${E2E_FRESH_DATABASE:-}" ]; then
  name="yuyue_e2e_$(date +%s)_$$"
  psql_url="$DATABASE_URL"
  node -e '
    const postgres = require("postgres");
    const sql = postgres(process.argv[1], { max: 1, onnotice() {} });
    sql.unsafe(`create database "${process.argv[2]}"`).then(() => sql.end());
  ' "$psql_url" "$name"
  export DATABASE_URL="${psql_url%/*}/$name"
  replicas=""
  IFS=',' read -ra replica_urls <<<"${DATABASE_REPLICA_URLS:-}"
  for u in "${replica_urls[@]}"; do
    if [ -n "$u" ]; then replicas="${replicas:+$replicas,}${u%/*}/$name"; fi
  done
  export DATABASE_REPLICA_URLS="$replicas"
  export CACHE_PREFIX="yuyue-e2e-$$:"
  export RUN_WORKERS_IN_APP=
else
  export DATABASE_URL= DATABASE_REPLICA_URLS=
  export PGLITE_DATA_DIR=".data/e2e-$(date +%s)-$$"
fi
# Personal data is encrypted under env keys as in production (a fresh pair per server; the seed,
# the worker and the app share them). Without them a production seed on PostgreSQL refuses to start.
if [ -z "${PII_KEYS:-}" ]; then
  PII_KEYS="e2e:$(node -e 'process.stdout.write(require("crypto").randomBytes(32).toString("base64"))')"
  PII_HMAC_KEY="$(node -e 'process.stdout.write(require("crypto").randomBytes(32).toString("base64"))')"
  export PII_KEYS PII_HMAC_KEY
fi
npx tsx --conditions=react-server scripts/seed.ts
if [ -n "${DATABASE_URL:-}" ]; then
  npx tsx --conditions=react-server scripts/worker.ts &
  trap 'kill $! 2>/dev/null || true' EXIT
fi
npx next start -p "$PORT"
