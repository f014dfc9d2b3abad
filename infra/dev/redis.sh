#!/usr/bin/env bash
# Project-local Redis (Debian's redis-server) on 127.0.0.1:${REDIS_PORT:-63799}:
# the shared cache production uses (CACHE_URL=redis://…), for the tests of it
# and the benchmark.
#   infra/dev/redis.sh start|stop|status|url|flush
# A cache only: no persistence, nothing to back up.
set -euo pipefail
. "$(dirname "$0")/common.sh"

PORT=${REDIS_PORT:-63799}
BASE="$SERVICES_DIR/redis-$PORT"
PIDFILE="$BASE/redis.pid"
LOG="$BASE/server.log"
URL="redis://127.0.0.1:$PORT/0"

cli() { redis-cli -h 127.0.0.1 -p "$PORT" "$@"; }

is_running() { command -v redis-cli >/dev/null && [ "$(cli ping 2>/dev/null)" = PONG ]; }

start() {
  if ! command -v redis-server >/dev/null; then
    echo "Installing Redis (Debian package redis-server)..."
    apt_install redis-server
  fi
  if is_running; then
    echo "Redis already running: $URL"
    return 0
  fi
  mkdir -p "$BASE"
  redis-server --bind 127.0.0.1 --port "$PORT" --daemonize yes --pidfile "$PIDFILE" \
    --logfile "$LOG" --dir "$BASE" --save '' --appendonly no \
    --maxmemory 512mb --maxmemory-policy allkeys-lru
  for _ in $(seq 1 50); do
    if is_running; then echo "Redis running: $URL"; return 0; fi
    sleep 0.1
  done
  tail -20 "$LOG" >&2
  exit 1
}

stop() {
  if is_running; then cli shutdown nosave >/dev/null 2>&1 || true; echo "Redis stopped"; fi
}

case "${1:-start}" in
  start) start ;;
  stop) stop ;;
  status) if is_running; then echo "running: $URL"; else echo "stopped"; exit 3; fi ;;
  url) echo "$URL" ;;
  flush) cli flushall >/dev/null ;;
  *) echo "usage: $0 start|stop|status|url|flush" >&2; exit 2 ;;
esac
