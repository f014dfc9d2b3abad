"""Idempotent loader of the demo content into the active site.

Everything is found by a stable natural key (page slug under its parent,
snippet name, document title), compared with the dataset, and written only
when it differs: running the loader twice creates no rows and no page
revisions. Pages are published through revisions, as an editor would.

The plugin knows nothing about tenants: the loader fills the default Site of
the current database connection. In a multi-city project call it once per
city schema (``manage.py tenant_command load_demo_content --schema=<city>``).
"""

from __future__ import annotations

import importlib
import json
import os
from collections import Counter
from dataclasses import dataclass, field

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.serializers.json import DjangoJSONEncoder
from django.db import DatabaseError, models, transaction
from django.utils import timezone
from wagtail.fields import StreamField
from wagtail.models import Collection, Locale, Site

from .. import models as page_models
from ..conf import current_task_context
from ..documents import ProgrammeDocument
from ..snippets import Organisation, Person, Venue
from . import files
from .spec import Doc, Org, Place, Who

DATASETS = {
    "warszawa": "programmes.demo.warszawa",
    "wroclaw": "programmes.demo.wroclaw",
}


class DemoRefused(Exception):
    """The demo must not be loaded here (production settings)."""


class DemoError(Exception):
    """The site cannot take the demo (no HomePage, a slug taken by another type...)."""


def check_allowed() -> None:
    """Refuse under production settings, or where DIALOG_DEMO_ALLOWED is False.

    Two independent guards: the settings module's name (``*.production``)
    catches a production deployment even if someone forgets the flag.
    """
    module = os.environ.get("DJANGO_SETTINGS_MODULE", "")
    if module.endswith("production") or not getattr(settings, "DIALOG_DEMO_ALLOWED", True):
        raise DemoRefused(
            f"Refusing to load demo content with settings '{module}': demo data would "
            "overwrite real pages. Use development settings (DIALOG_DEMO_ALLOWED)."
        )


@dataclass
class Report:
    created: Counter = field(default_factory=Counter)
    updated: Counter = field(default_factory=Counter)
    unchanged: Counter = field(default_factory=Counter)

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated)

    def summary(self) -> str:
        def fmt(counter):
            return ", ".join(f"{n} {kind}" for kind, n in sorted(counter.items())) or "nothing"

        return (
            f"created: {fmt(self.created)}; updated: {fmt(self.updated)}; "
            f"unchanged: {sum(self.unchanged.values())} objects"
        )


PER_CITY_HINT = (
    "In a multi-city project run this per city: "
    "manage.py tenant_command load_demo_content --schema=<city>"
)


def default_site(hostname: str | None = None) -> Site:
    sites = Site.objects.select_related("root_page")
    try:
        site = (
            sites.filter(hostname=hostname).first()
            if hostname
            else (sites.filter(is_default_site=True).first() or sites.first())
        )
    except DatabaseError as error:
        # e.g. the public schema of a multi-city project has no Wagtail tables.
        raise DemoError(f"No Wagtail tables in this database schema. {PER_CITY_HINT}") from error
    if site is None:
        raise DemoError(
            f"No Wagtail site with the hostname '{hostname}'."
            if hostname
            else f"No Wagtail site here. {PER_CITY_HINT}"
        )
    return site


def guess_dataset(site: Site) -> str:
    """The dataset whose name appears in the site's hostname or name; Warsaw otherwise."""
    haystack = f"{site.hostname} {site.site_name}".lower().replace("ł", "l")
    for name in DATASETS:
        if name in haystack:
            return name
    return "warszawa"


def load_demo(
    dataset: str | None = None, hostname: str | None = None, now=None
) -> tuple[str, Report]:
    """Fill the site with a dataset; returns (dataset name, what changed)."""
    check_allowed()
    site = default_site(hostname)
    home = site.root_page.specific
    if not isinstance(home, page_models.HomePage):
        raise DemoError(
            f"The root page of {site.hostname} is a {type(home).__name__}, not a HomePage."
        )
    name = dataset or guess_dataset(site)
    if name not in DATASETS:
        raise DemoError(f"Unknown dataset '{name}'; choose one of: {', '.join(DATASETS)}.")
    data = importlib.import_module(DATASETS[name]).build(now or timezone.now())
    report = Report()
    with transaction.atomic():
        _Loader(home, report, now or timezone.now()).run(data)
        if name == "warszawa":
            # Program Wspólnota in English where the city publishes English.
            from .english import translate_wspolnota

            added = translate_wspolnota()
            if added:
                report.created["english page"] += added
    return name, report


def _strip_block_ids(value):
    # Stream and list children carry random ids; they are not content.
    if isinstance(value, list):
        return [_strip_block_ids(item) for item in value]
    if isinstance(value, dict):
        is_child = "value" in value and set(value) <= {"type", "value", "id"}
        return {k: _strip_block_ids(v) for k, v in value.items() if not (is_child and k == "id")}
    return value


def _canonical(value) -> str:
    return json.dumps(value, cls=DjangoJSONEncoder, sort_keys=True)


class _Loader:
    def __init__(self, home, report: Report, now):
        self.home = home
        self.report = report
        self.now = now
        self.locale = home.locale or Locale.get_default()
        self.snippets: dict[type, dict[str, models.Model]] = {}
        self.documents: dict[str, ProgrammeDocument] = {}
        self.new_documents: set[int] = set()

    # --- entry point ---------------------------------------------------------

    def run(self, data: dict) -> None:
        for model, key in ((Organisation, "organisations"), (Person, "people"), (Venue, "venues")):
            for spec in data.get(key, []):
                self.snippet(model, spec)
        if data.get("home"):
            # Fill only what is blank: the home page belongs to the site, and a
            # second dataset loaded into the same site must not flip it back.
            fields = {
                name: value
                for name, value in data["home"]["fields"].items()
                if not getattr(self.home, name)
            }
            if fields:
                self.update_page(self.home, {"fields": fields})
        index = self.page(self.home, data["index"])
        for programme_spec in data["programmes"]:
            self.programme(index, programme_spec)

    def programme(self, index, spec: dict) -> None:
        # Documents first (the programme's body links to them), then the
        # programme, then the documents' link back to it, then the children.
        docs = [self.document(doc_spec) for doc_spec in spec.get("documents", [])]
        programme = self.page(index, {**spec, "children": []})
        for doc in docs:
            if doc.programme_id != programme.pk:
                doc.programme = programme
                doc.save(update_fields=["programme"])
                if doc.pk not in self.new_documents:
                    self.report.updated["document"] += 1
        for doc in docs:
            if doc.extraction_status == "pending":
                self.extract(doc)
        for child in spec.get("children", []):
            self.page(programme, child)

    # --- snippets and documents ----------------------------------------------

    def snippet(self, model, spec: dict):
        values = dict(spec)
        name = values.pop("name")
        obj = model.objects.filter(locale=self.locale, name=name).first()
        kind = model._meta.model_name
        if obj is None:
            obj = model.objects.create(locale=self.locale, name=name, **values)
            self.report.created[kind] += 1
        elif self._differs(obj, values):
            for attr, value in values.items():
                setattr(obj, attr, value)
            obj.save()
            self.report.updated[kind] += 1
        else:
            self.report.unchanged[kind] += 1
        self.snippets.setdefault(model, {})[name] = obj
        return obj

    def document(self, spec: dict) -> ProgrammeDocument:
        spec = dict(spec)
        title = spec.pop("title")
        fmt = spec.pop("format")
        filename = spec.pop("filename")
        heading = spec.pop("heading", title)
        paragraphs = spec.pop("paragraphs")
        spec.setdefault("language", "pl")
        doc = ProgrammeDocument.objects.filter(title=title).first()
        if doc is None:
            data = files.render(fmt, heading, paragraphs)
            doc = ProgrammeDocument(
                title=title, collection=Collection.get_first_root_node(), **spec
            )
            doc.file.save(filename, ContentFile(data), save=False)
            doc.file_size = len(data)
            doc._set_file_hash()
            doc.save()
            self.new_documents.add(doc.pk)
            self.report.created["document"] += 1
        elif self._differs(doc, spec):
            for attr, value in spec.items():
                setattr(doc, attr, value)
            doc.save()
            self.report.updated["document"] += 1
        else:
            self.report.unchanged["document"] += 1
        self.documents[title] = doc
        return doc

    def extract(self, doc: ProgrammeDocument) -> None:
        # Synchronously, so the demo is searchable at once; the task queued by
        # the upload signal will find the same text later.
        from ..tasks import extract_document_text

        extract_document_text.call(current_task_context(), doc.pk)
        doc.refresh_from_db()

    # --- pages -----------------------------------------------------------------

    def page(self, parent, spec: dict):
        model = getattr(page_models, spec["type"])
        existing = parent.get_children().filter(slug=spec["slug"]).first()
        if existing is None:
            page = model(title=spec["title"], slug=spec["slug"], locale=parent.locale)
            self._assign(page, spec)
            parent.add_child(instance=page)
            page.save_revision().publish()
            self.report.created[model._meta.model_name] += 1
        else:
            page = existing.specific
            if not isinstance(page, model):
                raise DemoError(
                    f"'{parent.url_path}{spec['slug']}/' is a {type(page).__name__}, "
                    f"not a {model.__name__}; rename or delete it first."
                )
            if spec.get("keep_existing") or (spec.get("keep_if_upcoming") and page.is_upcoming):
                # Shared pages (the programme index) are the site's once they
                # exist; a meeting whose dates came from the day of an earlier
                # load and still lie ahead stays as it is.
                self.report.unchanged[model._meta.model_name] += 1
            else:
                self.update_page(page, spec)
        for child in spec.get("children", []):
            self.page(page, child)
        return page

    def update_page(self, page, spec: dict) -> None:
        values = {"title": spec.get("title", page.title), **spec.get("fields", {})}
        orderables = spec.get("orderables", {})
        changed = self._differs(page, values) or any(
            self._orderables_differ(page, name, rows) for name, rows in orderables.items()
        )
        kind = type(page)._meta.model_name
        if not changed and page.live and not page.has_unpublished_changes:
            self.report.unchanged[kind] += 1
            return
        self._assign(page, spec)
        page.save_revision().publish()
        self.report.updated[kind] += 1

    def _assign(self, page, spec: dict) -> None:
        if "title" in spec:
            page.title = spec["title"]
            page.draft_title = spec["title"]
        for name, value in spec.get("fields", {}).items():
            setattr(page, name, self._value(page._meta.get_field(name), value))
        for name, rows in spec.get("orderables", {}).items():
            child_model = page._meta.get_field(name).related_model
            setattr(
                page,
                name,
                [
                    # sort_order explicitly: modelcluster numbers rows only in
                    # admin forms, and rows without it come back in whatever
                    # order PostgreSQL stores them.
                    child_model(
                        sort_order=position,
                        **{
                            key: self._value(child_model._meta.get_field(key), value)
                            for key, value in row.items()
                        },
                    )
                    for position, row in enumerate(rows)
                ],
            )

    # --- values and comparison -------------------------------------------------

    def _resolve(self, value, *, as_pk: bool = False):
        """Markers to objects (or their ids inside StreamField data)."""
        target = None
        if isinstance(value, Org):
            target = self.snippets[Organisation][value.name]
        elif isinstance(value, Who):
            target = self.snippets[Person][value.name]
        elif isinstance(value, Place):
            target = self.snippets[Venue][value.name]
        elif isinstance(value, Doc):
            if value.title not in self.documents:
                self.documents[value.title] = ProgrammeDocument.objects.get(title=value.title)
            target = self.documents[value.title]
        elif isinstance(value, list):
            return [self._resolve(item, as_pk=as_pk) for item in value]
        elif isinstance(value, dict):
            return {key: self._resolve(item, as_pk=as_pk) for key, item in value.items()}
        else:
            return value
        return target.pk if as_pk else target

    def _value(self, model_field, value):
        if isinstance(model_field, StreamField):
            return self._resolve(value, as_pk=True)
        return self._resolve(value)

    def _normalise(self, model_field, value, *, from_db: bool):
        if isinstance(model_field, StreamField):
            block = model_field.stream_block
            stream = value if from_db else block.to_python(value)
            return _canonical(_strip_block_ids(block.get_prep_value(stream)))
        if model_field.is_relation:
            return value if from_db else (value.pk if value is not None else None)
        return model_field.to_python(value)

    def _current(self, obj, model_field):
        if model_field.is_relation:
            return getattr(obj, model_field.attname)
        return model_field.value_from_object(obj)

    def _differs(self, obj, values: dict) -> bool:
        for name, value in values.items():
            model_field = obj._meta.get_field(name)
            wanted = self._normalise(model_field, self._value(model_field, value), from_db=False)
            current = self._normalise(model_field, self._current(obj, model_field), from_db=True)
            if wanted != current:
                return True
        return False

    def _orderables_differ(self, page, name: str, rows: list[dict]) -> bool:
        existing = list(getattr(page, name).all())
        if len(existing) != len(rows):
            return True
        return any(self._differs(obj, row) for obj, row in zip(existing, rows, strict=True))
