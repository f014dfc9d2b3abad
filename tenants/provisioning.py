"""Creating, changing and removing cities.

Every entry point (management commands, platform views, tests, benchmarks)
calls these functions; commands only parse arguments and print.

Fast provisioning
-----------------
Running every migration for a new schema costs ~15 s per city. Instead we keep
a SQL dump of a fully migrated and seeded *template schema* in the public
table ``tenants_templatesnapshot``, keyed by a hash of the tenant apps'
migration files. A new city is the dump with the schema name rewritten,
loaded in the same transaction that inserts the City and Domain rows, followed
by a few per-city fixes (site hostname, home page title, locales). The whole
creation is one transaction: on any error nothing is left behind.

Why a dump and not django-tenants' ``clone_schema``: that function renames
UNIQUE constraints to PostgreSQL's default names, which breaks later Wagtail
migrations that drop them by name, on cloned cities only. ``pg_dump`` keeps
every name, sequence value and identity column.

When migrations change (an upgrade), the hash changes and the next creation
rebuilds the template once (``manage.py rebuild_city_template`` does it
eagerly, and ``make`` targets call it after ``migrate_schemas``).
"""

from __future__ import annotations

import hashlib
import importlib
import inspect
import logging
import re
import shutil
import subprocess  # noqa: S404 - pg_dump is the tool for this job
import time
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.validators import validate_email
from django.db import connection, transaction
from django.db.migrations.loader import MigrationLoader
from django_tenants.utils import get_public_schema_name, schema_context

from .models import SLUG_RE, City, Domain, TemplateSnapshot

logger = logging.getLogger(__name__)

# Bump when the template seed (seed_template) changes what it creates.
TEMPLATE_SEED_VERSION = "2"

RESERVED_SLUGS = {"public", "information_schema", "www", "admin", "api", "static", "media"}
DOMAIN_RE = re.compile(
    r"^(?=.{1,253}$)(?!-)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)*"
    r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$"
)


class ProvisioningError(Exception):
    """A user-facing problem: the message is one line, safe to print."""


@dataclass
class CityResult:
    city: City
    seconds: float


# --- validation ------------------------------------------------------------


def validate_slug(slug: str) -> str:
    if not re.match(SLUG_RE, slug or ""):
        raise ProvisioningError(
            f"Invalid slug '{slug}': use 2-30 lowercase letters, digits or underscores, "
            "starting with a letter."
        )
    if slug in RESERVED_SLUGS or slug.startswith("pg_") or slug == template_schema():
        raise ProvisioningError(f"The slug '{slug}' is reserved; choose another.")
    return slug


def validate_city_name(name: str) -> str:
    name = (name or "").strip()
    if not name or len(name) > City._meta.get_field("name").max_length:
        raise ProvisioningError("A city's name has 1 to 100 characters.")
    return name


def validate_domain(domain: str) -> str:
    domain = (domain or "").strip().lower()
    if not DOMAIN_RE.match(domain) or ".." in domain:
        raise ProvisioningError(f"Malformed domain '{domain}'.")
    owner = Domain.objects.filter(domain=domain).select_related("tenant").first()
    if owner is not None:
        raise ProvisioningError(f"The domain '{domain}' is already used by {owner.tenant.slug!s}.")
    return domain


def validate_languages(languages: str | list[str]) -> list[str]:
    if isinstance(languages, str):
        languages = [code.strip() for code in languages.split(",") if code.strip()]
    known = {code for code, _name in settings.WAGTAIL_CONTENT_LANGUAGES}
    unknown = [code for code in languages if code not in known]
    if unknown:
        raise ProvisioningError(
            f"Unknown language code(s): {', '.join(unknown)}; known: {', '.join(sorted(known))}."
        )
    if not languages:
        languages = ["pl"]
    if languages[0] != "pl":
        # Polish is every city's default and fallback language.
        languages = ["pl"] + [code for code in languages if code != "pl"]
    return list(dict.fromkeys(languages))


# --- template schema -------------------------------------------------------


def template_schema() -> str:
    return settings.DIALOG_TEMPLATE_SCHEMA


def _tenant_app_labels() -> set[str]:
    labels = set()
    for entry in settings.TENANT_APPS:
        for config in apps.get_app_configs():
            if config.name == entry:
                labels.add(config.label)
    return labels


@lru_cache(maxsize=1)
def template_key() -> str:
    """Hash of every tenant-app migration file plus the seed version."""
    digest = hashlib.sha256(TEMPLATE_SEED_VERSION.encode())
    loader = MigrationLoader(None, ignore_no_migrations=True, load=False)
    loader.load_disk()
    labels = _tenant_app_labels()
    for app_label, name in sorted(loader.disk_migrations):
        if app_label not in labels:
            continue
        module = importlib.import_module(loader.disk_migrations[(app_label, name)].__module__)
        digest.update(f"{app_label}.{name}".encode())
        digest.update(Path(inspect.getsourcefile(module)).read_bytes())
    return digest.hexdigest()


def pg_dump_binary() -> str:
    configured = getattr(settings, "DIALOG_PG_DUMP", None)
    candidates = [configured, shutil.which("pg_dump"), "/usr/lib/postgresql/15/bin/pg_dump"]
    for candidate in candidates:
        if candidate and Path(candidate).exists():
            return candidate
    raise ProvisioningError("pg_dump not found; install postgresql-client or set DIALOG_PG_DUMP.")


def pg_dump_command(schema: str, *options: str) -> tuple[list[str], dict[str, str]]:
    """``pg_dump`` of one schema of the current database, and its environment."""
    db = connection.settings_dict
    env = {"PGPASSWORD": db.get("PASSWORD") or "", "PATH": "/usr/bin:/bin"}
    cmd = [
        pg_dump_binary(),
        "--schema",
        schema,
        "--no-owner",
        "--no-privileges",
        *options,
        "--host",
        db.get("HOST") or "127.0.0.1",
        "--port",
        str(db.get("PORT") or 5432),
        "--username",
        db.get("USER") or "postgres",
        db["NAME"],
    ]
    return cmd, env


def _dump_schema(schema: str) -> str:
    # INSERTs rather than COPY: the dump is loaded with one cursor.execute().
    cmd, env = pg_dump_command(schema, "--inserts", "--rows-per-insert=500")
    result = subprocess.run(cmd, capture_output=True, text=True, env=env, check=False)  # noqa: S603
    if result.returncode != 0:
        raise ProvisioningError(f"pg_dump of the template failed: {result.stderr.strip()}")
    return result.stdout


def seed_template() -> None:
    """Content every new city starts with, created once in the template schema."""
    # Imported here: the plugin's models need the app registry and this module
    # is imported by the tenants app itself.
    from .seed import seed_city_defaults

    seed_city_defaults()


def build_template() -> TemplateSnapshot:
    """Migrate and seed the template schema, dump it, store the dump."""
    schema = template_schema()
    key = template_key()
    connection.set_schema_to_public()
    with connection.cursor() as cursor:
        cursor.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
        cursor.execute(f'CREATE SCHEMA "{schema}"')
    call_command(
        "migrate_schemas",
        schema_name=schema,
        tenant=True,
        interactive=False,
        verbosity=0,
    )
    with schema_context(schema):
        with transaction.atomic():
            seed_template()
    connection.set_schema_to_public()
    sql = _dump_schema(schema)
    with connection.cursor() as cursor:
        cursor.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
    TemplateSnapshot.objects.exclude(key=key).delete()
    snapshot, _created = TemplateSnapshot.objects.update_or_create(key=key, defaults={"sql": sql})
    return snapshot


def get_template_sql() -> str:
    snapshot = TemplateSnapshot.objects.filter(key=template_key()).only("sql").first()
    if snapshot is None:
        logger.info("Building the city template schema (migrations changed or first run)")
        snapshot = build_template()
    return snapshot.sql


_SET_RE = re.compile(r"^SET (\w+) = ", re.MULTILINE)


def rewrite_dump(sql: str, old_schema: str, new_schema: str) -> str:
    """Point the statements of a ``pg_dump`` of ``old_schema`` at ``new_schema``.

    The result runs inside the caller's transaction: pg_dump's session
    settings become transaction-local, so the shared connection's search_path
    (managed by django-tenants) is untouched, and psql meta-commands go.
    pg_dump qualifies every object (``old.table``, ``'old.seq'::regclass``)
    after emptying the search_path, so only qualified names and the
    ``CREATE SCHEMA`` line are rewritten: a city called ``warszawa`` keeps the
    word in its content. Used for the template (provisioning) and for
    restoring a backup under another slug (tenants/backup.py), which passes
    statements only, never COPY data.
    """
    lines = [line for line in sql.splitlines() if not line.startswith("\\")]
    sql = "\n".join(lines)
    sql = _SET_RE.sub(r"SET LOCAL \1 = ", sql)
    sql = sql.replace("set_config('search_path', '', false)", "set_config('search_path', '', true)")
    name = re.escape(old_schema)
    sql = re.sub(rf'(?<![\w$."]){name}(?=\.)|(?<![\w$.])"{name}"(?=\.)', new_schema, sql)
    return re.sub(
        rf'^((?:CREATE|COMMENT ON) SCHEMA )"?{name}"?(?=[ ;])',
        rf"\g<1>{new_schema}",
        sql,
        flags=re.M,
    )


def _rewrite_dump(sql: str, schema: str) -> str:
    """Point the template dump at a new schema, scoped to the current transaction."""
    return rewrite_dump(sql, template_schema(), schema)


def clone_template_into(schema: str) -> None:
    """Create ``schema`` from the template dump. Call inside a transaction."""
    sql = _rewrite_dump(get_template_sql(), schema)
    with connection.cursor() as cursor:
        cursor.execute(sql)
    connection.set_schema_to_public()  # see create_city


# --- cities ----------------------------------------------------------------


def create_city(
    slug: str,
    name: str,
    domains: list[str],
    languages: str | list[str] = "pl",
    admin_email: str | None = None,
    admin_password: str | None = None,
    contact_email: str = "",
    frontend_url: str = "",
    cors_origins: Sequence[str] = (),
) -> City:
    """Create a city in one transaction; raise ProvisioningError on bad input."""
    slug = validate_slug(slug)
    connection.set_schema_to_public()
    if City.objects.filter(slug=slug).exists():
        raise ProvisioningError(f"A city with the slug '{slug}' already exists.")
    name = validate_city_name(name)
    if not domains:
        raise ProvisioningError("A city needs at least one --domain.")
    clean_domains = [validate_domain(domain) for domain in domains]
    if len(set(clean_domains)) != len(clean_domains):
        raise ProvisioningError("The same domain was given twice.")
    codes = validate_languages(languages)
    if admin_email:
        try:
            validate_email(admin_email)
        except ValidationError as error:
            raise ProvisioningError(f"Invalid admin e-mail '{admin_email}'.") from error
    if bool(admin_email) != bool(admin_password):
        raise ProvisioningError("Give both --admin-email and --admin-password, or neither.")
    contact_email = validate_contact_email(contact_email)
    frontend_url = validate_frontend_url(frontend_url)
    origins = clean_origins(cors_origins)

    sql = get_template_sql()  # may build the template, outside the city's transaction

    try:
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute(_rewrite_dump(sql, slug))
            # The dump emptied search_path for this transaction; have
            # django-tenants set it again (TENANT_LIMIT_SET_CALLS caches it).
            connection.set_schema_to_public()
            city = City(
                schema_name=slug,
                slug=slug,
                name=name,
                languages=",".join(codes),
                contact_email=contact_email,
                frontend_url=frontend_url,
                cors_origins="\n".join(origins),
            )
            city.save()
            for index, domain in enumerate(clean_domains):
                Domain.objects.create(domain=domain, tenant=city, is_primary=index == 0)
            connection.set_tenant(city)
            from .seed import configure_city

            configure_city(city, clean_domains[0], codes)
            if admin_email:
                from .seed import create_editor

                create_editor(admin_email, admin_password, superuser=True)
    finally:
        connection.set_schema_to_public()
    logger.info("Created city %s", slug)
    return city


def get_city(slug: str) -> City:
    connection.set_schema_to_public()
    city = City.objects.filter(slug=slug).first()
    if city is None:
        raise ProvisioningError(f"No city with the slug '{slug}'.")
    return city


def city_media_root(city: City) -> Path:
    return Path(settings.MEDIA_ROOT) / city.schema_name


def delete_city(slug: str) -> None:
    """Drop the city's schema, rows and media. Irreversible."""
    city = get_city(slug)
    schema = city.schema_name
    _close_before_dropping(city)
    with transaction.atomic():
        with connection.cursor() as cursor:
            # Deferred FK checks queued earlier in this transaction would block
            # dropping the tables ("pending trigger events"): run them now.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
        Domain.objects.filter(tenant=city).delete()
        City.objects.filter(pk=city.pk).delete()
    shutil.rmtree(city_media_root(city), ignore_errors=True)
    _notify_deleted(schema)


def _close_before_dropping(city: City) -> None:
    """Take the city offline in every app worker before its schema goes.

    Workers may remember a host's city for TENANT_LOOKUP_SECONDS
    (tenants.middleware); one still holding it active while the schema is
    dropped would answer 500s. Deactivated first, the city is a 404 in every
    worker once that time has passed.
    """
    if not getattr(settings, "TENANT_LOOKUP_CACHE", None) or not city.is_active:
        return
    city.is_active = False
    city.save(update_fields=["is_active"])
    if not connection.in_atomic_block:  # (otherwise nobody else can see it yet)
        time.sleep(getattr(settings, "TENANT_LOOKUP_SECONDS", 1))


def _notify_deleted(schema: str) -> None:
    """Let other apps (search) drop per-city resources."""
    from .signals import city_deleted

    city_deleted.send(sender=City, schema_name=schema)


def add_domain(slug: str, domain: str, primary: bool = False) -> Domain:
    city = get_city(slug)
    domain = validate_domain(domain)
    with transaction.atomic():
        if primary:
            Domain.objects.filter(tenant=city).update(is_primary=False)
        record = Domain.objects.create(domain=domain, tenant=city, is_primary=primary)
        if primary:
            with schema_context(city.schema_name):
                from .seed import point_site_at

                point_site_at(city, domain)
    return record


def set_city_languages(slug: str, languages: str | list[str]) -> list[str]:
    """Set a city's languages: new ones get a Locale and a translated home page.

    The home page is copied with wagtail-localize (a synced translation an
    editor can translate in the admin), so ``/en/`` has a root to serve and
    to attach translated pages under. Only this city's schema is touched.
    Removing a language that still has pages is refused.
    """
    from wagtail.models import Locale, Page

    city = get_city(slug)
    codes = validate_languages(languages)
    removed = [code for code in city.language_list if code not in codes]
    with schema_context(city.schema_name):
        with transaction.atomic():
            for code in removed:
                # The translated home page (depth 2) was created with the
                # language and goes with it; any other page is the editors' work.
                count = Page.objects.filter(locale__language_code=code, depth__gt=2).count()
                if count:
                    raise ProvisioningError(
                        f"Cannot remove '{code}' from {slug}: {count} page(s) exist in it; "
                        "delete them first."
                    )
                for root in Page.objects.filter(locale__language_code=code, depth=2):
                    root.delete()
            Locale.objects.filter(language_code__in=removed).delete()
            from .seed import ensure_language_roots

            ensure_language_roots(codes)
    connection.set_schema_to_public()
    City.objects.filter(pk=city.pk).update(languages=",".join(codes))
    return codes


#: A browser origin: scheme, host and optional port; nothing else.
_LABEL = r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?"
ORIGIN_RE = re.compile(rf"^https?://{_LABEL}(?:\.{_LABEL})*(?::(\d{{1,5}}))?$")
BRAND_COLOUR_RE = re.compile(r"^#[0-9a-fA-F]{6}$")


def validate_origin(origin: str) -> str:
    """An allowed CORS origin, normalised (lower case, no trailing slash)."""
    value = (origin or "").strip().rstrip("/").lower()
    if value in {"*", "null"}:
        raise ProvisioningError(
            f"'{origin}' is not allowed: list each frontend's origin, "
            "e.g. https://dialog.um.krakow.pl."
        )
    match = ORIGIN_RE.match(value)
    if match is None or (match.group(1) and not 0 < int(match.group(1)) < 65536):
        raise ProvisioningError(
            f"Malformed origin '{origin}': scheme, host and port only, "
            "e.g. https://dialog.um.krakow.pl or http://localhost:3000."
        )
    return value


def clean_origins(origins: Sequence[str]) -> list[str]:
    """Each origin checked and normalised, blanks left out, each once."""
    return list(dict.fromkeys(validate_origin(origin) for origin in origins if origin.strip()))


def validate_contact_email(email: str) -> str:
    email = (email or "").strip()
    if email:
        try:
            validate_email(email)
        except ValidationError as error:
            raise ProvisioningError(f"Invalid e-mail '{email}'.") from error
    return email


def validate_frontend_url(url: str) -> str:
    from django.core.validators import URLValidator

    url = (url or "").strip()
    if url:
        try:
            URLValidator(schemes=["http", "https"])(url)
        except ValidationError as error:
            raise ProvisioningError(
                f"Malformed frontend URL '{url}': an http(s) address, "
                "e.g. https://dialog.um.krakow.pl/preview."
            ) from error
        if len(url) > City._meta.get_field("frontend_url").max_length:
            raise ProvisioningError("The frontend URL is too long.")
    return url


def update_city(
    slug: str,
    *,
    name: str | None = None,
    contact_email: str | None = None,
    frontend_url: str | None = None,
    cors_origins: list[str] | None = None,
    add_cors_origins: Sequence[str] = (),
    remove_cors_origins: Sequence[str] = (),
    brand_colour: str | None = None,
) -> list[str]:
    """Change a city's settings; the names of the fields that changed.

    ``None`` leaves a field as it is; ``""`` clears the optional ones.
    ``cors_origins`` replaces the allow-list, ``add_``/``remove_cors_origins``
    edit it. Everything is checked before anything is saved: a bad value
    changes nothing. A new name is also the name of the city's Wagtail site.
    """
    city = get_city(slug)
    if city.schema_name == get_public_schema_name():
        raise ProvisioningError(f"'{slug}' is the platform itself, not a city.")
    values: dict[str, str] = {}
    if name is not None:
        values["name"] = validate_city_name(name)
    if contact_email is not None:
        values["contact_email"] = validate_contact_email(contact_email)
    if frontend_url is not None:
        values["frontend_url"] = validate_frontend_url(frontend_url)
    if brand_colour is not None:
        if not BRAND_COLOUR_RE.match(brand_colour.strip()):
            raise ProvisioningError(f"Malformed colour '{brand_colour}': use #rrggbb.")
        values["brand_colour"] = brand_colour.strip().lower()
    origins = (
        [entry.lower() for entry in city.cors_origin_list]
        if cors_origins is None
        else clean_origins(cors_origins)
    )
    for origin in add_cors_origins:
        origin = validate_origin(origin)
        if origin not in origins:
            origins.append(origin)
    for origin in remove_cors_origins:
        origin = validate_origin(origin)
        if origin not in origins:
            raise ProvisioningError(f"'{origin}' is not among {slug}'s CORS origins.")
        origins.remove(origin)
    if cors_origins is not None or add_cors_origins or remove_cors_origins:
        values["cors_origins"] = "\n".join(dict.fromkeys(origins))

    changed = [field for field, value in values.items() if getattr(city, field) != value]
    if not changed:
        return []
    for field in changed:
        setattr(city, field, values[field])
    with transaction.atomic():
        # A save (not an update): the host lookup and the platform API's
        # validators follow City's post_save at once.
        city.save(update_fields=changed)
        if "name" in changed:
            with schema_context(city.schema_name):
                from wagtail.models import Site

                for site in Site.objects.all():
                    site.site_name = city.name
                    site.save(update_fields=["site_name"])
    return changed


def create_city_editor(
    slug: str, email: str, password: str | None = None, moderator: bool = False
) -> tuple[object, str]:
    city = get_city(slug)
    try:
        validate_email(email)
    except ValidationError as error:
        raise ProvisioningError(f"Invalid e-mail '{email}'.") from error
    from .seed import create_editor

    with schema_context(city.schema_name):
        return create_editor(email, password, moderator=moderator)


def ensure_platform(domains: list[str] | None = None) -> City:
    """The public-schema tenant that serves the platform domain(s)."""
    domains = domains if domains is not None else settings.DIALOG_PLATFORM_DOMAINS
    public = get_public_schema_name()
    platform, _created = City.objects.get_or_create(
        schema_name=public, defaults={"slug": public, "name": "Dialog"}
    )
    for index, domain in enumerate(domains):
        Domain.objects.get_or_create(
            domain=domain, defaults={"tenant": platform, "is_primary": index == 0}
        )
    return platform
