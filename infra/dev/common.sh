# Sourced by the dev service scripts: where local services keep their data.
#
# Data lives outside the checkout, under /var/tmp (world-traversable), so the
# unprivileged OS users the servers run as can reach it without loosening the
# permissions of anyone's home folder. One folder per checkout path, so two
# clones never share a database.
REPO_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
REPO_HASH=$(printf '%s' "$REPO_ROOT" | sha1sum | cut -c1-10)
SERVICES_DIR=${DIALOG_SERVICES_DIR:-/var/tmp/dialog-services-$REPO_HASH}
mkdir -p "$SERVICES_DIR"
chmod 755 "$SERVICES_DIR" 2>/dev/null || true

# Create a system user for a server when running as root (PostgreSQL and
# Elasticsearch both refuse to run as root).
ensure_service_user() {
  local user=$1
  if [ "$(id -u)" = 0 ] && ! id "$user" >/dev/null 2>&1; then
    useradd --system --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin "$user"
  fi
}

# Run a command as the service user when root, as ourselves otherwise.
as_service_user() {
  local user=$1; shift
  if [ "$(id -u)" = 0 ]; then runuser -u "$user" -- "$@"; else "$@"; fi
}

apt_install() {
  if [ "$(id -u)" != 0 ]; then
    echo "Missing system packages: $*; install them (sudo apt-get install $*)." >&2
    return 1
  fi
  DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}
