"""Benchmark: creating a city from the template dump vs. running its migrations.

    .venv/bin/python bench/provisioning.py --n 10        (or `make bench`)

Works in its own throwaway database (``dialog_bench_provisioning`` on the
server of DATABASE_URL), created at the start and dropped at the end, also on
error, so the dev data is never touched. Steps:

1. migrate the public schema (``migrate_schemas --shared``);
2. build the city template once (``tenants.provisioning.build_template``),
   reported as a one-off cost;
3. create N cities each way, interleaved (A, B, A, B...) so machine noise hits
   both alike:
   A. *cloned*: ``tenants.provisioning.create_city`` (the project's way);
   B. *migrated*: stock django-tenants, i.e. what ``auto_create_schema`` does
      (``TenantMixin.create_schema``: ``CREATE SCHEMA`` + ``migrate_schemas``
      for that schema), plus the same per-city seeding the template gets
      (``seed_city_defaults`` + ``configure_city``) so both give the same city;
4. verify every city (site hostname, home page, HTTP 200 on its domain) and
   that both kinds have the same tables, migrations and seeded rows;
5. print the figures and write bench/results/provisioning.md.

Besides wall time, each creation's CPU time (this process plus its PostgreSQL
backends, read from /proc when the server is local) is reported: it barely
moves when other work competes for the CPUs, unlike wall time.

The last line printed is ``per-city seconds: cloned X, migrated Y, ratio Z``
(wall-clock means; Z = Y / X).
"""

from __future__ import annotations

import argparse
import os
import platform
import signal
import statistics
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
BENCH_DIR = Path(__file__).resolve().parent
DEFAULT_URL = "postgres://dialog:dialog@127.0.0.1:54329/dialog"
DEFAULT_DB = "dialog_bench_provisioning"
DEFAULT_OUTPUT = BENCH_DIR / "results" / "provisioning.md"
TARGET_SECONDS = 1.5
TARGET_RATIO = 10.0

# Run as a script, sys.path[0] is bench/; the project packages live in ROOT.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != BENCH_DIR]
sys.path.insert(0, str(ROOT))


def log(message: str) -> None:
    print(message, flush=True)


# --- throwaway database ------------------------------------------------------


def with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, f"/{name}", parts.query, parts.fragment))


def database_name(url: str) -> str:
    return urlsplit(url).path.lstrip("/")


def admin_connection(url: str):
    """Autocommit connection to the server's maintenance database."""
    import psycopg

    return psycopg.connect(with_database(url, "postgres"), autocommit=True)


def drop_database(url: str, name: str) -> None:
    from psycopg import sql

    statement = sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)")
    with admin_connection(url) as conn:
        conn.execute(statement.format(sql.Identifier(name)))


def create_database(url: str, name: str) -> None:
    """Create ``name`` afresh (a leftover of a killed run is dropped first)."""
    from psycopg import sql

    drop_database(url, name)
    with admin_connection(url) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


# --- machine -----------------------------------------------------------------


def machine_info() -> dict[str, str]:
    from django.db import connection

    try:
        nproc = str(len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        nproc = str(os.cpu_count())
    ram = "unknown"
    cpu = platform.processor() or "unknown"
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                ram = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
                break
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        pg_version = cursor.fetchone()[0]
        cursor.execute("SHOW fsync")
        fsync = cursor.fetchone()[0]
    return {
        "nproc": nproc,
        "RAM": ram,
        "CPU": cpu,
        "Python": platform.python_version(),
        "PostgreSQL": f"{pg_version} (fsync={fsync})",
        "OS": f"{platform.system()} {platform.release()}",
    }


def load_average() -> str:
    try:
        return " / ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "unknown"


def busy(load: str, nproc: str) -> bool:
    """Was the machine shared: 1-minute load average above the number of CPUs?"""
    try:
        return float(load.split(" / ")[0]) > float(nproc)
    except ValueError:
        return False


def _backend_cpu(pid: int) -> float | None:
    """CPU seconds used so far by a PostgreSQL backend, if it runs on this machine."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return None


class CpuMeter:
    """CPU time of this process plus its PostgreSQL backends during one creation.

    Unlike wall time it hardly moves when other work competes for the CPUs.
    ``migrate_schemas`` closes the connection when done, so every backend is
    sampled when it appears (connection_created), after each app's migrations
    (post_migrate, the connection still open) and at the end.
    """

    def __init__(self):
        from django.db.backends.signals import connection_created
        from django.db.models.signals import post_migrate

        self.available = True
        self.samples: dict[int, list[float]] = {}
        self.own_start = 0.0
        connection_created.connect(self._on_connection, weak=False)
        post_migrate.connect(self._on_post_migrate, weak=False)

    def _sample(self, wrapper) -> None:
        raw = getattr(wrapper, "connection", None)
        if raw is None or getattr(raw, "closed", True):
            return
        pid = raw.info.backend_pid
        value = _backend_cpu(pid)
        if value is None:
            self.available = False
            return
        self.samples.setdefault(pid, [value, value])[1] = value

    def _on_connection(self, sender, connection, **kwargs):
        self._sample(connection)

    def _on_post_migrate(self, sender, **kwargs):
        from django.db import connection

        self._sample(connection)

    def start(self) -> None:
        from django.db import connection

        connection.ensure_connection()
        self.samples = {}
        self.own_start = sum(os.times()[:2])
        self._sample(connection)

    def stop(self) -> float | None:
        from django.db import connection

        self._sample(connection)
        if not self.available:
            return None
        backends = sum(last - first for first, last in self.samples.values())
        return sum(os.times()[:2]) - self.own_start + backends


# --- the two ways of creating a city ------------------------------------------


def create_cloned(slug: str, name: str, domain: str):
    from tenants.provisioning import create_city

    return create_city(slug, name, [domain])


def create_migrated(slug: str, name: str, domain: str):
    """Stock django-tenants: what ``auto_create_schema = True`` does on save."""
    from django.db import connection, transaction
    from django_tenants.utils import schema_context

    from tenants.models import City, Domain
    from tenants.seed import configure_city, seed_city_defaults

    connection.set_schema_to_public()
    city = City(schema_name=slug, slug=slug, name=name)
    city.save()  # City.auto_create_schema is False, so call what save() would:
    city.create_schema(check_if_exists=True, verbosity=0)  # CREATE SCHEMA + migrate_schemas
    Domain.objects.create(domain=domain, tenant=city, is_primary=True)
    with schema_context(slug):
        with transaction.atomic():
            seed_city_defaults()
            configure_city(city, domain, city.language_list)
    connection.set_schema_to_public()
    return city


# --- verification ------------------------------------------------------------


class BenchError(RuntimeError):
    pass


def fingerprint(slug: str) -> dict[str, object]:
    """What a city's schema holds, to compare the two kinds of city."""
    from django.contrib.auth.models import Group
    from django.db import connection
    from django_tenants.utils import schema_context
    from wagtail.models import Collection, Locale, Page, Site

    with schema_context(slug):
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = %s",
                [slug],
            )
            tables = frozenset(row[0] for row in cursor.fetchall())
            cursor.execute("SELECT app, name FROM django_migrations")
            migrations = frozenset(cursor.fetchall())
        return {
            "tables": tables,
            "migrations": migrations,
            "pages": Page.objects.count(),
            "sites": Site.objects.count(),
            "collections": sorted(Collection.objects.values_list("name", flat=True)),
            "locales": sorted(Locale.objects.values_list("language_code", flat=True)),
            "groups": sorted(
                (group.name, group.permissions.count()) for group in Group.objects.all()
            ),
        }


def verify_city(slug: str, name: str, domain: str) -> None:
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django_tenants.utils import schema_context
    from wagtail.models import Site

    from tenants.models import City, Domain
    from tenants.seed import _home_page_model

    problems = []
    connection.set_schema_to_public()
    city = City.objects.filter(slug=slug).first()
    if city is None or city.schema_name != slug:
        raise BenchError(f"{slug}: no City row with schema {slug}")
    if not Domain.objects.filter(tenant=city, domain=domain, is_primary=True).exists():
        problems.append(f"no primary Domain {domain}")
    with schema_context(slug):
        sites = list(Site.objects.all())
        home = _home_page_model().objects.first()
        if len(sites) != 1:
            problems.append(f"{len(sites)} wagtail Sites, expected 1")
        elif sites[0].hostname != domain:
            problems.append(f"Site hostname {sites[0].hostname!r} != {domain!r}")
        elif not sites[0].is_default_site or sites[0].port != settings.DIALOG_SITE_PORT:
            problems.append("Site is not the default site on DIALOG_SITE_PORT")
        if home is None:
            problems.append("no home page")
        else:
            if home.title != name:
                problems.append(f"home page title {home.title!r} != {name!r}")
            if sites and sites[0].root_page_id != home.pk:
                problems.append("Site root is not the home page")
    connection.set_schema_to_public()
    response = Client().get("/", HTTP_HOST=domain)
    connection.set_schema_to_public()
    if response.status_code != 200:
        problems.append(f"GET http://{domain}/ -> {response.status_code}")
    elif name not in response.content.decode(errors="replace"):
        problems.append(f"GET http://{domain}/ does not show the city name")
    if problems:
        raise BenchError(f"city {slug} does not work: " + "; ".join(problems))


def compare_fingerprints(cities: list[tuple[str, str]]) -> dict[str, object]:
    """Every city, cloned or migrated, must hold the same schema and seed."""
    reference_slug, reference_kind = cities[0]
    reference = fingerprint(reference_slug)
    for slug, kind in cities[1:]:
        other = fingerprint(slug)
        for key, value in reference.items():
            if other[key] == value:
                continue
            if isinstance(value, frozenset):
                detail = (
                    f"only in {reference_slug}: {sorted(value - other[key])[:5]}; "
                    f"only in {slug}: {sorted(other[key] - value)[:5]}"
                )
            else:
                detail = f"{reference_slug}: {value!r}; {slug}: {other[key]!r}"
            raise BenchError(
                f"{kind} city {slug} differs from {reference_kind} city {reference_slug} "
                f"in {key}: {detail}"
            )
    return reference


# --- report ------------------------------------------------------------------


def summary(times: list[float]) -> dict[str, float]:
    return {
        "mean": statistics.fmean(times),
        "median": statistics.median(times),
        "min": min(times),
        "max": max(times),
        "stdev": statistics.stdev(times) if len(times) > 1 else 0.0,
    }


def command_line() -> str:
    python = Path(sys.executable)
    try:
        python_shown = str(python.relative_to(ROOT))
    except ValueError:
        python_shown = str(python)
    script = Path(sys.argv[0]).resolve()
    try:
        script_shown = str(script.relative_to(ROOT))
    except ValueError:
        script_shown = str(script)
    return " ".join([python_shown, script_shown, *sys.argv[1:]])


def write_report(path: Path, data: dict) -> None:
    cloned, migrated = data["cloned"], data["migrated"]
    a, b = summary(cloned), summary(migrated)
    ratio = b["mean"] / a["mean"]
    median_ratio = b["median"] / a["median"]
    n = len(cloned)
    template = data["template_seconds"]
    fast_ok = a["mean"] < TARGET_SECONDS
    ratio_ok = ratio >= TARGET_RATIO
    lines = [
        "# City provisioning benchmark",
        "",
        "Cloning the template dump (`tenants.provisioning.create_city`) vs. stock django-tenants",
        "schema creation (`CREATE SCHEMA` + `migrate_schemas` for the new schema, plus the same",
        "seeding: `seed_city_defaults` + `configure_city`). Generated by `bench/provisioning.py`.",
        "",
        "```",
        data["command"],
        "```",
        "",
        f"- Date (UTC): {data['date']}",
    ]
    lines += [f"- {key}: {value}" for key, value in data["machine"].items()]
    load_before, load_after = data["load"]
    shared = busy(load_before, data["machine"]["nproc"]) or busy(
        load_after, data["machine"]["nproc"]
    )
    lines.append(
        f"- Load average (1/5/15 min): {load_before} before, {load_after} after the cities"
        + (" — the machine was shared with other work during the run" if shared else "")
    )
    lines += [
        f"- Database: throwaway `{data['db_name']}` on the DATABASE_URL server, "
        "created and dropped by the script",
        f"- Cities: {n} of each kind, created interleaved (cloned, migrated, cloned, ...), "
        "each verified (Site hostname = domain, home page titled with the city name, "
        "HTTP 200 on its domain) and all found identical in tables, applied migrations, "
        "pages, sites, collections, locales and groups",
        f"- Each city: {data['tables']} tables, {data['migrations']} applied tenant migrations; "
        f"template dump {data['template_bytes'] / 1024 / 1024:.1f} MiB of SQL",
        "",
        "## Results",
        "",
        "| seconds per city | mean | median | min | max | stdev |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for label, stats in (("cloned (create_city)", a), ("migrated (stock django-tenants)", b)):
        lines.append(
            f"| {label} | {stats['mean']:.2f} | {stats['median']:.2f} | {stats['min']:.2f} "
            f"| {stats['max']:.2f} | {stats['stdev']:.2f} |"
        )
    cpu = data["cpu"]
    if cpu:
        cpu_a, cpu_b = summary(cpu["cloned"]), summary(cpu["migrated"])
        for label, stats in (("cloned", cpu_a), ("migrated", cpu_b)):
            lines.append(
                f"| CPU s ({label}, Python + PostgreSQL backend) | {stats['mean']:.2f} "
                f"| {stats['median']:.2f} | {stats['min']:.2f} | {stats['max']:.2f} "
                f"| {stats['stdev']:.2f} |"
            )
    lines += [
        "",
        f"- Ratio migrated / cloned: **{ratio:.1f}×** on means ({median_ratio:.1f}× on medians)"
        + (f"; {cpu_b['mean'] / cpu_a['mean']:.1f}× in CPU time" if cpu else ""),
        f"- One-off costs: public schema migration {data['public_seconds']:.2f} s; "
        f"template build (`build_template`: migrate + seed + pg_dump) {template:.2f} s",
        "",
        "Per city, in creation order (seconds):",
        "",
        "| # | cloned | migrated |" + (" cloned CPU | migrated CPU |" if cpu else ""),
        "|---:|---:|---:|" + ("---:|---:|" if cpu else ""),
    ]
    for index, (x, y) in enumerate(zip(cloned, migrated, strict=True)):
        row = f"| {index + 1} | {x:.2f} | {y:.2f} |"
        if cpu:
            row += f" {cpu['cloned'][index]:.2f} | {cpu['migrated'][index]:.2f} |"
        lines.append(row)
    lines += [
        "",
        "## Interpretation",
        "",
        f"- Target < {TARGET_SECONDS} s per city: **{'met' if fast_ok else 'NOT met'}** on "
        f"the mean ({a['mean']:.2f} s; median {a['median']:.2f} s, worst {a['max']:.2f} s).",
        f"- Target ≥ {TARGET_RATIO:.0f}× faster than migrations: "
        f"**{'met' if ratio_ok else 'NOT met'}** ({ratio:.1f}×).",
        f"- The template build ({template:.1f} s) runs the same migrations as one migrated "
        f"city ({b['mean']:.1f} s) plus the seed and a pg_dump, once per set of tenant "
        "migrations (after an upgrade): the first city created after it has repaid it.",
        f"- The migrated path replays all {data['migrations']} tenant migrations per city, so "
        "it slows down with every migration added; the cloned path depends only on the size "
        "of the final schema and seed.",
        "- The dev PostgreSQL runs with fsync and synchronous_commit off, so absolute times "
        "on a durable production server are higher; the migrated path commits once per "
        "migration, the cloned path once per city.",
    ]
    if shared:
        lines.append(
            f"- The load average exceeded the {data['machine']['nproc']} CPUs: other processes "
            "competed for them, so absolute times are inflated and noisy (see max vs. median). "
            "The two kinds were interleaved, so the ratio is the more robust figure"
            + (
                ", and CPU time (Python + PostgreSQL backend) approximates an idle machine"
                if cpu
                else ""
            )
            + "; rerun on an idle machine for absolute wall-clock numbers."
        )
    lines.append("")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines))


# --- main --------------------------------------------------------------------


def run(args: argparse.Namespace) -> dict:
    import django

    django.setup()

    from django.core.management import call_command
    from django.db import connection

    from tenants.provisioning import build_template

    machine = machine_info()
    log(f"Machine: {', '.join(f'{k} {v}' for k, v in machine.items())}")
    load_before = load_average()
    log(f"Load average (1/5/15 min): {load_before}")

    started = time.perf_counter()
    call_command("migrate_schemas", shared=True, interactive=False, verbosity=0)
    public_seconds = time.perf_counter() - started
    log(f"Public schema migrated in {public_seconds:.2f} s (one-off)")

    started = time.perf_counter()
    snapshot = build_template()
    template_seconds = time.perf_counter() - started
    connection.set_schema_to_public()
    log(f"Template built in {template_seconds:.2f} s (one-off)")

    kinds = {"cloned": create_cloned, "migrated": create_migrated}
    times: dict[str, list[float]] = {"cloned": [], "migrated": []}
    cpu: dict[str, list[float]] | None = {"cloned": [], "migrated": []}
    meter = CpuMeter()
    created: list[tuple[str, str, str, str]] = []
    for index in range(1, args.n + 1):
        for kind, create in kinds.items():
            slug = f"bench_{kind[0]}{index:03d}"
            name = f"Bench {kind} {index}"
            domain = f"{slug.replace('_', '-')}.localhost"
            meter.start()
            started = time.perf_counter()
            create(slug, name, domain)
            seconds = time.perf_counter() - started
            cpu_seconds = meter.stop()
            if cpu is not None and cpu_seconds is not None:
                cpu[kind].append(cpu_seconds)
            else:
                cpu = None  # the server runs on another machine
            connection.set_schema_to_public()
            times[kind].append(seconds)
            created.append((slug, name, domain, kind))
            cpu_note = f", {cpu[kind][-1]:6.2f} s CPU" if cpu else ""
            log(f"  {kind:8s} city {index:3d}/{args.n}: {seconds:6.2f} s{cpu_note}  ({slug})")

    log("Verifying cities...")
    for slug, name, domain, _kind in created:
        verify_city(slug, name, domain)
    reference = compare_fingerprints([(slug, kind) for slug, _name, _domain, kind in created])
    log(f"All {len(created)} cities work and are equivalent.")
    connection.set_schema_to_public()
    load_after = load_average()
    log(f"Load average (1/5/15 min): {load_after}")

    return {
        "machine": machine,
        "load": (load_before, load_after),
        "public_seconds": public_seconds,
        "template_seconds": template_seconds,
        "template_bytes": len(snapshot.sql.encode()),
        "migrations": len(reference["migrations"]),
        "tables": len(reference["tables"]),
        "cloned": times["cloned"],
        "migrated": times["migrated"],
        "cpu": cpu,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--n", type=int, default=10, help="cities of each kind (default 10)")
    parser.add_argument("--db-name", default=DEFAULT_DB, help=f"throwaway database ({DEFAULT_DB})")
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT, help="markdown report")
    args = parser.parse_args()
    if args.n < 1:
        parser.error("--n must be at least 1")

    base_url = os.environ.get("DATABASE_URL", DEFAULT_URL)
    if database_name(base_url) == args.db_name:
        parser.error(f"--db-name {args.db_name} is the DATABASE_URL database; choose another")
    bench_url = with_database(base_url, args.db_name)
    # Settings read DATABASE_URL at import: point them at the throwaway database.
    os.environ["DATABASE_URL"] = bench_url
    os.environ["DJANGO_SETTINGS_MODULE"] = "cms.settings.dev"

    def on_sigterm(signum, frame):
        raise SystemExit(128 + signum)

    signal.signal(signal.SIGTERM, on_sigterm)

    command = command_line()
    date = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    log(f"Creating throwaway database {args.db_name}")
    create_database(base_url, args.db_name)
    try:
        data = run(args)
    finally:
        try:
            from django.db import connections

            connections.close_all()
        except Exception as error:  # the drop below must still run
            log(f"(closing connections: {error})")
        drop_database(base_url, args.db_name)
        log(f"Dropped throwaway database {args.db_name}")

    data.update(command=command, date=date, db_name=args.db_name)
    write_report(args.output, data)
    a, b = summary(data["cloned"]), summary(data["migrated"])
    ratio = b["mean"] / a["mean"]
    log("")
    log(f"{'seconds per city':32s} {'mean':>7s} {'median':>7s} {'min':>7s} {'max':>7s}")
    for label, stats in (("cloned (create_city)", a), ("migrated (django-tenants)", b)):
        log(
            f"{label:32s} {stats['mean']:7.2f} {stats['median']:7.2f} "
            f"{stats['min']:7.2f} {stats['max']:7.2f}"
        )
    log(f"{'ratio migrated/cloned':32s} {ratio:7.1f} {b['median'] / a['median']:7.1f}")
    if data["cpu"]:
        cpu_a, cpu_b = summary(data["cpu"]["cloned"]), summary(data["cpu"]["migrated"])
        for label, stats in (("CPU s cloned", cpu_a), ("CPU s migrated", cpu_b)):
            log(
                f"{label:32s} {stats['mean']:7.2f} {stats['median']:7.2f} "
                f"{stats['min']:7.2f} {stats['max']:7.2f}"
            )
        log(f"{'CPU ratio migrated/cloned':32s} {cpu_b['mean'] / cpu_a['mean']:7.1f}")
    log(
        f"One-off: public migrate {data['public_seconds']:.2f} s, "
        f"template build {data['template_seconds']:.2f} s"
    )
    try:
        shown = args.output.resolve().relative_to(ROOT)
    except ValueError:
        shown = args.output
    log(f"Report written to {shown}")
    log(f"per-city seconds: cloned {a['mean']:.2f}, migrated {b['mean']:.2f}, ratio {ratio:.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
