"""Back up one city and restore it, under its own slug or another one.

A backup is a folder:

``schema.sql``
    ``pg_dump --schema <schema>`` in plain format (COPY data): every table of
    the city (pages, revisions, documents, users, groups, sessions, ...).
``media.tar``
    The city's media files (documents, images, renditions) with paths
    relative to the city's prefix, read through the storage API, so it works
    for the filesystem and for S3.
``manifest.json``
    What was backed up and with which software: city row and domains, app,
    Django, Wagtail and PostgreSQL versions, the migrations applied in the
    schema, the provisioning template key, the content-type ids the rows
    refer to, and the SHA-256 of each file.

Restoring loads the dump in one transaction together with the City and Domain
rows, so a failure leaves nothing behind (and ``--replace`` leaves the old
city in place). Under another slug, the statements of the dump are pointed at
the new schema with ``provisioning.rewrite_dump``; COPY rows are streamed
verbatim, so content mentioning the old slug is untouched. Then media are
written, migrations newer than the backup are applied, and the search app is
asked to reindex the city.

Known cost: ``pg_dump`` of one schema reads the catalogue of the whole
database, so it slows down as the database gains schemas (seconds with
hundreds of cities); acceptable for backups.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
import subprocess  # noqa: S404 - pg_dump is the tool for this job
import tarfile
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path

from django.conf import settings
from django.core.files.base import File
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db import connection, transaction
from django.db.migrations.loader import MigrationLoader
from django_tenants.utils import schema_context

from .models import City, Domain
from .provisioning import (
    ProvisioningError,
    _tenant_app_labels,
    get_city,
    pg_dump_command,
    rewrite_dump,
    template_key,
    validate_domain,
    validate_slug,
)

logger = logging.getLogger(__name__)

FORMAT_VERSION = 1
SCHEMA_FILE = "schema.sql"
MEDIA_FILE = "media.tar"
MANIFEST_FILE = "manifest.json"
#: The city's logo (platform media, tenants/branding.py), when it has one:
#: logo.png / logo.jpg / logo.webp beside the dump, listed in "files".
LOGO_FILE = "logo"
CITY_FIELDS = (
    "name",
    "languages",
    "timezone",
    "contact_email",
    "cors_origins",
    "frontend_url",
    "brand_colour",
    "is_active",
)
_COPY_RE = re.compile(r"^COPY (\S+) (\(.*\) )?FROM stdin;$")


# --- helpers -----------------------------------------------------------------


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def app_version() -> str:
    """DIALOG_RELEASE (set by the image build) or the project's version."""
    release = getattr(settings, "DIALOG_RELEASE", "")
    if release:
        return release
    try:
        import tomllib

        pyproject = Path(settings.BASE_DIR) / "pyproject.toml"
        return tomllib.loads(pyproject.read_text())["project"]["version"]
    except (OSError, KeyError, ValueError):
        return "unknown"


def _package_version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "unknown"


def _pg_versions() -> dict:
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        server = cursor.fetchone()[0]
    cmd, _env = pg_dump_command("x")
    dump = subprocess.run(  # noqa: S603
        [cmd[0], "--version"], capture_output=True, text=True, check=False
    ).stdout.strip()
    return {"server": server, "pg_dump": dump}


def _applied_migrations(schema: str) -> dict[str, list[str]]:
    with connection.cursor() as cursor:
        # schema is a City.schema_name (validated slug), never user input.
        cursor.execute(f'SELECT app, name FROM "{schema}".django_migrations ORDER BY app, name')  # noqa: S608
        rows = cursor.fetchall()
    applied: dict[str, list[str]] = {}
    for app, name in rows:
        applied.setdefault(app, []).append(name)
    return applied


def _content_types() -> dict[str, str]:
    """id -> "app_label.model" of the shared content types (rows point at them by id)."""
    from django.contrib.contenttypes.models import ContentType

    return {
        str(pk): f"{app}.{model}"
        for pk, app, model in ContentType.objects.values_list("pk", "app_label", "model")
    }


def _walk_storage(storage, prefix: str = ""):
    """Every file name under ``prefix`` of a storage, recursively."""
    try:
        dirs, files = storage.listdir(prefix)
    except FileNotFoundError:
        return
    for name in files:
        yield f"{prefix}{name}"
    for directory in dirs:
        yield from _walk_storage(storage, f"{prefix}{directory}/")


# --- backup ------------------------------------------------------------------


def backup_city(slug: str, directory: str | Path) -> Path:
    """Write the backup of a city into ``directory`` (created; must not hold a backup)."""
    city = get_city(slug)
    target = Path(directory)
    target.mkdir(parents=True, exist_ok=True)
    if (target / MANIFEST_FILE).exists():
        raise ProvisioningError(f"{target} already holds a backup; choose an empty folder.")
    schema = city.schema_name
    started = datetime.now(tz=UTC)

    # Media first: a document uploaded during the dump then has its file in
    # the tarball even if its row is not in the dump (harmless), never the
    # other way round.
    media_count = 0
    with schema_context(schema), tarfile.open(target / MEDIA_FILE, "w") as archive:
        for name in sorted(_walk_storage(default_storage)):
            info = tarfile.TarInfo(name)
            info.size = default_storage.size(name)
            info.mtime = int(started.timestamp())
            with default_storage.open(name, "rb") as handle:
                archive.addfile(info, handle)
            media_count += 1

    cmd, env = pg_dump_command(schema, "--serializable-deferrable")
    with open(target / SCHEMA_FILE, "wb") as out:
        result = subprocess.run(cmd, stdout=out, stderr=subprocess.PIPE, env=env, check=False)  # noqa: S603
    if result.returncode != 0:
        raise ProvisioningError(f"pg_dump of {schema} failed: {result.stderr.decode().strip()}")

    connection.set_schema_to_public()
    saved = [SCHEMA_FILE, MEDIA_FILE]
    logo_file = None
    if city.logo:
        logo_file = f"{LOGO_FILE}{Path(city.logo.name).suffix}"
        with city.logo.open("rb") as handle:
            (target / logo_file).write_bytes(handle.read())
        saved.append(logo_file)
    manifest = {
        "format": FORMAT_VERSION,
        "created": started.isoformat(timespec="seconds"),
        "slug": city.slug,
        "schema": schema,
        "city": {field: getattr(city, field) for field in CITY_FIELDS},
        "logo": logo_file,
        "domains": [
            {"domain": d.domain, "is_primary": d.is_primary}
            for d in Domain.objects.filter(tenant=city).order_by("-is_primary", "domain")
        ],
        "versions": {
            "app": app_version(),
            "django": _package_version("django"),
            "wagtail": _package_version("wagtail"),
            "django_tenants": _package_version("django-tenants"),
            "postgresql": _pg_versions(),
        },
        "template_key": template_key(),
        "migrations": _applied_migrations(schema),
        "content_types": _content_types(),
        "media_files": media_count,
        "files": {
            name: {"sha256": sha256_file(target / name), "bytes": (target / name).stat().st_size}
            for name in saved
        },
    }
    (target / MANIFEST_FILE).write_text(json.dumps(manifest, indent=2, ensure_ascii=False))
    logger.info("Backed up city %s into %s (%s media files)", slug, target, media_count)
    return target


# --- restore -----------------------------------------------------------------


def read_manifest(directory: str | Path) -> dict:
    """The manifest, after checking every file's checksum."""
    source = Path(directory)
    try:
        manifest = json.loads((source / MANIFEST_FILE).read_text())
    except FileNotFoundError as error:
        raise ProvisioningError(f"No {MANIFEST_FILE} in {source}: not a city backup.") from error
    if manifest.get("format") != FORMAT_VERSION:
        raise ProvisioningError(f"Unsupported backup format {manifest.get('format')!r}.")
    for name, meta in manifest["files"].items():
        path = source / name
        if not path.exists():
            raise ProvisioningError(f"The backup lacks {name}.")
        if sha256_file(path) != meta["sha256"]:
            raise ProvisioningError(f"{name} does not match its checksum: the backup is damaged.")
    return manifest


def _unknown_migrations(manifest: dict) -> list[str]:
    """Migrations applied in the backup that this code does not have (a newer release)."""
    loader = MigrationLoader(None, ignore_no_migrations=True, load=False)
    loader.load_disk()
    known = set(loader.disk_migrations)
    labels = _tenant_app_labels()
    return [
        f"{app}.{name}"
        for app, names in manifest["migrations"].items()
        for name in names
        if app in labels and (app, name) not in known
    ]


def _missing_migrations(manifest: dict) -> bool:
    loader = MigrationLoader(None, ignore_no_migrations=True, load=False)
    loader.load_disk()
    labels = _tenant_app_labels()
    applied = {(app, name) for app, names in manifest["migrations"].items() for name in names}
    return any(key not in applied for key in loader.disk_migrations if key[0] in labels)


def load_dump(path: Path, old_schema: str, new_schema: str) -> None:
    """Run a plain pg_dump file in the current transaction, under ``new_schema``.

    Statements go through ``rewrite_dump``; the rows of each COPY block are
    streamed to PostgreSQL as they are (COPY text format: one row per line,
    ``\\.`` ends the block), never rewritten.
    """
    raw = connection.cursor().cursor  # psycopg cursor: COPY needs it

    def run(statements: list[str]) -> None:
        sql = "\n".join(statements).strip()
        if sql:
            raw.execute(rewrite_dump(sql, old_schema, new_schema))

    statements: list[str] = []
    # newline="\n": only LF ends a line; a CR inside a statement stays as it is.
    with open(path, encoding="utf-8", newline="\n") as dump:
        for line in dump:
            match = _COPY_RE.match(line.rstrip("\n"))
            if not match:
                statements.append(line.rstrip("\n"))
                continue
            run(statements)
            statements = []
            header = rewrite_dump(line.rstrip("\n").rstrip(";"), old_schema, new_schema)
            with raw.copy(header) as copy:
                buffer: list[str] = []
                for row in dump:
                    if row == "\\.\n" or row == "\\.":
                        break
                    buffer.append(row)
                    if len(buffer) >= 5000:
                        copy.write("".join(buffer))
                        buffer = []
                if buffer:
                    copy.write("".join(buffer))
    run(statements)
    # The dump emptied search_path for this transaction; have django-tenants
    # set it again (TENANT_LIMIT_SET_CALLS caches it).
    connection.set_schema_to_public()


def _remap_content_types(schema: str, saved: dict[str, str]) -> None:
    """Point content-type ids of the restored rows at this database's ids.

    Content types are shared (public schema); a backup restored into another
    installation may find the same models under other ids. Every column of the
    city with a foreign key to ``django_content_type`` is rewritten. Django's
    foreign keys are deferred, so the two-step update (through negative ids,
    to dodge unique constraints mid-way) is checked at commit.
    """
    from django.contrib.contenttypes.models import ContentType

    mapping = {}
    for old_id, label in saved.items():
        app_label, model = label.split(".", 1)
        new = ContentType.objects.get_or_create(app_label=app_label, model=model)[0]
        if new.pk != int(old_id):
            mapping[int(old_id)] = new.pk
    if not mapping:
        return
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT cl.relname, att.attname
            FROM pg_constraint con
            JOIN pg_class cl ON cl.oid = con.conrelid
            JOIN pg_namespace ns ON ns.oid = cl.relnamespace
            JOIN pg_attribute att ON att.attrelid = con.conrelid AND att.attnum = con.conkey[1]
            WHERE con.contype = 'f' AND ns.nspname = %s
              AND con.confrelid = 'public.django_content_type'::regclass
            """,
            [schema],
        )
        columns = cursor.fetchall()
        pairs = ", ".join(f"({old}, {new})" for old, new in mapping.items())
        for table, column in columns:
            target = f'"{schema}"."{table}"'
            cursor.execute(
                f'UPDATE {target} t SET "{column}" = -m.new FROM (VALUES {pairs}) AS m(old, new) '  # noqa: S608
                f'WHERE t."{column}" = m.old'
            )
            cursor.execute(f'UPDATE {target} SET "{column}" = -"{column}" WHERE "{column}" < 0')  # noqa: S608
    logger.info("Remapped %s content type ids in %s", len(mapping), schema)


def _replace_media(source: Path, schema: str) -> int:
    count = 0
    with schema_context(schema):
        for name in list(_walk_storage(default_storage)):
            default_storage.delete(name)
        with tarfile.open(source / MEDIA_FILE) as archive:
            for member in archive:
                if not member.isfile():
                    continue
                name = member.name
                if name.startswith("/") or ".." in Path(name).parts:
                    raise ProvisioningError(f"Unsafe path in the media archive: {name}")
                handle = archive.extractfile(member)
                stored = default_storage.save(name, File(handle, name=name))
                if stored != name:
                    raise ProvisioningError(f"Media file {name} was stored as {stored}.")
                count += 1
    return count


def reindex_city(schema: str) -> str:
    """Rebuild the city's search index from the restored rows (search.indexing.reindex).

    The restored schema carries the search app's pending-update rows as they
    were at backup time, but the index itself is not in the backup: rebuild
    it, so search answers exactly what the restored content holds.
    """
    try:
        from search import indexing
    except ImportError:
        indexing = None
    rebuild = getattr(indexing, "reindex_city", None) or getattr(indexing, "reindex", None)
    if rebuild is None:
        logger.warning("No search reindex function: run manage.py reindex for %s", schema)
        return "skipped"
    rebuild(schema)
    return "done"


def _restore_logo(city: City, source: Path, logo_file: str | None) -> None:
    """The backup's logo becomes the (restored) city's; none in the backup clears it."""
    from .branding import clear_logo, store_logo

    if logo_file:
        store_logo(city, (source / logo_file).read_bytes())
    else:
        clear_logo(city)  # e.g. --replace of a city that had a logo


def restore_city(
    directory: str | Path,
    as_slug: str | None = None,
    domains: list[str] | None = None,
    replace: bool = False,
    reindex: bool = True,
) -> City:
    """Restore a backup folder as a city (its own slug unless ``as_slug``)."""
    source = Path(directory)
    manifest = read_manifest(source)
    unknown = _unknown_migrations(manifest)
    if unknown:
        raise ProvisioningError(
            "The backup comes from a newer release (unknown migrations: "
            f"{', '.join(unknown[:5])}); upgrade this installation first."
        )
    old_schema = manifest["schema"]
    slug = validate_slug(as_slug or manifest["slug"])
    connection.set_schema_to_public()
    existing = City.objects.filter(slug=slug).first()
    if existing is not None and not replace:
        raise ProvisioningError(
            f"A city with the slug '{slug}' exists; add --replace to overwrite it."
        )
    if domains:
        wanted = [(d.strip().lower(), index == 0) for index, d in enumerate(domains)]
    else:
        wanted = [(d["domain"], d["is_primary"]) for d in manifest["domains"]]
    if not any(primary for _d, primary in wanted):
        wanted[0] = (wanted[0][0], True)

    try:
        with transaction.atomic():
            with connection.cursor() as cursor:
                # Deferred FK checks queued earlier would block the DROP.
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
                if existing is not None:
                    cursor.execute(f'DROP SCHEMA IF EXISTS "{existing.schema_name}" CASCADE')
                    Domain.objects.filter(tenant=existing).delete()
                    City.objects.filter(pk=existing.pk).delete()
                cursor.execute(f'DROP SCHEMA IF EXISTS "{slug}" CASCADE')  # orphan, never a city
                cursor.execute("SET CONSTRAINTS ALL DEFERRED")
            for domain, _primary in wanted:
                validate_domain(domain)
            load_dump(source / SCHEMA_FILE, old_schema, slug)
            _remap_content_types(slug, manifest.get("content_types", {}))
            city = City(schema_name=slug, slug=slug, **manifest["city"])
            city.save()
            for domain, primary in wanted:
                Domain.objects.create(domain=domain, tenant=city, is_primary=primary)
            connection.set_tenant(city)
            from wagtail.models import Site

            from .seed import point_site_at

            # The Site's hostname must be the primary domain (absolute URLs,
            # previews); Wagtail caches site roots, drop the stale entry.
            point_site_at(city, next(d for d, primary in wanted if primary))
            Site.clear_site_root_paths_cache()
    finally:
        connection.set_schema_to_public()

    if _missing_migrations(manifest):
        call_command(
            "migrate_schemas", schema_name=slug, tenant=True, interactive=False, verbosity=0
        )
    media = _replace_media(source, slug)
    connection.set_schema_to_public()
    _restore_logo(city, source, manifest.get("logo"))
    if reindex:
        reindex_city(slug)
    logger.info("Restored city %s from %s (%s media files)", slug, source, media)
    return city
