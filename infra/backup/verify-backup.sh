#!/usr/bin/env bash
# Prove a city backup restores: restore it under a scratch slug and domain,
# print what came back, delete the scratch city. Run it regularly (a backup
# never restored is a hope, not a backup).
#
#   infra/backup/verify-backup.sh /srv/dialog/backups/2026-11-23T0230Z/warszawa
set -euo pipefail
cd "$(dirname "$0")/../.."
SRC=${1:?usage: $0 <city backup folder>}
PYTHON=${DIALOG_PYTHON:-python}
SLUG=verify_$(date +%s)
"$PYTHON" manage.py restore_city "$SRC" --as "$SLUG" --domain "$SLUG.invalid" --no-reindex
trap '"$PYTHON" manage.py delete_city "$SLUG" --yes >/dev/null' EXIT
"$PYTHON" manage.py list_cities | grep "^$SLUG"
