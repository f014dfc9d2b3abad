#!/usr/bin/env bash
# Project-local PostgreSQL 15 (Debian's binaries) on 127.0.0.1:${POSTGRES_PORT:-54329}.
#   infra/dev/postgres.sh start|stop|status|url
# Runs as the unprivileged OS user dialog-pg when invoked as root (initdb
# refuses root). Tuned for tests (fsync off): never point production here.
set -euo pipefail
. "$(dirname "$0")/common.sh"

PGBIN=${PGBIN:-/usr/lib/postgresql/15/bin}
PORT=${POSTGRES_PORT:-54329}
OS_USER=${POSTGRES_OS_USER:-dialog-pg}
BASE="$SERVICES_DIR/postgres"
DATA="$BASE/data"
SOCK="$BASE/run"
LOG="$BASE/server.log"
URL="postgres://dialog:dialog@127.0.0.1:$PORT/dialog"

pgctl() { as_service_user "$OS_USER" "$PGBIN/pg_ctl" -D "$DATA" "$@"; }

is_running() { [ -f "$DATA/PG_VERSION" ] && pgctl status >/dev/null 2>&1; }

start() {
  if [ ! -x "$PGBIN/initdb" ]; then
    echo "Installing PostgreSQL 15 server binaries (Debian package postgresql-15)..."
    apt_install postgresql-15 postgresql-client-15
  fi
  ensure_service_user "$OS_USER"
  mkdir -p "$BASE" "$SOCK"
  [ "$(id -u)" = 0 ] && chown "$OS_USER" "$BASE" "$SOCK"
  chmod 700 "$BASE"
  if [ ! -f "$DATA/PG_VERSION" ]; then
    local pwfile="$BASE/.pw"
    echo dialog > "$pwfile"
    [ "$(id -u)" = 0 ] && chown "$OS_USER" "$pwfile"
    as_service_user "$OS_USER" "$PGBIN/initdb" -D "$DATA" -U dialog --pwfile="$pwfile" \
      --auth-host=scram-sha-256 --auth-local=trust -E UTF8 --locale=C.UTF-8 >"$BASE/initdb.log"
    rm -f "$pwfile"
  fi
  if is_running; then
    echo "PostgreSQL already running: $URL"
    return 0
  fi
  # A hard-killed server leaves postmaster.pid behind; pg_ctl status said it
  # is not running, so the file is stale.
  rm -f "$DATA/postmaster.pid"
  pgctl -l "$LOG" -w -t 60 -o "-p $PORT -k $SOCK -c listen_addresses=127.0.0.1 \
    -c max_connections=200 -c fsync=off -c synchronous_commit=off -c full_page_writes=off \
    -c shared_buffers=256MB" start >/dev/null || { tail -20 "$LOG" >&2; exit 1; }
  if ! PGPASSWORD=dialog "$PGBIN/psql" -h 127.0.0.1 -p "$PORT" -U dialog -d postgres -tAc \
      "SELECT 1 FROM pg_database WHERE datname='dialog'" | grep -q 1; then
    PGPASSWORD=dialog "$PGBIN/psql" -h 127.0.0.1 -p "$PORT" -U dialog -d postgres -qc \
      "CREATE DATABASE dialog"
  fi
  echo "PostgreSQL running: $URL"
}

stop() {
  if is_running; then pgctl -m fast -w stop >/dev/null; echo "PostgreSQL stopped"; fi
}

case "${1:-start}" in
  start) start ;;
  stop) stop ;;
  status) if is_running; then echo "running: $URL"; else echo "stopped"; exit 3; fi ;;
  url) echo "$URL" ;;
  *) echo "usage: $0 start|stop|status|url" >&2; exit 2 ;;
esac
