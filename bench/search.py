"""Benchmark: search indexing throughput and /api/v1/search/ latency.

    .venv/bin/python bench/search.py [--docs 20000] [--requests 300]

In a throwaway database (``dialog_bench_search``, dropped at the end, also on
error) and under its own index prefix (``bench-search-<pid>``, deleted at the
end), with the real Elasticsearch of ELASTICSEARCH_URL (default
http://127.0.0.1:9201, started by ``make services``):

1. one city, and ``--docs`` generated Polish documents in it
   (ProgrammeDocument rows with ~1,500 characters of "extracted text" each,
   made from the seeds' sentences, names, streets and years);
2. indexing throughput: ``search.indexing.reindex`` end to end (read rows,
   build items, Polish analysis in Python, bulk into a new index, refresh,
   alias swap), in documents per second; the same for the PostgreSQL
   backend; and the Python side alone (items + analysis, no backend);
3. latency of GET /api/v1/search/ (the real URL conf, cms.wsgi) served by
   gunicorn on 127.0.0.1 (4 sync workers, no throttling, persistent database
   connections as in production), with 1 and 16 concurrent clients, after a
   warm-up; queries cycle through a fixed list of typical resident queries
   (inflected, no diacritics, typos).
   Also the query service called in-process, for reference.

Writes bench/results/search.md. Not a timed test: the figures depend on the
machine, and the report says what else was running (load average).
"""

from __future__ import annotations

import argparse
import http.client
import os
import random
import re
import signal
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH_DIR = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != BENCH_DIR]
sys.path.insert(0, str(ROOT))

from bench.provisioning import (  # noqa: E402 - after the path fix above
    command_line,
    create_database,
    database_name,
    drop_database,
    load_average,
    log,
    machine_info,
    with_database,
)

DEFAULT_URL = "postgres://dialog:dialog@127.0.0.1:54329/dialog"
DEFAULT_DB = "dialog_bench_search"
DEFAULT_OUTPUT = BENCH_DIR / "results" / "search.md"
CITY = "benchcity"
SEEDS = ROOT.parent / "shared" / "seeds"

QUERIES = [
    "warsztaty",
    "spotkaniu plenarnym",
    "raport z konsultacji",
    "konsultacje spoleczne",
    "palac slubow",
    "Legnicka 65",
    "zespołów roboczych",
    "budzet partycypacyjny",
    "rewitalizacja podwórek",
    "organizacji pozarządowych",
    "mieszkancow dzielnicy",
    "dialog społeczny 2017",
    "Senatorska 27",
    "Żórawska",
    "luczewski",
    "konsultcje",
    "strategia rozwoju",
    "protokół z posiedzenia",
    "tłumacz języka migowego",
    "open space",
]

# --- Generated corpus -----------------------------------------------------------

FIRST = "Anna Jan Piotr Katarzyna Michał Agnieszka Tomasz Joanna Paweł Ewa Łukasz Zofia".split()
LAST = (
    "Nowak Kowalska Wiśniewski Wójcik Kamińska Lewandowski Zielińska Szymański Woźniak "
    "Dąbrowska Kozłowski Jankowska Mazur Krawczyk Piotrowska Grabowski Żórawska Łuczewski"
).split()
STREETS = (
    "Senatorska Marszałkowska Legnicka Świętokrzyska Piękna Grochowska Puławska Żelazna "
    "Targowa Ząbkowska Nowy Świat Krakowskie Przedmieście"
).split()
DISTRICTS = "Praga Mokotów Wola Ursynów Bemowo Targówek Żoliborz Bielany Ochota Wawer".split()
KINDS = ["report", "minutes", "analysis", "presentation", "handbook", "programme_text", "other"]
TITLE_WORDS = {
    "report": "Raport z konsultacji",
    "minutes": "Protokół ze spotkania",
    "analysis": "Analiza potrzeb",
    "presentation": "Prezentacja wyników",
    "handbook": "Podręcznik dobrych praktyk",
    "programme_text": "Projekt programu",
    "other": "Notatka informacyjna",
}
TOPICS = [
    "dialogu społecznego",
    "budżetu partycypacyjnego",
    "rewitalizacji podwórek",
    "zieleni miejskiej",
    "transportu publicznego",
    "współpracy z organizacjami pozarządowymi",
    "polityki senioralnej",
    "edukacji obywatelskiej",
    "bezpieczeństwa ruchu",
    "kultury w dzielnicach",
]


def seed_sentences() -> list[str]:
    sentences = []
    for path in sorted(SEEDS.glob("*.txt")):
        text = " ".join(path.read_text(encoding="utf-8").split())
        sentences += [s.strip() for s in re.split(r"(?<=[.!?])\s+", text) if len(s) > 40]
    if not sentences:  # no seeds beside the checkout: a small built-in text
        sentences = [
            "Mieszkańcy spotkali się na warsztatach, aby omówić potrzeby dzielnicy.",
            "Zespół roboczy przygotował rekomendacje dla urzędu miasta.",
            "Konsultacje społeczne trwały od marca do kwietnia.",
        ]
    return sentences


def generate(count: int, rng: random.Random):
    """(title, description, text, kind, date) of generated Polish documents."""
    import datetime

    sentences = seed_sentences()
    for n in range(count):
        kind = rng.choice(KINDS)
        topic = rng.choice(TOPICS)
        district = rng.choice(DISTRICTS)
        year = rng.randint(2009, 2024)
        person = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
        street = f"ul. {rng.choice(STREETS)} {rng.randint(1, 120)}"
        title = f"{TITLE_WORDS[kind]} {topic} – {district} {year} ({n})"
        description = f"Dokument przygotowała {person}. Spotkanie odbyło się przy {street}."
        body = " ".join(rng.sample(sentences, k=min(len(sentences), rng.randint(6, 10))))
        text = f"{description} {body} Dzielnica {district}, rok {year}."[:1800]
        date = datetime.date(year, rng.randint(1, 12), rng.randint(1, 28))
        yield title, description, text, kind, date


def create_documents(count: int, seed: int = 7) -> None:
    from django.db import transaction
    from wagtail.models import Collection

    from programmes.documents import ProgrammeDocument

    root = Collection.get_first_root_node()
    rng = random.Random(seed)
    batch = []
    with transaction.atomic():
        for title, description, text, kind, date in generate(count, rng):
            slug = re.sub(r"[^a-z0-9]+", "-", title.lower())[:60]
            batch.append(
                ProgrammeDocument(
                    title=title,
                    description=description,
                    extracted_text=text,
                    extraction_status="done",
                    kind=kind,
                    publication_date=date,
                    language="pl",
                    collection=root,
                    file=f"documents/{slug}.pdf",
                    file_size=len(text) * 20,
                    mime_type="application/pdf",
                )
            )
            if len(batch) == 1000:
                ProgrammeDocument.objects.bulk_create(batch)
                batch = []
        if batch:
            ProgrammeDocument.objects.bulk_create(batch)


# --- CPU time ---------------------------------------------------------------------


def es_pid() -> int | None:
    """The dev node's JVM, found like infra/dev/elasticsearch.sh finds it."""
    home = f"--home {ROOT / '.services' / 'elasticsearch' / 'node'} "
    for proc in Path("/proc").glob("[0-9]*"):
        try:
            command = (proc / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            continue
        program = command.split(" ", 1)[0]
        if program.endswith("java") and " dialog.dev.es.RunEs " in command and home in command:
            return int(proc.name)
    return None


def process_cpu(pid: int | None) -> float | None:
    if pid is None:
        return None
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return None


class Cpu:
    """CPU seconds of this process and of the Elasticsearch JVM over a block."""

    def __init__(self):
        self.pid = es_pid()

    def __enter__(self):
        import resource

        usage = resource.getrusage(resource.RUSAGE_SELF)
        self.own = usage.ru_utime + usage.ru_stime
        self.es = process_cpu(self.pid)
        return self

    def __exit__(self, *exc):
        import resource

        usage = resource.getrusage(resource.RUSAGE_SELF)
        self.own = usage.ru_utime + usage.ru_stime - self.own
        end = process_cpu(self.pid)
        self.es = end - self.es if end is not None and self.es is not None else None
        return False


# --- Latency ----------------------------------------------------------------------


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(pct / 100 * (len(ordered) - 1))))
    return ordered[index]


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """gunicorn serving cms.wsgi on loopback, stopped on exit."""

    def __init__(self, env: dict, workers: int = 4):
        self.port = free_port()
        self.process = subprocess.Popen(
            [
                str(ROOT / ".venv" / "bin" / "gunicorn"),
                "cms.wsgi:application",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                str(workers),
                "--worker-class",
                "sync",
                "--keep-alive",
                "30",
                "--log-level",
                "warning",
            ],
            cwd=ROOT,
            env=env,
        )

    def wait(self, host: str, timeout: float = 300) -> None:
        deadline = time.monotonic() + timeout
        last = "no answer"
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError("gunicorn exited")
            try:
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
                conn.request("GET", "/api/v1/search/?q=dialog", headers={"Host": host})
                response = conn.getresponse()
                body = response.read()
                if response.status == 200:
                    return
                last = f"HTTP {response.status}: {body[:300]!r}"
            except OSError as error:
                last = str(error)
            time.sleep(0.5)
        raise RuntimeError(f"gunicorn did not answer: {last}")

    def cpu(self) -> float:
        """CPU seconds of the gunicorn master and its workers so far."""
        total = process_cpu(self.process.pid) or 0.0
        for child in Path(f"/proc/{self.process.pid}/task").glob("*/children"):
            for pid in child.read_text().split():
                total += process_cpu(int(pid)) or 0.0
        return total

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()


def load(port: int, host: str, clients: int, per_client: int) -> dict:
    """``clients`` threads, each with its own keep-alive connection."""
    from urllib.parse import quote

    latencies: list[float] = []
    errors = 0
    lock = threading.Lock()

    def worker(offset: int) -> None:
        nonlocal errors
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        mine, bad = [], 0
        for i in range(per_client):
            q = QUERIES[(offset + i) % len(QUERIES)]
            started = time.perf_counter()
            try:
                conn.request("GET", f"/api/v1/search/?q={quote(q)}", headers={"Host": host})
                response = conn.getresponse()
                response.read()
                ok = response.status == 200
            except (OSError, http.client.HTTPException):
                ok = False
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            mine.append((time.perf_counter() - started) * 1000)
            bad += not ok
        with lock:
            latencies.extend(mine)
            errors += bad

    threads = [threading.Thread(target=worker, args=(n * 7,)) for n in range(clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    return {
        "clients": clients,
        "requests": len(latencies),
        "errors": errors,
        "p50": percentile(latencies, 50),
        "p95": percentile(latencies, 95),
        "max": max(latencies),
        "rps": len(latencies) / elapsed,
    }


# --- Run --------------------------------------------------------------------------


def run(args) -> dict:
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django_tenants.utils import schema_context

    from search import es
    from search.backends import get_backend
    from search.backends.base import analysed_fields
    from search.indexing import build_items, reindex
    from search.query import search
    from tenants.provisioning import create_city

    machine = machine_info()
    es_info = es.client().info()
    machine["Elasticsearch"] = f"{es_info['version']['number']} at {settings.ELASTICSEARCH_URL}"
    log("Migrating the public schema")
    call_command("migrate_schemas", "--shared", "--noinput", verbosity=0)
    log("Creating the city (builds the template once)")
    create_city(CITY, "Miasto Testowe", [f"{CITY}.localhost"])
    with schema_context(CITY):
        log(f"Generating {args.docs} documents")
        started = time.perf_counter()
        create_documents(args.docs)
        log(f"  {time.perf_counter() - started:.1f} s")

        log("Python side only: build items + Polish analysis")
        started = time.perf_counter()
        items = 0
        with Cpu() as cpu:
            for item in build_items():
                analysed_fields(item)
                items += 1
        python_seconds = time.perf_counter() - started
        log(f"  {items} items in {python_seconds:.1f} s ({cpu.own:.1f} CPU s)")

        results: dict = {"items": items, "python_seconds": python_seconds, "python_cpu": cpu.own}
        for name in ("elasticsearch", "postgres"):
            settings.SEARCH_BACKEND = name
            log(f"Full reindex with {name}")
            started = time.perf_counter()
            with Cpu() as cpu:
                count = reindex(CITY)
            results[f"{name}_cpu"] = (cpu.own, cpu.es)
            results[f"{name}_seconds"] = time.perf_counter() - started
            results[f"{name}_count"] = count
            results[f"{name}_indexed"] = get_backend(name).count(CITY)
            log(f"  {count} items in {results[f'{name}_seconds']:.1f} s")
        settings.SEARCH_BACKEND = "elasticsearch"

        log("In-process query service latency (Elasticsearch)")
        for q in QUERIES:  # warm-up (lemmatiser caches, connections)
            search(q)
        samples = []
        for _round in range(5):
            for q in QUERIES:
                started = time.perf_counter()
                search(q)
                samples.append((time.perf_counter() - started) * 1000)
        results["inprocess"] = {"p50": percentile(samples, 50), "p95": percentile(samples, 95)}

    env = dict(os.environ)
    env.update(
        DJANGO_DEBUG="false",
        SEARCH_BACKEND="elasticsearch",
        API_THROTTLE_RATE="",
        API_SEARCH_THROTTLE_RATE="",
        DJANGO_LOG_LEVEL="ERROR",
        # Persistent database connections, as cms.settings.production has them
        # (60 s): a new PostgreSQL connection per request cost ~20 ms here.
        DATABASE_CONN_MAX_AGE="60",
    )
    host = f"{CITY}.localhost"
    server = Server(env, workers=args.workers)
    try:
        server.wait(host)
        log("HTTP warm-up")
        load(server.port, host, 4, 50)  # also warms the JVM's compiled search paths
        runs = []
        for clients in (1, 16):
            per_client = args.requests if clients == 1 else max(20, args.requests * 2 // clients)
            log(f"HTTP load: {clients} client(s) x {per_client} requests")
            jvm = es_pid()
            app_before, es_before = server.cpu(), process_cpu(jvm)
            outcome = load(server.port, host, clients, per_client)
            app_cpu = server.cpu() - app_before
            es_after = process_cpu(jvm)
            es_cpu = es_after - es_before if es_after is not None and es_before is not None else 0
            outcome["app_cpu_ms"] = app_cpu * 1000 / outcome["requests"]
            outcome["es_cpu_ms"] = es_cpu * 1000 / outcome["requests"]
            log(
                f"  p50 {outcome['p50']:.1f} ms, p95 {outcome['p95']:.1f} ms, "
                f"{outcome['rps']:.0f} req/s, errors {outcome['errors']}"
            )
            runs.append(outcome)
        results["http"] = runs
    finally:
        server.stop()
    results["machine"] = machine
    results["load_after"] = load_average()
    return results


def _cpu(pair) -> str:
    own, jvm = pair
    return f"{own:.1f} + {jvm:.1f} = {own + jvm:.1f}" if jvm is not None else f"{own:.1f} + ?"


def write_report(path: Path, data: dict) -> None:
    es_rate = data["elasticsearch_count"] / data["elasticsearch_seconds"]
    pg_rate = data["postgres_count"] / data["postgres_seconds"]
    py_rate = data["items"] / data["python_seconds"]
    lines = [
        "# Search benchmark: indexing throughput and API latency",
        "",
        f"Command: `{data['command']}`  ",
        f"Date: {data['date']}  ",
        f"Load average before / after: {data['load_before']} / {data['load_after']}",
        "",
        "Machine: " + ", ".join(f"{k} {v}" for k, v in data["machine"].items()),
        "",
        f"Corpus: {data['items']} generated Polish documents (~1.5 kB of text each) in one city.",
        "",
        "## Indexing (full reindex, end to end)",
        "",
        "| what | items | wall s | items/s | CPU s (Python + JVM) |",
        "|---|---:|---:|---:|---:|",
        f"| Elasticsearch: rows → items → analysis → bulk → refresh → alias swap "
        f"| {data['elasticsearch_count']} | {data['elasticsearch_seconds']:.1f} | {es_rate:.0f} "
        f"| {_cpu(data['elasticsearch_cpu'])} |",
        f"| PostgreSQL backend: same items → tsvector rows + vocabulary, one transaction "
        f"| {data['postgres_count']} | {data['postgres_seconds']:.1f} | {pg_rate:.0f} "
        f"| {data['postgres_cpu'][0]:.1f} (Python; PostgreSQL not counted) |",
        f"| Python side alone (items + Morfeusz analysis, no backend) "
        f"| {data['items']} | {data['python_seconds']:.1f} | {py_rate:.0f} "
        f"| {data['python_cpu']:.1f} |",
        "",
        "CPU seconds do not grow when other work competes for the CPUs; on an idle machine "
        "with both cores free, wall time approaches max(CPU s / 2, the longest single "
        "thread).",
        "",
        f"Documents in the index after the run: Elasticsearch {data['elasticsearch_indexed']}, "
        f"PostgreSQL {data['postgres_indexed']}. Target: ≥ 500 docs/s.",
        "",
        "## Query latency, GET /api/v1/search/ (Elasticsearch backend)",
        "",
        "gunicorn (cms.wsgi, the real URL conf and middleware, "
        f"{data['workers']} sync workers, DEBUG off, throttling off, persistent database "
        "connections as in production) on 127.0.0.1; clients in threads of the benchmark "
        "process (a sync worker closes the connection after each answer); queries cycle "
        f"through {len(QUERIES)} typical resident queries (inflected forms, no diacritics, "
        "typos, names, addresses). Each response has facets, highlights and 10 results.",
        "",
        "| concurrent clients | requests | errors | p50 ms | p95 ms | max ms | req/s "
        "| CPU ms/request: app + Elasticsearch |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for run in data["http"]:
        lines.append(
            f"| {run['clients']} | {run['requests']} | {run['errors']} | {run['p50']:.1f} "
            f"| {run['p95']:.1f} | {run['max']:.1f} | {run['rps']:.0f} "
            f"| {run['app_cpu_ms']:.1f} + {run['es_cpu_ms']:.1f} |"
        )
    lines += [
        "",
        "CPU per request (gunicorn workers, and the Elasticsearch JVM, over the run) does "
        "not depend on what else runs on the machine; on an idle machine the 1-client "
        "latency is about their sum plus loopback overhead.",
    ]
    lines += [
        "",
        f"In-process query service (no HTTP): p50 {data['inprocess']['p50']:.1f} ms, "
        f"p95 {data['inprocess']['p95']:.1f} ms. Target: p95 ≤ 60 ms at 1 client.",
        "",
        "With 16 clients on 2 cores the server, Elasticsearch, PostgreSQL and the load "
        "generator share the CPUs, so latency there measures queueing as much as search.",
        "",
    ]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--docs", type=int, default=20_000)
    parser.add_argument("--requests", type=int, default=300, help="requests of the 1-client run")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers")
    parser.add_argument("--db-name", default=DEFAULT_DB)
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT)
    args = parser.parse_args()

    base_url = os.environ.get("DATABASE_URL", DEFAULT_URL)
    if database_name(base_url) == args.db_name:
        parser.error("--db-name is the DATABASE_URL database; choose another")
    os.environ["DATABASE_URL"] = with_database(base_url, args.db_name)
    os.environ["DJANGO_SETTINGS_MODULE"] = "cms.settings.dev"
    os.environ["DJANGO_DEBUG"] = "false"  # no query log growing with 20,000 rows
    os.environ.setdefault("ELASTICSEARCH_URL", "http://127.0.0.1:9201")
    os.environ["SEARCH_BACKEND"] = "elasticsearch"
    os.environ["DIALOG_SEARCH_PREFIX"] = f"bench-search-{os.getpid()}"

    def on_sigterm(signum, frame):
        raise SystemExit(128 + signum)

    signal.signal(signal.SIGTERM, on_sigterm)
    command = command_line()
    date = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    load_before = load_average()
    create_database(base_url, args.db_name)
    try:
        data = run(args)
    finally:
        try:
            from django.db import connections

            from search.backends import get_backend

            get_backend("elasticsearch").drop(CITY)
            connections.close_all()
        except Exception as error:  # noqa: BLE001 - the drop below must still run
            log(f"(cleanup: {error})")
        drop_database(base_url, args.db_name)
        log(f"Dropped throwaway database {args.db_name} and the benchmark index")
    data.update(command=command, date=date, load_before=load_before, workers=args.workers)
    write_report(args.output, data)
    log(f"Wrote {args.output}")
    one = data["http"][0]
    log(
        f"indexing {data['elasticsearch_count'] / data['elasticsearch_seconds']:.0f} docs/s; "
        f"1 client p50 {one['p50']:.1f} ms p95 {one['p95']:.1f} ms; "
        f"16 clients p95 {data['http'][1]['p95']:.1f} ms"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
