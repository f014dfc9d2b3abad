#!/usr/bin/env bash
# nginx for the loopback production smoke test (tests/test_smoke_production.py).
#   infra/dev/nginx.sh install   install Debian's nginx when missing (root, non-interactive)
#   infra/dev/nginx.sh path      print the nginx binary
# The test runs nginx itself with a config generated into a temp folder
# (-p prefix, pid and logs there, listening on 127.0.0.1 only); the system
# service Debian's package enables is stopped right after installing.
set -euo pipefail
. "$(dirname "$0")/common.sh"

find_nginx() { command -v nginx || { [ -x /usr/sbin/nginx ] && echo /usr/sbin/nginx; } || true; }

install() {
  if [ -n "$(find_nginx)" ]; then return 0; fi
  echo "Installing nginx (Debian package nginx-light)..."
  # Do not start the packaged service on :80 (policy-rc.d), we only need the binary.
  if [ "$(id -u)" = 0 ] && [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d; chmod +x /usr/sbin/policy-rc.d
    trap 'rm -f /usr/sbin/policy-rc.d' EXIT
  fi
  apt_install nginx-light || apt_install nginx
  [ -n "$(find_nginx)" ] || { echo "nginx still missing after apt-get install" >&2; exit 1; }
}

case "${1:-install}" in
  install) install ;;
  path) install >&2; find_nginx ;;
  *) echo "usage: $0 install|path" >&2; exit 2 ;;
esac
