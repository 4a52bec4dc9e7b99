#!/usr/bin/env bash
# `npm test`: the whole suite. Always on the embedded default (PGlite + in-memory cache); when
# DATABASE_URL / REDIS_URL are set, again on real PostgreSQL + Redis (a fresh database is created
# on that server and dropped afterwards), reading through DATABASE_REPLICA_URLS when those are set
# (.ci/run starts a streaming replica with scripts/pg-replica.sh). Browser tests run on Debian's Chromium.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-deps.sh
export TZ=Asia/Shanghai
CHROMIUM_PATH="$(bash scripts/find-chromium.sh)"
export CHROMIUM_PATH

REAL_DATABASE_URL="${DATABASE_URL:-}"
REAL_REDIS_URL="${REDIS_URL:-}"
REAL_REPLICA_URLS="${DATABASE_REPLICA_URLS:-}"
embedded() { env DATABASE_URL= DATABASE_REPLICA_URLS= REDIS_URL= UPSTASH_REDIS_REST_URL= UPSTASH_REDIS_REST_TOKEN= "$@"; }

echo "━━ typecheck, lint and format"
npx tsc --noEmit -p .
npx eslint --max-warnings 0 .
npm run --silent format:check

echo "━━ unit + integration tests: embedded (PGlite, in-memory cache)"
embedded npx vitest run

if [ -n "$REAL_DATABASE_URL" ]; then
  echo "━━ unit + integration tests: PostgreSQL ($REAL_DATABASE_URL, replicas: ${REAL_REPLICA_URLS:-none}) + Redis (${REAL_REDIS_URL:-none})"
  DATABASE_URL="$REAL_DATABASE_URL" DATABASE_REPLICA_URLS="$REAL_REPLICA_URLS" REDIS_URL="$REAL_REDIS_URL" npx vitest run
fi

echo "━━ production build"
npx next build

echo "━━ browser tests: embedded"
embedded npx playwright test

if [ -n "$REAL_DATABASE_URL" ]; then
  echo "━━ browser tests: PostgreSQL + Redis (replicas: ${REAL_REPLICA_URLS:-none}), workers in a separate process"
  trap 'node scripts/drop-e2e-databases.cjs "$REAL_DATABASE_URL"' EXIT
  DATABASE_URL="$REAL_DATABASE_URL" DATABASE_REPLICA_URLS="$REAL_REPLICA_URLS" REDIS_URL="$REAL_REDIS_URL" E2E_FRESH_DATABASE=1 npx playwright test
fi
echo "━━ all test phases passed"
