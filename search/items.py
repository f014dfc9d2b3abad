"""What is searchable: pages and documents turned into flat search items.

An *item* is a plain dict, the same for both backends (``ITEM_FIELDS``); the
backends add the analysed forms (search/analysis.py). A page becomes an item
only while it is live and public (no view restriction on it or an ancestor);
a document only while its collection has no view restriction. Anything else
resolves to ``None``, which the indexer turns into a removal, so one code
path handles publish, unpublish, delete, move and privacy changes.

Text is gathered generically, so new fields of the plugin's page types are
searchable without touching this module: every text, rich-text and
StreamField field declared below ``Page``, the text of every orderable child
(sessions, agenda items, phases, topics...) and the names behind their
snippet links (people, venues with addresses, organisations, documents).
"""

from __future__ import annotations

import datetime
import logging
from dataclasses import dataclass, field

from django.db import models
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.translation import gettext_lazy as _
from modelcluster.models import get_all_child_relations
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Collection, CollectionViewRestriction, Page, Site
from wagtail.rich_text import get_text_for_indexing

from programmes.documents import ProgrammeDocument
from programmes.models import MeetingPage, ProgrammePage
from programmes.snippets import Organisation, Person, Venue

logger = logging.getLogger(__name__)

ITEM_FIELDS = (
    "key",
    "object_type",
    "object_id",
    "kind",
    "subkind",
    "title",
    "summary",
    "body",
    "url",
    "full_url",
    "date",
    "year",
    "programme_id",
    "programme_title",
    "language",
    "file_type",
    "file_size",
)

KIND_LABELS = {
    "programme": _("Programme"),
    "meeting": _("Meeting"),
    "expert_panel": _("Expert panel"),
    "consultation": _("Consultation"),
    "working_group": _("Working group"),
    "news": _("News"),
    "document": _("Document"),
    "page": _("Page"),
}

# Page model (lowercase class name) -> kind. Unknown page types are "page".
PAGE_KINDS = {
    "programmepage": "programme",
    "meetingpage": "meeting",
    "openspacesessionpage": "meeting",
    "expertpanelpage": "expert_panel",
    "consultationpage": "consultation",
    "workinggrouppage": "working_group",
    "newspage": "news",
}

SUMMARY_FIELDS = ("summary", "intro", "subject", "guiding_question", "purpose", "area_of_work")
DATE_FIELDS = ("first_session_start", "date", "start_date", "publication_date")
# Text fields that are identifiers or machine values, not prose.
SKIPPED_FIELDS = {"extraction_error", "mime_type", "checksum", "extraction_status"}
SUMMARY_CHARS = 300


def subkind_label(kind: str, subkind: str) -> str:
    """Human label of a meeting or document kind ("Workshop", "Report")."""
    choices = {}
    if kind == "meeting":
        choices = dict(MeetingPage.KIND_CHOICES)
    elif kind == "document":
        choices = dict(ProgrammeDocument.KIND_CHOICES)
    return str(choices.get(subkind, "")) if subkind else ""


def kind_label(kind: str, subkind: str = "") -> str:
    label = str(KIND_LABELS.get(kind, KIND_LABELS["page"]))
    sub = subkind_label(kind, subkind)
    return f"{label} · {sub}" if sub and sub != label else label


def page_key(pk: int) -> str:
    return f"page:{pk}"


def document_key(pk: int) -> str:
    return f"document:{pk}"


def parse_key(key: str) -> tuple[str, int]:
    kind, _sep, pk = key.partition(":")
    if kind not in ("page", "document") or not pk.isdigit():
        raise ValueError(f"bad search key {key!r}")
    return kind, int(pk)


# --- Helpers -------------------------------------------------------------------


def _plain(value) -> str:
    if value is None:
        return ""
    text = str(value)
    if "<" in text and ">" in text:
        text = get_text_for_indexing(text)
    return " ".join(text.split())


def _as_date(value) -> datetime.date | None:
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    if isinstance(value, datetime.date):
        return value
    return None


def _snippet_texts(obj, people: list[str], venues: list[str], texts: list[str]) -> None:
    if isinstance(obj, Person):
        people.append(obj.display_name)
        if obj.affiliation:
            texts.append(obj.affiliation)
    elif isinstance(obj, Venue):
        venues.append(", ".join(p for p in (obj.name, obj.full_address) if p))
    elif isinstance(obj, Organisation):
        texts.append(", ".join(p for p in (obj.name, obj.address) if p))
    elif isinstance(obj, ProgrammeDocument):
        texts.append(obj.title)


def _text_fields(model) -> list[models.Field]:
    """Prose fields of a page type, below Page itself."""
    out = []
    for f in model._meta.get_fields():
        if not getattr(f, "concrete", False) or f.is_relation or f.model is Page:
            continue
        if f.name in SKIPPED_FIELDS or getattr(f, "choices", None):
            continue
        if isinstance(f, models.EmailField | models.URLField | models.SlugField):
            continue
        if isinstance(f, models.CharField | models.TextField | RichTextField | StreamField):
            out.append(f)
    return out


def _field_text(obj, f) -> str:
    value = getattr(obj, f.name, None)
    if value is None:
        return ""
    if isinstance(f, StreamField):
        try:
            return " ".join(_plain(part) for part in f.get_searchable_content(value))
        except Exception:  # noqa: BLE001 - a broken block must not stop indexing
            logger.exception("StreamField %s of %r not indexable", f.name, obj)
            return ""
    return _plain(value)


def _related_texts(obj, people: list[str], venues: list[str], texts: list[str]) -> None:
    """Text of an orderable child and the snippets it links to."""
    for f in obj._meta.get_fields():
        if not getattr(f, "concrete", False):
            continue
        if f.many_to_one and f.related_model in (Person, Venue, Organisation, ProgrammeDocument):
            linked = getattr(obj, f.name, None)
            if linked is not None:
                _snippet_texts(linked, people, venues, texts)
        elif not f.is_relation and f.name not in SKIPPED_FIELDS and not getattr(f, "choices", None):
            if isinstance(f, models.EmailField | models.URLField):
                continue
            if isinstance(f, models.CharField | models.TextField):
                value = _plain(getattr(obj, f.name, ""))
                if value:
                    texts.append(value)
            elif isinstance(f, models.DateTimeField | models.DateField):
                value = _as_date(getattr(obj, f.name, None))
                if value:
                    texts.append(value.isoformat())


# --- Context shared across a batch ---------------------------------------------


@dataclass
class BuildContext:
    """Caches for building many items in one schema (programmes, sites, privacy)."""

    programmes: list[tuple[str, int, str]] | None = None
    restricted_collections: set[int] | None = None
    default_root_url: str | None = None
    _sites: dict = field(default_factory=dict)

    def programme_for_path(self, path: str) -> tuple[int | None, str]:
        if self.programmes is None:
            self.programmes = list(
                ProgrammePage.objects.live().values_list("path", "pk", "title").order_by("path")
            )
        best = (None, "")
        for prog_path, pk, title in self.programmes:
            if path.startswith(prog_path):
                best = (pk, title)
        return best

    def programme_title(self, pk: int | None) -> str:
        if pk is None:
            return ""
        if self.programmes is None:
            self.programme_for_path("")
        for _path, prog_pk, title in self.programmes or []:
            if prog_pk == pk:
                return title
        page = ProgrammePage.objects.filter(pk=pk).values_list("title", flat=True).first()
        return page or ""

    def collection_is_restricted(self, collection_id: int | None) -> bool:
        if collection_id is None:
            return False
        if self.restricted_collections is None:
            restricted: set[int] = set()
            for restriction in CollectionViewRestriction.objects.select_related("collection"):
                collection = restriction.collection
                restricted.add(collection.pk)
                restricted.update(collection.get_descendants().values_list("pk", flat=True))
            self.restricted_collections = restricted
        return collection_id in self.restricted_collections

    def root_url(self) -> str:
        if self.default_root_url is None:
            site = Site.objects.filter(is_default_site=True).first() or Site.objects.first()
            self.default_root_url = site.root_url if site else ""
        return self.default_root_url


def _is_public(page: Page) -> bool:
    return not page.get_view_restrictions().exists()


# --- Pages -----------------------------------------------------------------------


def page_item(page: Page, ctx: BuildContext | None = None, *, check_public=True) -> dict | None:
    """The item of a live, public page, or None when it must not be found."""
    ctx = ctx or BuildContext()
    page = page.specific
    if not page.live or page.depth <= 1:
        return None
    if check_public and not _is_public(page):
        return None
    parts = page.get_url_parts()
    if parts is None:  # not under any site: nothing to link to
        return None
    _site_id, root_url, path = parts
    model = type(page)

    people: list[str] = []
    venues: list[str] = []
    texts: list[str] = []
    summary = ""
    for f in _text_fields(model):
        value = _field_text(page, f)
        if not value:
            continue
        if not summary and f.name in SUMMARY_FIELDS:
            summary = value
        else:
            texts.append(value)
    for f in model._meta.get_fields():
        if f.many_to_one and f.related_model in (Person, Venue, Organisation, ProgrammeDocument):
            linked = getattr(page, f.name, None)
            if linked is not None:
                _snippet_texts(linked, people, venues, texts)
    for relation in get_all_child_relations(model):
        if relation.related_model._meta.app_label.startswith("wagtail"):
            continue  # comments, form submissions: not content
        manager = getattr(page, relation.get_accessor_name(), None)
        if manager is None:
            continue
        for child in manager.all():
            _related_texts(child, people, venues, texts)
    if not summary:
        summary = _plain(page.search_description)

    date = None
    for name in DATE_FIELDS:
        date = _as_date(getattr(page, name, None))
        if date:
            break
    date = date or _as_date(page.first_published_at)

    programme_id, programme_title = ctx.programme_for_path(page.path)
    kind = PAGE_KINDS.get(model.__name__.lower(), "page")
    subkind = getattr(page, "kind", "") if kind == "meeting" else ""
    body_parts = texts + [", ".join(venues)] + [", ".join(people)]
    return {
        "key": page_key(page.pk),
        "object_type": "page",
        "object_id": page.pk,
        "kind": kind,
        "subkind": subkind or "",
        "title": page.title,
        "summary": summary[:SUMMARY_CHARS],
        "body": "\n".join(p for p in ([summary] + body_parts) if p),
        "people": people,
        "venues": venues,
        "url": path,
        "full_url": f"{root_url}{path}" if root_url else path,
        "date": date,
        "year": date.year if date else None,
        "programme_id": programme_id,
        "programme_title": programme_title,
        "language": page.locale.language_code if page.locale_id else "pl",
        "file_type": "",
        "file_size": None,
    }


# --- Documents ---------------------------------------------------------------------


def document_item(document: ProgrammeDocument, ctx: BuildContext | None = None) -> dict | None:
    ctx = ctx or BuildContext()
    if ctx.collection_is_restricted(document.collection_id):
        return None
    date = document.publication_date or _as_date(document.created_at)
    url = document.url
    root = ctx.root_url()
    description = _plain(document.description)
    body = "\n".join(p for p in (description, document.extracted_text or "") if p)
    return {
        "key": document_key(document.pk),
        "object_type": "document",
        "object_id": document.pk,
        "kind": "document",
        "subkind": document.kind or "",
        "title": document.title,
        "summary": description[:SUMMARY_CHARS],
        "body": body,
        "people": [],
        "venues": [],
        "url": url,
        "full_url": f"{root}{url}" if root and url.startswith("/") else url,
        "date": date,
        "year": date.year if date else None,
        "programme_id": document.programme_id,
        "programme_title": ctx.programme_title(document.programme_id),
        "language": (document.language or "pl")[:5],
        "file_type": document.extension if document.file else "",
        "file_size": document.file_size,
    }


# --- By key and in bulk -------------------------------------------------------------


def item_for_key(key: str, ctx: BuildContext | None = None) -> dict | None:
    """The current item for a key, or None when it must not be in the index."""
    kind, pk = parse_key(key)
    if kind == "page":
        page = Page.objects.filter(pk=pk).first()
        return page_item(page, ctx) if page is not None else None
    document = ProgrammeDocument.objects.filter(pk=pk).first()
    return document_item(document, ctx) if document is not None else None


def iter_page_keys() -> list[int]:
    return list(
        Page.objects.live()
        .public()
        .filter(depth__gt=1)
        .order_by("path")
        .values_list("pk", flat=True)
    )


def build_items(batch_size: int = 200):
    """Every searchable item of the current schema (a generator)."""
    ctx = BuildContext()
    page_ids = iter_page_keys()
    for start in range(0, len(page_ids), batch_size):
        batch = page_ids[start : start + batch_size]
        for page in Page.objects.filter(pk__in=batch).specific().order_by("path"):
            # .public() above already excluded restricted pages.
            item = page_item(page, ctx, check_public=False)
            if item:
                yield item
    documents = ProgrammeDocument.objects.order_by("pk")
    last = 0
    while True:
        chunk = list(documents.filter(pk__gt=last)[:batch_size])
        if not chunk:
            break
        for document in chunk:
            item = document_item(document, ctx)
            if item:
                yield item
        last = chunk[-1].pk


def descendant_keys(page: Page) -> list[str]:
    return [page_key(pk) for pk in page.get_descendants().values_list("pk", flat=True)]


def collection_document_keys(collection: Collection) -> list[str]:
    ids = Collection.objects.descendant_of(collection, inclusive=True).values_list("pk", flat=True)
    return [
        document_key(pk)
        for pk in ProgrammeDocument.objects.filter(collection__in=ids).values_list("pk", flat=True)
    ]


def strip_html(text: str) -> str:
    return strip_tags(text or "")
