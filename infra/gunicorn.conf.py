"""gunicorn settings for the app servers: `gunicorn -c infra/gunicorn.conf.py`.

Every value can be changed through the environment (GUNICORN_*), so the
Docker image, the systemd unit and the smoke test share this one file.
"""

import multiprocessing
import os


def _int(name: str, default: int) -> int:
    # An empty value (a blank line in the env file) means the default.
    return int(os.environ.get(name) or default)


wsgi_app = "cms.wsgi:application"
bind = os.environ.get("GUNICORN_BIND") or "127.0.0.1:8000"

# Sync workers with a few threads: page rendering is CPU-bound, document
# downloads leave through nginx (X-Accel-Redirect), so a worker is never
# tied up streaming a file.
workers = _int("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1)
threads = _int("GUNICORN_THREADS", 2)
# gunicorn heartbeat files: in memory, never on a slow or read-only disk.
worker_tmp_dir = os.environ.get("GUNICORN_WORKER_TMP_DIR") or "/dev/shm"  # noqa: S108
timeout = _int("GUNICORN_TIMEOUT", 60)
graceful_timeout = _int("GUNICORN_GRACEFUL_TIMEOUT", 30)
keepalive = 5
# Recycle workers now and then: bounds the damage of a slow memory leak.
max_requests = _int("GUNICORN_MAX_REQUESTS", 2000)
max_requests_jitter = 200
# Upload limit is enforced by nginx (client_max_body_size); these guard the socket.
limit_request_line = 8190

# nginx on the same host (or the load balancer's addresses) may set
# X-Forwarded-Proto; Django reads it through SECURE_PROXY_SSL_HEADER.
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS") or "127.0.0.1,::1"

# Logs to stderr (journald / container runtime). Access log lines are JSON,
# like the app's (cms/logging.py), and carry nginx's request id.
accesslog = os.environ.get("GUNICORN_ACCESSLOG") or "-"
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOGLEVEL") or "info"
access_log_format = (
    '{"time": "%(t)s", "logger": "gunicorn.access", "request_id": "%({x-request-id}i)s", '
    '"host": "%({host}i)s", "method": "%(m)s", "path": "%(U)s", "status": %(s)s, '
    '"bytes": "%(B)s", "duration_ms": %(M)s, "remote": "%({x-forwarded-for}i)s"}'
)
proc_name = "dialog"
# gunicorn 27's control socket ($HOME/.gunicorn/gunicorn.ctl) is shared by
# every instance of a user on a host (they clash) and unused here;
# GUNICORN_CONTROL_SOCKET=<path> turns it on.
control_socket_disable = not os.environ.get("GUNICORN_CONTROL_SOCKET")
if not control_socket_disable:
    control_socket = os.environ["GUNICORN_CONTROL_SOCKET"]
