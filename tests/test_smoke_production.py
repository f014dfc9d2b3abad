"""Loopback production smoke test: gunicorn + nginx with the production settings.

No Docker engine runs here, so this starts the processes the compose file
and the systemd units run: ``collectstatic`` into a temp STATIC_ROOT,
gunicorn with ``cms.settings.production`` and ``infra/gunicorn.conf.py`` on a
free loopback port, and Debian's nginx with ``infra/nginx/dialog-locations.conf``
(paths pointed at temp folders) in front of it. Two throwaway cities are
created with committed data; every check goes through nginx with their Host
headers. nginx plays a TLS-terminating proxy: requests carry
``X-Forwarded-Proto: https``, so Django runs with its production HTTPS
settings (redirects, HSTS, secure cookies) unchanged.

Everything is bounded in time; processes are killed and cities deleted in
``finally``. The shared PostgreSQL is never stopped: "database unreachable"
is a second gunicorn pointed at a closed port.
"""

from __future__ import annotations

import http.client
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import connection
from django_tenants.utils import schema_context

from tenants.models import City
from tenants.provisioning import create_city, delete_city

ROOT = Path(__file__).resolve().parents[1]
VENV_BIN = Path(sys.executable).parent
CITY_A, CITY_B = "smoke_a", "smoke_b"
HOST_A, HOST_B = "smoke-a.localhost", "smoke-b.localhost"
MEDIA_BYTES = "Plik miasta A: zażółć gęślą jaźń\n".encode()
START_TIMEOUT = 180


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _request(port, path, host, headers=None, timeout=30):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request(
            "GET",
            path,
            headers={"Host": host, "X-Forwarded-Proto": "https", **(headers or {})},
        )
        response = conn.getresponse()
        return response.status, response.headers, response.read()
    finally:
        conn.close()


def _wait_for(port, host, deadline, processes):
    while time.monotonic() < deadline:
        for name, process in processes.items():
            if process.poll() is not None:
                raise RuntimeError(f"{name} exited with {process.returncode}")
        try:
            status, _headers, _body = _request(port, "/healthz", host, timeout=5)
            if status in (200, 503):
                return
        except OSError:
            pass
        time.sleep(0.3)
    raise TimeoutError(f"nothing answered on 127.0.0.1:{port}")


def _stop(process):
    if process is None or process.poll() is not None:
        return
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=5)


def _database_url(name=None, port=None):
    db = connection.settings_dict
    return (
        f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST'] or '127.0.0.1'}:"
        f"{port or db['PORT']}/{name or db['NAME']}"
    )


def _production_env(tmp: Path, database_url: str) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith("DJANGO_")}
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "cms.settings.production",
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
            "DJANGO_ALLOWED_HOSTS": ".localhost,127.0.0.1",
            "DATABASE_URL": database_url,
            "DJANGO_STATIC_ROOT": str(tmp / "static"),
            "DJANGO_MEDIA_ROOT": str(settings.MEDIA_ROOT),
            "DJANGO_LOG_LEVEL": "WARNING",
            "DIALOG_TRUSTED_PROXY_COUNT": "1",
            "GUNICORN_WORKERS": "2",
            "GUNICORN_ACCESSLOG": str(tmp / "gunicorn-access.log"),
            "PYTHONDONTWRITEBYTECODE": "1",
        }
    )
    # The shared cache production runs with (Redis, started by `make services`).
    redis_url = os.environ.get("DIALOG_TEST_REDIS_URL")
    if redis_url:
        env["CACHE_URL"] = redis_url.rsplit("/", 1)[0] + "/3"
    # The same search service and index names as the test run (real Elasticsearch).
    for name, setting in (
        ("ELASTICSEARCH_URL", "ELASTICSEARCH_URL"),
        ("SEARCH_BACKEND", "SEARCH_BACKEND"),
        ("DIALOG_SEARCH_PREFIX", "SEARCH_INDEX_PREFIX"),
    ):
        if getattr(settings, setting, ""):
            env[name] = str(getattr(settings, setting))
    return env


def _nginx_binary() -> str:
    # Installs Debian's nginx when missing (as root, non-interactively).
    result = subprocess.run(
        ["bash", str(ROOT / "infra/dev/nginx.sh"), "path"],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    binary = result.stdout.strip().splitlines()[-1] if result.stdout.strip() else ""
    assert result.returncode == 0 and binary, f"nginx unavailable: {result.stderr}"
    return binary


def _write_nginx_config(tmp: Path, nginx_port: int, app_port: int) -> Path:
    """The production locations, with loopback paths and ports."""
    locations = (ROOT / "infra/nginx/dialog-locations.conf").read_text()
    locations = (
        locations.replace("/srv/dialog/static/", f"{tmp}/static/")
        .replace("/srv/dialog/media/", f"{Path(settings.MEDIA_ROOT).resolve()}/")
        .replace("/etc/nginx/dialog-proxy.conf", f"{tmp}/dialog-proxy.conf")
    )
    (tmp / "dialog-locations.conf").write_text(locations)
    shutil.copy(ROOT / "infra/nginx/dialog-proxy.conf", tmp / "dialog-proxy.conf")
    for folder in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi", "logs"):
        (tmp / folder).mkdir(exist_ok=True)
    # As root, workers would drop to "nobody", who cannot read pytest's
    # private temp folders: keep them as root (loopback test only).
    user = "user root;" if os.geteuid() == 0 else ""
    config = f"""
{user}
worker_processes 1;
daemon off;
pid {tmp}/nginx.pid;
error_log {tmp}/logs/error.log warn;
events {{ worker_connections 128; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    sendfile on;
    access_log {tmp}/logs/access.log;
    client_body_temp_path {tmp}/client_body;
    proxy_temp_path {tmp}/proxy;
    fastcgi_temp_path {tmp}/fastcgi;
    uwsgi_temp_path {tmp}/uwsgi;
    scgi_temp_path {tmp}/scgi;
    # Plays a TLS-terminating load balancer: trusts X-Forwarded-Proto.
    map $http_x_forwarded_proto $dialog_forwarded_proto {{
        default $scheme;
        https https;
    }}
    upstream dialog_app {{
        server 127.0.0.1:{app_port};
        keepalive 8;
    }}
    server {{
        listen 127.0.0.1:{nginx_port} default_server;
        server_name _;
        include {tmp}/dialog-locations.conf;
    }}
}}
"""
    path = tmp / "nginx.conf"
    path.write_text(config)
    return path


def _drop_cities():
    connection.set_schema_to_public()
    for slug in (CITY_A, CITY_B):
        if City.objects.filter(slug=slug).exists():
            delete_city(slug)


@pytest.mark.django_db
def test_production_settings_pass_deploy_checks():
    # Also the one django_db-marked test of this module: pytest-django creates
    # the test database only when some collected test is marked.
    # Every value of .env.example must parse; only the secret is filled in.
    example = {key: value for key, value in _env_example().items() if value}
    env = {**_production_env(Path("/nonexistent"), _database_url()), **example}
    env["DJANGO_SECRET_KEY"] = secrets.token_urlsafe(50)
    env["DATABASE_URL"] = _database_url()
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]


def _env_example() -> dict[str, str]:
    values = {}
    for line in (ROOT / ".env.example").read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            key, _sep, value = line.partition("=")
            values[key.strip()] = value.strip()
    return values


def test_env_example_lists_every_key_the_settings_read():
    read = set()
    for module in ("base.py", "production.py"):
        source = (ROOT / "cms/settings" / module).read_text()
        read |= set(re.findall(r'env(?:\.\w+)?\(\s*"([A-Z][A-Z0-9_]+)"', source))
    missing = read - set(_env_example())
    assert not missing, f".env.example lacks {sorted(missing)}"


def test_nginx_production_config_is_valid(tmp_path):
    """infra/nginx/dialog.conf (TLS, wildcard hosts) passes `nginx -t`."""
    nginx = _nginx_binary()
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1"]
        + ["-subj", "/CN=dialog.test", "-keyout", str(tmp_path / "privkey.pem")]
        + ["-out", str(tmp_path / "fullchain.pem")],
        check=True,
        capture_output=True,
        timeout=60,
    )
    (tmp_path / "logs").mkdir()
    replacements = {
        "/etc/ssl/dialog/": f"{tmp_path}/",
        "/var/log/nginx/": f"{tmp_path}/logs/",
        "/var/www/letsencrypt": str(tmp_path),
        "/etc/nginx/dialog-": f"{tmp_path}/dialog-",
        "/srv/dialog/": f"{tmp_path}/",
    }
    for name in (
        "dialog.conf",
        "dialog-upstream.conf",
        "dialog-locations.conf",
        "dialog-proxy.conf",
    ):
        text = (ROOT / "infra/nginx" / name).read_text()
        for old, new in replacements.items():
            text = text.replace(old, new)
        # Loopback ports above 1024: the check must not need :80 or :443.
        text = re.sub(r"\n *listen \[::\]:\d+[^\n]*", "", text)
        text = text.replace("listen 80 ", "listen 127.0.0.1:18080 ")
        text = text.replace("listen 443 ", "listen 127.0.0.1:18443 ")
        (tmp_path / name).write_text(text)
    main = tmp_path / "nginx.conf"
    main.write_text(
        f"pid {tmp_path}/nginx.pid; error_log {tmp_path}/logs/error.log;\n"
        "events {}\n"
        f"http {{ include /etc/nginx/mime.types; include {tmp_path}/dialog.conf; }}\n"
    )
    result = subprocess.run(
        [nginx, "-t", "-p", str(tmp_path), "-c", str(main)],
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert result.returncode == 0, result.stderr


@pytest.fixture(scope="module")
def stack(django_db_setup, django_db_blocker, tmp_path_factory):
    """Cities, collectstatic, gunicorn and nginx; yields ports and fixtures' facts."""
    nginx = _nginx_binary()
    tmp = tmp_path_factory.mktemp("smoke")
    processes: dict[str, subprocess.Popen] = {}
    logs = []
    with django_db_blocker.unblock():
        _drop_cities()
        try:
            create_city(CITY_A, "Smoke A", [HOST_A])
            create_city(CITY_B, "Smoke B", [HOST_B])
            with schema_context(CITY_A):
                from django.core.files.storage import default_storage

                from programmes.factories import ProgrammeDocumentFactory

                media_name = default_storage.save("smoke/hello.txt", ContentFile(MEDIA_BYTES))
                document = ProgrammeDocumentFactory(title="Raport dymny")
                with document.open_file() as handle:
                    document_bytes = handle.read()
                document_url = document.url
            connection.set_schema_to_public()

            env = _production_env(tmp, _database_url())
            started = time.monotonic()
            subprocess.run(
                [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
                cwd=ROOT,
                env=env,
                check=True,
                timeout=300,
                capture_output=True,
            )
            collectstatic_seconds = time.monotonic() - started

            app_port, nginx_port, dead_port = _free_port(), _free_port(), _free_port()
            gunicorn = [str(VENV_BIN / "gunicorn"), "-c", str(ROOT / "infra/gunicorn.conf.py")]
            for name, port, database_url in (
                ("gunicorn", app_port, _database_url()),
                # Same app, database on a port where nothing listens.
                ("gunicorn-no-db", dead_port, _database_url(port=_free_port())),
            ):
                log = open(tmp / f"{name}.log", "wb")  # noqa: SIM115 - closed in finally
                logs.append(log)
                processes[name] = subprocess.Popen(
                    [*gunicorn, "--bind", f"127.0.0.1:{port}"],
                    cwd=ROOT,
                    env={**env, "DATABASE_URL": database_url},
                    stdout=log,
                    stderr=subprocess.STDOUT,
                )
            config = _write_nginx_config(tmp, nginx_port, app_port)
            subprocess.run(
                [nginx, "-t", "-q", "-p", str(tmp), "-c", str(config)],
                check=True,
                timeout=30,
                capture_output=True,
            )
            log = open(tmp / "nginx.log", "wb")  # noqa: SIM115 - closed in finally
            logs.append(log)
            processes["nginx"] = subprocess.Popen(
                [nginx, "-p", str(tmp), "-c", str(config)], stdout=log, stderr=subprocess.STDOUT
            )
            deadline = time.monotonic() + START_TIMEOUT
            _wait_for(nginx_port, HOST_A, deadline, processes)
            _wait_for(dead_port, HOST_A, deadline, processes)
            yield {
                "port": nginx_port,
                "dead_port": dead_port,
                "tmp": tmp,
                "media_name": media_name,
                "document_url": document_url,
                "document_bytes": document_bytes,
                "collectstatic_seconds": collectstatic_seconds,
            }
        finally:
            for process in processes.values():
                _stop(process)
            for log in logs:
                log.close()
            _drop_cities()


def test_home_pages_of_two_cities_through_nginx(stack):
    for host, name in ((HOST_A, "Smoke A"), (HOST_B, "Smoke B")):
        status, headers, body = _request(stack["port"], "/", host)
        assert status == 200, body[:500]
        assert name in body.decode()
        assert headers["Server"].startswith("nginx")


def test_unknown_host_is_a_404_through_nginx(stack):
    status, _headers, _body = _request(stack["port"], "/", "unknown.localhost")
    assert status == 404


def test_security_headers_on_public_and_admin_pages(stack):
    status, headers, _body = _request(stack["port"], "/", HOST_A)
    assert status == 200
    csp = headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert re.search(r"script-src 'self'(;|$)", csp), csp  # no inline scripts on public pages
    assert "frame-ancestors 'self'" in csp and "object-src 'none'" in csp
    assert headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["X-Frame-Options"] == "SAMEORIGIN"
    assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert headers["Cross-Origin-Opener-Policy"] == "same-origin"
    assert re.fullmatch(r"[0-9a-f]{32}", headers["X-Request-ID"])  # nginx's $request_id

    status, headers, body = _request(stack["port"], "/admin/login/", HOST_B)
    assert status == 200
    assert b"csrfmiddlewaretoken" in body
    assert "script-src 'self' 'unsafe-inline'" in headers["Content-Security-Policy"]
    cookies = headers.get_all("Set-Cookie")
    assert any(c.startswith("csrftoken=") and "Secure" in c for c in cookies), cookies

    # Plain HTTP (no X-Forwarded-Proto: https) is redirected to HTTPS.
    status, headers, _body = _request(
        stack["port"], "/", HOST_A, headers={"X-Forwarded-Proto": "http"}
    )
    assert status == 301 and headers["Location"] == f"https://{HOST_A}/"


def test_static_file_is_served_by_nginx_with_caching_headers(stack):
    _status, _headers, body = _request(stack["port"], "/", HOST_A)
    match = re.search(rb'href="(/static/cms/site\.[0-9a-f]{12}\.css)"', body)
    assert match, "the page links the hashed stylesheet"
    url = match.group(1).decode()
    status, headers, css = _request(stack["port"], url, HOST_A)
    assert status == 200
    assert css == (stack["tmp"] / url.lstrip("/")).read_bytes()
    assert headers["Cache-Control"] == "max-age=31536000"
    assert headers["Expires"]
    assert "X-Request-ID" not in headers  # answered by nginx, never reached Django


def test_media_and_document_downloads_stay_in_their_city(stack):
    media_path = f"/media/{CITY_A}/{stack['media_name']}"
    status, headers, body = _request(stack["port"], media_path, HOST_A)
    assert status == 200 and body == MEDIA_BYTES
    assert headers["Expires"] and "sandbox" in headers["Content-Security-Policy"]
    # The same URL under the other city's domain is not served.
    status, _headers, body = _request(stack["port"], media_path, HOST_B)
    assert status == 404 and body != MEDIA_BYTES
    # Nor is the internal location reachable from outside.
    status, _headers, _body = _request(
        stack["port"], f"/_media_internal/{CITY_A}/{stack['media_name']}", HOST_A
    )
    assert status == 404

    status, headers, body = _request(stack["port"], stack["document_url"], HOST_A)
    assert status == 200 and body == stack["document_bytes"]
    assert headers["Content-Disposition"].startswith("attachment")
    status, _headers, _body = _request(stack["port"], stack["document_url"], HOST_B)
    assert status == 404


def test_healthz_reports_services_and_503_without_database(stack):
    status, _headers, body = _request(stack["port"], "/healthz", HOST_A)
    report = json.loads(body)
    assert status == 200, report
    assert report["status"] == "ok" and report["checks"]["database"] == {"ok": True}
    # Probes registered by other apps (search: Elasticsearch, task queue).
    # Every probe registered by the apps reports, and search is the real service.
    for dotted in settings.DIALOG_HEALTH_PROBES:
        name = dotted.rsplit(".", 1)[-1].removeprefix("probe_")
        assert isinstance(report["checks"][name]["ok"], bool), report
    assert {"database", "search", "queue"} <= set(report["checks"]), report
    assert report["checks"]["search"]["backend"] == settings.SEARCH_BACKEND
    # Elasticsearch being slow or down makes search "ok": false, never the
    # status: a load balancer must keep app servers whose database works.
    assert report["checks"]["queue"]["ok"] is True

    status, _headers, body = _request(stack["dead_port"], "/healthz", HOST_A)
    report = json.loads(body)
    assert status == 503, report
    assert report["status"] == "unavailable"
    assert report["checks"]["database"]["ok"] is False


def test_logs_are_json_lines_with_the_request_id(stack):
    _status, headers, _body = _request(stack["port"], "/", HOST_B)
    request_id = headers["X-Request-ID"]
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        lines = (stack["tmp"] / "gunicorn-access.log").read_text().splitlines()
        entries = [json.loads(line) for line in lines if line.startswith("{")]
        mine = [entry for entry in entries if entry["request_id"] == request_id]
        if mine:
            break
        time.sleep(0.2)
    assert mine and mine[0]["host"] == HOST_B and mine[0]["status"] == 200
