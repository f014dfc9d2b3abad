#!/usr/bin/env bash
# Browser tests' tools (tests/e2e): Debian's chromium and axe-core from npm.
# Playwright's own browser download does not work here, so the tests drive
# /usr/bin/chromium; axe-core lands in .services/npm (git-ignored).
# Idempotent; run by `make test` and by tests/e2e/conftest.py when missing.
set -euo pipefail
source "$(dirname "$0")/common.sh"
cd "$REPO_ROOT"
AXE_VERSION=4.14.1
NPM_PREFIX=.services/npm

if [ ! -x /usr/bin/chromium ]; then
  echo "Installing chromium (apt)..." >&2
  apt_install chromium
fi
if [ ! -f "$NPM_PREFIX/node_modules/axe-core/axe.min.js" ] \
  || ! grep -q "\"version\": \"$AXE_VERSION\"" "$NPM_PREFIX/node_modules/axe-core/package.json"; then
  command -v npm >/dev/null || apt_install npm
  mkdir -p "$NPM_PREFIX"
  npm install --prefix "$NPM_PREFIX" --no-audit --no-fund --silent "axe-core@$AXE_VERSION" >&2
fi
echo "$REPO_ROOT/$NPM_PREFIX/node_modules/axe-core/axe.min.js"
