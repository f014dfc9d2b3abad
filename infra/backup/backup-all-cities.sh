#!/usr/bin/env bash
# Back up every city into <dir>/<UTC date>/<slug>/ with manage.py backup_city,
# then drop dated folders older than DIALOG_BACKUP_KEEP_DAYS (default 14) and
# optionally copy the new folder off the host.
#
#   infra/backup/backup-all-cities.sh /srv/dialog/backups
#
# Environment: DIALOG_PYTHON (default: python), DIALOG_BACKUP_KEEP_DAYS,
# DIALOG_BACKUP_SYNC_CMD (run with the new folder as its last argument, e.g.
# "aws s3 sync --only-show-errors" plus a bucket path, or "rclone copy" plus a remote;
# empty = keep local only). Settings as for the app (DATABASE_URL, MEDIA_*).
# Exit status: non-zero if any city failed (the others are still backed up).
set -uo pipefail
cd "$(dirname "$0")/../.."

DEST=${1:?usage: $0 <backup dir>}
PYTHON=${DIALOG_PYTHON:-python}
KEEP_DAYS=${DIALOG_BACKUP_KEEP_DAYS:-14}
STAMP=$(date -u +%Y-%m-%dT%H%MZ)
TARGET="$DEST/$STAMP"
mkdir -p "$TARGET"
umask 077  # dumps hold password hashes and personal data

failed=0
slugs=$("$PYTHON" manage.py list_cities | cut -f1) || { echo "cannot list cities" >&2; exit 1; }
for slug in $slugs; do
  if "$PYTHON" manage.py backup_city "$slug" "$TARGET/$slug"; then
    echo "ok $slug"
  else
    echo "FAILED $slug" >&2
    failed=1
  fi
done

if [ -n "${DIALOG_BACKUP_SYNC_CMD:-}" ]; then
  # shellcheck disable=SC2086 # the command is a word list on purpose
  $DIALOG_BACKUP_SYNC_CMD "$TARGET" || { echo "off-site copy failed" >&2; failed=1; }
fi

# Retention: dated folders only (names start with a year).
find "$DEST" -mindepth 1 -maxdepth 1 -type d -name '20*' -mtime +"$KEEP_DAYS" \
  -exec rm -rf {} + 2>/dev/null || true
exit $failed
