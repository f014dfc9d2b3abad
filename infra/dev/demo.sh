#!/usr/bin/env bash
# `make demo`: migrate, create the demo cities (idempotent), load content, serve.
set -euo pipefail
cd "$(dirname "$0")/../.."
PY=.venv/bin/python
$PY manage.py migrate_schemas --shared --noinput -v0
$PY manage.py migrate_schemas --tenant --noinput -v0
create() {
  if $PY manage.py list_cities | cut -f1 | grep -qx "$1"; then
    echo "City $1 already exists"
  else
    $PY manage.py create_city "$@"
  fi
}
create warszawa --name "Warszawa" --domain warszawa.localhost --languages pl,en,uk \
  --contact-email dialog@um.warszawa.pl --admin-email admin@warszawa.localhost --admin-password dialog-demo
create wroclaw --name "Wrocław" --domain wroclaw.localhost --languages pl,en \
  --contact-email wrdppwroclaw@gmail.com --admin-email admin@wroclaw.localhost --admin-password dialog-demo
# Demo programmes, one city schema at a time (the plugin knows nothing about
# cities); idempotent, so re-running `make demo` changes nothing.
$PY manage.py tenant_command load_demo_content --schema=warszawa --dataset warszawa
$PY manage.py tenant_command load_demo_content --schema=wroclaw --dataset wroclaw
# Search: build each city's index, then a worker applies every later change
# (publish, upload, text extraction) from the task queue; it stops with the demo.
$PY manage.py search_reindex --all
$PY manage.py db_worker --queue-name '*' --no-reload &
WORKER_PID=$!
trap 'kill "$WORKER_PID" 2>/dev/null || true' EXIT
cat <<MSG

Dialog CMS demo is running:
  platform:  http://localhost:8000/
  Warszawa:  http://warszawa.localhost:8000/   admin: http://warszawa.localhost:8000/admin/
  Wrocław:   http://wroclaw.localhost:8000/    admin: http://wroclaw.localhost:8000/admin/
  admin login: admin@warszawa.localhost / dialog-demo  (Wrocław: admin@wroclaw.localhost / dialog-demo)
Press Ctrl+C to stop.
MSG
$PY manage.py runserver 127.0.0.1:8000 --noreload
