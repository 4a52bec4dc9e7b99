#!/usr/bin/env bash
# Prints the path of a Chromium Playwright can drive; installs Debian's when it can.
set -euo pipefail
for c in "${CHROMIUM_PATH:-}" /usr/bin/chromium /usr/bin/chromium-browser /usr/bin/google-chrome /usr/bin/google-chrome-stable; do
  if [ -n "$c" ] && [ -x "$c" ]; then echo "$c"; exit 0; fi
done
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "› installing Debian's chromium for the browser tests…" >&2
  { apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y chromium; } >&2
  [ -x /usr/bin/chromium ] && { echo /usr/bin/chromium; exit 0; }
fi
cat >&2 <<'MSG'
No Chromium found for the browser tests. Install one and run again:
  Debian/Ubuntu:  sudo apt-get install -y chromium
  or point CHROMIUM_PATH at an existing Chromium/Chrome binary.
MSG
exit 1
