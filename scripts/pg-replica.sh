#!/usr/bin/env bash
# A streaming read replica of the local PostgreSQL server, for the suite's replica phase:
#   bash scripts/pg-replica.sh start [port]   # prints the replica's URL (without a database name)
#   bash scripts/pg-replica.sh stop [port]
# `start` clones the primary (PRIMARY_HOST:PRIMARY_PORT, default 127.0.0.1:5432, user postgres) with
# `pg_basebackup -R` into /tmp/yuyue-pg-replica-<port> and runs it as a hot standby on <port>
# (default 5433). Every database on the primary appears on the replica once replayed.
# The primary must accept replication connections from 127.0.0.1: when it does not, and only then,
# one line is appended to its pg_hba.conf and the configuration reloaded (no restart):
#   host replication postgres 127.0.0.1/32 trust   # yuyue: scripts/pg-replica.sh
# wal_level or max_wal_senders would need a restart: the script stops and says so instead.
# Run as root, the replica runs as the `postgres` user.
set -euo pipefail

cmd="${1:-}"
port="${2:-5433}"
primary_host="${PRIMARY_HOST:-127.0.0.1}"
primary_port="${PRIMARY_PORT:-5432}"
dir="/tmp/yuyue-pg-replica-$port"
bindir="$(pg_config --bindir 2>/dev/null || true)"
if [ ! -x "$bindir/pg_basebackup" ]; then
  bindir="/usr/lib/postgresql/$(ls /etc/postgresql | sort -V | tail -1)/bin"
fi

as_pg() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}
primary_sql() { psql -h "$primary_host" -p "$primary_port" -U postgres -d postgres -XAtqc "$1"; }
can_replicate() {
  psql "host=$primary_host port=$primary_port user=postgres dbname=postgres replication=true" -XAtqc "IDENTIFY_SYSTEM" >/dev/null 2>&1
}

start() {
  if [ -f "$dir/postmaster.pid" ] && pg_isready -h 127.0.0.1 -p "$port" -q; then
    # Already running: make sure a test that was killed mid-way did not leave replay paused.
    psql -h 127.0.0.1 -p "$port" -U postgres -d postgres -XAtqc "select pg_wal_replay_resume()" >/dev/null
    echo "postgres://postgres@127.0.0.1:$port"
    return
  fi
  if [ "$(primary_sql "show wal_level")" = minimal ] || [ "$(primary_sql "show max_wal_senders")" = 0 ]; then
    echo "pg-replica: the primary has wal_level=minimal or max_wal_senders=0; set wal_level=replica and restart it" >&2
    exit 1
  fi
  if ! can_replicate; then
    hba="$(primary_sql "show hba_file")"
    marker="# yuyue: scripts/pg-replica.sh"
    if ! grep -qF "$marker" "$hba"; then
      echo "pg-replica: allowing replication connections from 127.0.0.1 in $hba (reload, no restart)" >&2
      printf 'host replication postgres 127.0.0.1/32 trust   %s\n' "$marker" >>"$hba"
    fi
    primary_sql "select pg_reload_conf()" >/dev/null
    for _ in $(seq 1 20); do can_replicate && break; sleep 0.25; done
    can_replicate || { echo "pg-replica: the primary still refuses replication connections (see $hba)" >&2; exit 1; }
  fi

  as_pg "$bindir/pg_ctl" -D "$dir" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$dir"
  as_pg "$bindir/pg_basebackup" -h "$primary_host" -p "$primary_port" -U postgres -D "$dir" -R -X stream --checkpoint=fast --no-sync
  # Debian keeps the configuration outside the data directory: the clone gets its own. A hot standby
  # needs these limits at least as high as the primary's.
  {
    echo "port = $port"
    echo "listen_addresses = '127.0.0.1'"
    echo "unix_socket_directories = ''"
    echo "hot_standby = on"
    echo "shared_buffers = 32MB"
    echo "fsync = off"
    for name in max_connections max_worker_processes max_wal_senders max_prepared_transactions max_locks_per_transaction; do
      echo "$name = $(primary_sql "show $name")"
    done
  } | as_pg tee "$dir/postgresql.conf" >/dev/null
  printf 'host all all 127.0.0.1/32 trust\n' | as_pg tee "$dir/pg_hba.conf" >/dev/null
  as_pg touch "$dir/pg_ident.conf"
  as_pg "$bindir/pg_ctl" -D "$dir" -l "$dir/server.log" -w -t 60 start >/dev/null
  for _ in $(seq 1 60); do
    [ "$(psql -h 127.0.0.1 -p "$port" -U postgres -d postgres -XAtqc "select pg_is_in_recovery()" 2>/dev/null)" = t ] && break
    sleep 0.5
  done
  if [ "$(psql -h 127.0.0.1 -p "$port" -U postgres -d postgres -XAtqc "select pg_is_in_recovery()" 2>/dev/null)" != t ]; then
    echo "pg-replica: the replica on port $port did not come up as a standby; log:" >&2
    tail -20 "$dir/server.log" >&2
    exit 1
  fi
  echo "postgres://postgres@127.0.0.1:$port"
}

stop() {
  if [ -d "$dir" ]; then
    as_pg "$bindir/pg_ctl" -D "$dir" -m fast -w stop >/dev/null 2>&1 || true
    rm -rf "$dir"
  fi
}

case "$cmd" in
  start) start ;;
  stop) stop ;;
  *) echo "usage: $0 start|stop [port]" >&2; exit 2 ;;
esac
