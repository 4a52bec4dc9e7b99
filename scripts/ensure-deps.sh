#!/usr/bin/env bash
# Installs dependencies from the lock file when node_modules is missing or older than the lock.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "› installing dependencies (npm ci)…"
  npm ci --no-audit --no-fund
fi
# Idempotent; also covers a node_modules that was copied or linked rather than installed.
node scripts/patch-postgres.mjs
