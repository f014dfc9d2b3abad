"""Export a programme with everything it uses, and import it into another site.

The archive (format documented in docs/import-format.md) is either a ZIP with
``programme.json`` and the files under ``files/``, or a ``.json`` file with a
``<name>_files/`` folder beside it. Pages carry their type, fields,
orderables and raw StreamField JSON; snippets, documents and images are
listed once and referred to by keys (``"person:1"``, ``"document:2"``...),
never by database ids, so the file can be imported into any site.

Import validates every record first and reports ``programme.json line N:
problem`` for each one; only a clean file is written, in one transaction.
The plugin knows nothing about tenants: both directions work on the current
database schema (the multi-city wrappers live in tenants/management/).
"""

from __future__ import annotations

import hashlib
import io
import json
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.utils import timezone
from modelcluster.models import get_all_child_relations
from wagtail import blocks
from wagtail.fields import RichTextField, StreamField
from wagtail.images import get_image_model
from wagtail.models import Collection, Page, Site

from . import models as page_models
from .conf import upload_max_bytes
from .documents import ProgrammeDocument
from .extraction import RefusedUpload, sniff
from .jsonlines import JsonObject, loads
from .snippets import Organisation, Person, Venue

FORMAT = "dialog-programme"
VERSION = 1
JSON_NAME = "programme.json"

# Page fields of Wagtail's base Page that belong to the content; the rest
# (tree position, revisions, locks, owners) is the target site's business.
BASE_PAGE_FIELDS = ["title", "slug", "seo_title", "search_description", "show_in_menus"]

# Natural keys: an imported snippet equal on these fields is reused, not duplicated.
SNIPPETS = {
    "person": (Person, ["name"]),
    "organisation": (Organisation, ["name"]),
    "venue": (Venue, ["name", "address"]),
}
DOCUMENT_FIELDS = ["title", "kind", "description", "publication_date", "language"]
IMAGE_FIELDS = ["title", "description", "focal_point_x", "focal_point_y"]
IMAGE_FIELDS += ["focal_point_width", "focal_point_height"]

PAGE_KEYS = {"key", "type", "parent", "live", "fields", "orderables"}
DOCUMENT_EXTRA = {"programme", "page_count", "extraction_status", "extracted_text"}

_RICH_TAG = re.compile(r"<(a|embed)\b([^>]*?)(/?)>")
_ATTR = re.compile(r'([\w-]+)="([^"]*)"')


class TransferError(Exception):
    """The archive cannot be imported (or the programme exported); one message per problem."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(problems))


@dataclass
class ImportResult:
    programme: page_models.ProgrammePage
    counts: dict = field(default_factory=dict)


def page_types() -> dict[str, type[Page]]:
    """Page types an archive may contain: the plugin's, below the programme index."""
    from django.apps import apps

    found = {}
    for model in apps.get_app_config("programmes").get_models():
        if issubclass(model, Page) and model not in (
            page_models.HomePage,
            page_models.ProgrammeIndexPage,
        ):
            found[model._meta.label] = model
    return found


def page_fields(model) -> list[models.Field]:
    base = [Page._meta.get_field(name) for name in BASE_PAGE_FIELDS]
    own = [
        f
        for f in model._meta.concrete_fields
        if f.model is not Page and not f.primary_key and f.editable
    ]
    return base + own


def child_relations(model) -> dict[str, tuple[type[models.Model], list[models.Field]]]:
    """Orderables (inline panels) of a page type: accessor -> (model, content fields)."""
    relations = {}
    for relation in get_all_child_relations(model):
        child = relation.related_model
        if child._meta.app_label != "programmes":
            continue
        # A translatable row's locale is its page's and its translation_key
        # pairs it with its translations here: neither belongs to the content.
        fields = [
            f
            for f in child._meta.concrete_fields
            if not f.primary_key
            and f is not relation.field
            and f.name not in ("sort_order", "locale", "translation_key")
        ]
        relations[relation.get_accessor_name()] = (child, fields)
    return relations


def _kind_of(model) -> str | None:
    if issubclass(model, Page):
        return "page"
    if issubclass(model, ProgrammeDocument):
        return "document"
    if issubclass(model, get_image_model()):
        return "image"
    for kind, (snippet_model, _keys) in SNIPPETS.items():
        if issubclass(model, snippet_model):
            return kind
    return None


def _model_of(kind: str):
    if kind == "document":
        return ProgrammeDocument
    if kind == "image":
        return get_image_model()
    return SNIPPETS[kind][0]


def _walk_stream(block, value, ref):
    """Rewrite every chooser reference in raw StreamField data with ``ref(model, value)``."""
    if value is None:
        return None
    if isinstance(block, blocks.StreamBlock):
        out = []
        for child in value:
            child_block = block.child_blocks.get(child.get("type"))
            if child_block is None:
                raise ValueError(f"unknown block type {child.get('type')!r}")
            out.append({**child, "value": _walk_stream(child_block, child.get("value"), ref)})
        return out
    if isinstance(block, blocks.ListBlock):
        items = []
        for item in value:
            if isinstance(item, dict) and "value" in item and set(item) <= {"type", "value", "id"}:
                items.append({**item, "value": _walk_stream(block.child_block, item["value"], ref)})
            else:
                items.append(_walk_stream(block.child_block, item, ref))
        return items
    if isinstance(block, blocks.StructBlock):
        if not isinstance(value, dict):
            # ImageBlock also accepts a bare image id (older raw data).
            image_block = block.child_blocks.get("image")
            return _walk_stream(image_block, value, ref) if image_block else value
        return {
            name: _walk_stream(block.child_blocks[name], item, ref)
            if name in block.child_blocks
            else item
            for name, item in value.items()
        }
    if isinstance(block, blocks.ChooserBlock):
        return ref(block.model_class, value)
    if isinstance(block, blocks.RichTextBlock):
        return _walk_rich(value, ref)
    return value


def _walk_rich(html, ref):
    """Rewrite document/page links and image embeds in Wagtail's stored rich text."""
    if not html:
        return html
    models_by_type = {
        "document": ProgrammeDocument,
        "page": Page,
        "image": get_image_model(),
    }

    def replace(match):
        tag, attrs, closing = match.groups()
        values = dict(_ATTR.findall(attrs))
        link_type = values.get("linktype") if tag == "a" else values.get("embedtype")
        if link_type not in models_by_type or "id" not in values:
            return match.group(0)
        new_id = ref(models_by_type[link_type], values["id"])
        if new_id is None:
            # A page outside the programme: keep the text, drop the link.
            return "<a>" if tag == "a" else ""
        new_attrs = _ATTR.sub(
            lambda m: f'id="{new_id}"' if m.group(1) == "id" else m.group(0), attrs
        )
        return f"<{tag}{new_attrs}{closing}>"

    return _RICH_TAG.sub(replace, html)


def _jsonable(value):
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder))


# --- Export ----------------------------------------------------------------------


class _Exporter:
    def __init__(self, programme):
        self.programme = programme
        self.pages = list(
            Page.objects.descendant_of(programme, inclusive=True).order_by("path").specific()
        )
        self.page_keys = {page.pk: f"page:{n}" for n, page in enumerate(self.pages, start=1)}
        self.keys: dict[str, dict[int, str]] = {}
        self.objects: dict[str, dict[str, models.Model]] = {}

    def ref(self, model, pk):
        if pk in (None, ""):
            return None
        kind = _kind_of(model)
        if kind == "page":
            return self.page_keys.get(int(pk))
        if kind is None:
            raise TransferError([f"cannot export references to {model._meta.label}"])
        registry = self.keys.setdefault(kind, {})
        if int(pk) not in registry:
            obj = _model_of(kind).objects.filter(pk=pk).first()
            if obj is None:
                return None
            registry[int(pk)] = f"{kind}:{len(registry) + 1}"
            self.objects.setdefault(kind, {})[registry[int(pk)]] = obj
        return registry[int(pk)]

    def value(self, model_field, value):
        if isinstance(model_field, StreamField):
            raw = model_field.stream_block.get_prep_value(value)
            return _walk_stream(model_field.stream_block, raw, self.ref)
        if isinstance(model_field, RichTextField):
            return _walk_rich(value, self.ref)
        if model_field.is_relation:
            return self.ref(model_field.related_model, value)
        return _jsonable(value)

    def fields_of(self, obj, fields) -> dict:
        return {
            f.name: self.value(
                f,
                getattr(obj, f.attname) if f.is_relation else f.value_from_object(obj),
            )
            for f in fields
        }

    def page_record(self, page) -> dict:
        model = type(page)
        parent_key = None if page.pk == self.programme.pk else self.page_keys[page.get_parent().pk]
        record = {
            "key": self.page_keys[page.pk],
            "type": model._meta.label,
            "parent": parent_key,
            "live": page.live,
            "fields": self.fields_of(page, page_fields(model)),
            "orderables": {},
        }
        for name, (_child_model, fields) in child_relations(model).items():
            record["orderables"][name] = [
                self.fields_of(row, fields) for row in getattr(page, name).all()
            ]
        return record

    def run(self) -> tuple[dict, dict[str, bytes]]:
        pages = [self.page_record(page) for page in self.pages]
        # Documents of the programme are exported even when no page links them.
        for doc in ProgrammeDocument.objects.filter(programme=self.programme).order_by("pk"):
            self.ref(ProgrammeDocument, doc.pk)
        files: dict[str, bytes] = {}
        snippets = {}
        # Snippets may refer to images (a person's photo): serialise them first.
        for kind, (snippet_model, _keys) in SNIPPETS.items():
            fields = [
                f
                for f in snippet_model._meta.concrete_fields
                if not f.primary_key and f.name not in ("locale", "translation_key")
            ]
            snippets[kind] = [
                {"key": key, **self.fields_of(obj, fields)}
                for key, obj in self.objects.get(kind, {}).items()
            ]
        documents = []
        for key, doc in self.objects.get("document", {}).items():
            data = _read(doc)
            path = f"files/documents/{hashlib.sha256(data).hexdigest()[:12]}-{_basename(doc)}"
            files[path] = data
            documents.append(
                {
                    "key": key,
                    **{name: _jsonable(getattr(doc, name)) for name in DOCUMENT_FIELDS},
                    "programme": self.page_keys.get(doc.programme_id),
                    "file": path,
                    "checksum": hashlib.sha256(data).hexdigest(),
                    "page_count": doc.page_count,
                    "extraction_status": doc.extraction_status,
                    "extracted_text": doc.extracted_text,
                }
            )
        images = []
        for key, image in self.objects.get("image", {}).items():
            data = _read(image)
            path = f"files/images/{hashlib.sha256(data).hexdigest()[:12]}-{_basename(image)}"
            files[path] = data
            images.append(
                {
                    "key": key,
                    **{name: _jsonable(getattr(image, name, None)) for name in IMAGE_FIELDS},
                    "file": path,
                    "checksum": hashlib.sha256(data).hexdigest(),
                }
            )
        site = self.programme.get_site()
        payload = {
            "format": FORMAT,
            "version": VERSION,
            "exported_at": timezone.now().isoformat(timespec="seconds"),
            "source": {"site": site.hostname if site else None, "url_path": self.pages[0].url_path},
            "snippets": snippets,
            "images": images,
            "documents": documents,
            "pages": pages,
        }
        return payload, files


def _read(obj) -> bytes:
    with obj.file.open("rb") as handle:
        return handle.read()


def _basename(obj) -> str:
    return PurePosixPath(obj.file.name).name


def export_programme(programme, path: str | Path) -> dict:
    """Write the programme and what it uses to ``path`` (.zip, or .json plus a folder)."""
    programme = programme.specific
    if not isinstance(programme, page_models.ProgrammePage):
        raise TransferError([f"'{programme.title}' is not a programme page."])
    payload, files = _Exporter(programme).run()
    text = json.dumps(payload, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2) + "\n"
    path = Path(path)
    if path.suffix.lower() == ".zip":
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr(JSON_NAME, text)
            for name, data in files.items():
                archive.writestr(name, data)
    else:
        folder = path.parent / f"{path.stem}_files"
        path.write_text(text, encoding="utf-8")
        for name, data in files.items():
            target = folder / PurePosixPath(name).relative_to("files")
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
    return {
        "pages": len(payload["pages"]),
        "documents": len(payload["documents"]),
        "images": len(payload["images"]),
        "snippets": sum(len(rows) for rows in payload["snippets"].values()),
    }


# --- Import ----------------------------------------------------------------------


class _Archive:
    """programme.json and its files, from a ZIP or from a .json with a folder beside it."""

    def __init__(self, path: Path):
        self.path = path
        self.zip = None
        if zipfile.is_zipfile(path):
            self.zip = zipfile.ZipFile(path)
            self.name = JSON_NAME
            try:
                raw = self.zip.read(JSON_NAME)
            except KeyError as error:
                raise TransferError([f"{path.name}: no {JSON_NAME} in the archive"]) from error
        else:
            self.name = path.name
            raw = path.read_bytes()
        try:
            self.text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise TransferError([f"{self.name}: not UTF-8 text ({error.reason})"]) from error

    def read(self, name: str) -> bytes | None:
        relative = PurePosixPath(name)
        if relative.is_absolute() or ".." in relative.parts:
            return None
        if self.zip is not None:
            try:
                return self.zip.read(str(relative))
            except KeyError:
                return None
        parts = relative.parts[1:] if relative.parts[:1] == ("files",) else relative.parts
        candidate = self.path.parent / f"{self.path.stem}_files" / Path(*parts)
        return candidate.read_bytes() if candidate.is_file() else None

    def close(self):
        if self.zip is not None:
            self.zip.close()


class _Importer:
    def __init__(self, archive: _Archive, data, parent):
        self.archive = archive
        self.data = data
        self.parent = parent
        self.problems: list[str] = []
        self.keys: dict[str, JsonObject] = {}  # every key -> its record
        self.created: dict[str, models.Model] = {}
        self.files: dict[str, bytes] = {}
        self.saved_files: list = []

    def problem(self, line: int, message: str) -> None:
        self.problems.append(f"{self.archive.name} line {line}: {message}")

    # --- validation (nothing is written) --------------------------------------

    def validate(self) -> None:
        data = self.data
        if not isinstance(data, JsonObject):
            self.problem(1, "the file must contain one JSON object")
            return
        if data.get("format") != FORMAT:
            self.problem(data.line_of("format"), f"'format' must be \"{FORMAT}\"")
        if data.get("version") != VERSION:
            self.problem(data.line_of("version"), f"unsupported version {data.get('version')!r}")
        snippets = self._section(data, "snippets", JsonObject, default=JsonObject())
        for kind in snippets:
            if kind not in SNIPPETS:
                self.problem(snippets.line_of(kind), f"unknown snippet kind {kind!r}")
        records = [
            (kind, record)
            for kind in SNIPPETS
            for record in self._section(snippets, kind, list, default=[])
        ]
        records += [("image", r) for r in self._section(data, "images", list, default=[])]
        records += [("document", r) for r in self._section(data, "documents", list, default=[])]
        pages = self._section(data, "pages", list, default=[])
        records += [("page", r) for r in pages]
        for kind, record in records:
            self._register(kind, record)
        if self.problems:
            return
        for kind, record in records:
            if kind in SNIPPETS:
                self._check_fields(
                    record, SNIPPETS[kind][0], self._snippet_fields(kind), container=None
                )
            elif kind in ("document", "image"):
                self._check_file(kind, record)
        if not pages:
            self.problem(data.line_of("pages"), "no pages: the first page must be the programme")
        for position, record in enumerate(pages):
            self._check_page(position, record)

    def _section(self, obj, key, kind, default):
        if key not in obj:
            return default
        value = obj[key]
        if not isinstance(value, kind):
            expected = "an object" if kind is JsonObject else "a list"
            self.problem(obj.line_of(key), f"'{key}' must be {expected}")
            return default
        return value

    def _register(self, kind, record) -> None:
        if not isinstance(record, JsonObject):
            self.problem(getattr(record, "line", 1), f"each {kind} must be a JSON object")
            return
        key = record.get("key")
        if not isinstance(key, str) or not key.startswith(f"{kind}:"):
            self.problem(record.line_of("key"), f"{kind} needs a 'key' like \"{kind}:1\"")
        elif key in self.keys:
            self.problem(record.line_of("key"), f"key {key!r} is used twice")
        else:
            self.keys[key] = record

    def _snippet_fields(self, kind):
        model = SNIPPETS[kind][0]
        return [
            f
            for f in model._meta.concrete_fields
            if not f.primary_key and f.name not in ("locale", "translation_key")
        ]

    def _check_reference(self, line, model, value, *, required: bool) -> None:
        if value is None:
            if required:
                self.problem(line, "a reference is required here")
            return
        kind = _kind_of(model)
        if not isinstance(value, str) or not value.startswith(f"{kind}:"):
            self.problem(line, f'expected a {kind} key like "{kind}:1", got {value!r}')
        elif value not in self.keys:
            self.problem(line, f"{value!r} is not defined in this file")

    def _check_fields(self, record, model, fields, container="fields") -> None:
        values = record if container is None else record.get(container)
        if values is None:
            values = JsonObject()
            values.line = record.line
        if not isinstance(values, JsonObject):
            self.problem(record.line_of(container), f"'{container}' must be an object")
            return
        known = {f.name: f for f in fields}
        ignored = {"key"} if container is None else set()
        for name in values:
            if name not in known and name not in ignored:
                self.problem(values.line_of(name), f"{model.__name__} has no field {name!r}")
        for model_field in fields:
            line = values.line_of(model_field.name)
            if model_field.name not in values:
                if (
                    not model_field.blank
                    and not model_field.has_default()
                    and not (model_field.null)
                ):
                    self.problem(values.line, f"missing field {model_field.name!r}")
                continue
            value = values[model_field.name]
            self._check_value(line, model_field, value)

    def _check_value(self, line, model_field, value) -> None:
        if isinstance(model_field, StreamField):
            if not isinstance(value, list):
                self.problem(line, f"{model_field.name!r} must be a list of blocks")
                return
            try:
                _walk_stream(model_field.stream_block, value, self._reference_checker(line))
            except (ValueError, TypeError, AttributeError) as error:
                self.problem(line, f"{model_field.name!r}: {error}")
            return
        if model_field.is_relation:
            self._check_reference(
                line, model_field.related_model, value, required=not model_field.null
            )
            return
        if isinstance(model_field, RichTextField):
            if value is not None and not isinstance(value, str):
                self.problem(line, f"{model_field.name!r} must be HTML text")
                return
            _walk_rich(value, self._reference_checker(line))
        try:
            model_field.clean(value, None)
        except ValidationError as error:
            self.problem(line, f"{model_field.name!r}: {' '.join(error.messages)}")

    def _reference_checker(self, line):
        def check(model, value):
            if value not in (None, ""):
                self._check_reference(line, model, value, required=False)
            return value

        return check

    def _check_file(self, kind, record) -> None:
        model = ProgrammeDocument if kind == "document" else get_image_model()
        names = DOCUMENT_FIELDS if kind == "document" else IMAGE_FIELDS
        self._check_keys(record, {"key", "file", "checksum", *names} | DOCUMENT_EXTRA, kind)
        fields = [model._meta.get_field(name) for name in names]
        for model_field in fields:
            if model_field.name in record:
                self._check_value(
                    record.line_of(model_field.name), model_field, record[model_field.name]
                )
        if not record.get("title"):
            self.problem(record.line, f"{kind} {record.get('key')!r} has no title")
        path = record.get("file")
        if not isinstance(path, str) or not path:
            self.problem(record.line_of("file"), f"{kind} {record.get('key')!r} has no 'file'")
            return
        data = self.archive.read(path)
        if data is None:
            self.problem(record.line_of("file"), f"file {path!r} is missing from the archive")
            return
        checksum = record.get("checksum")
        if checksum and hashlib.sha256(data).hexdigest() != checksum:
            self.problem(record.line_of("checksum"), f"checksum of {path!r} does not match")
            return
        if kind == "document":
            if record.get("programme") not in (None, "page:1"):
                self.problem(record.line_of("programme"), "'programme' must be \"page:1\" or null")
            # The same checks as an upload in the admin: type by content, size.
            if len(data) > upload_max_bytes():
                self.problem(record.line_of("file"), f"file {path!r} is over the size limit")
            try:
                sniff(data, path)
            except RefusedUpload as error:
                self.problem(record.line_of("file"), f"file {path!r}: {error}")
        self.files[record["key"]] = data

    def _check_keys(self, record, allowed, what) -> None:
        for name in record:
            if name not in allowed:
                self.problem(record.line_of(name), f"unknown key {name!r} in a {what}")

    def _check_page(self, position, record) -> None:
        self._check_keys(record, PAGE_KEYS, "page")
        type_name = record.get("type")
        model = page_types().get(type_name) if isinstance(type_name, str) else None
        if model is None:
            self.problem(record.line_of("type"), f"unknown page type {type_name!r}")
            return
        parent_key = record.get("parent")
        if position == 0:
            if model is not page_models.ProgrammePage:
                self.problem(record.line_of("type"), "the first page must be a ProgrammePage")
            if parent_key is not None:
                self.problem(record.line_of("parent"), "the programme's 'parent' must be null")
        else:
            parent = self.keys.get(parent_key) if isinstance(parent_key, str) else None
            earlier = [r.get("key") for r in self.data["pages"][:position]]
            if parent is None or parent_key not in earlier:
                self.problem(
                    record.line_of("parent"),
                    f"'parent' must be the key of an earlier page, got {parent_key!r}",
                )
            else:
                parent_model = page_types().get(parent.get("type"))
                if parent_model is not None and (
                    model not in parent_model.allowed_subpage_models()
                    or parent_model not in model.allowed_parent_page_models()
                ):
                    self.problem(
                        record.line_of("type"),
                        f"a {model.__name__} cannot be placed under a {parent_model.__name__}",
                    )
        if not isinstance(record.get("live", True), bool):
            self.problem(record.line_of("live"), "'live' must be true or false")
        self._check_fields(record, model, page_fields(model))
        orderables = record.get("orderables", JsonObject())
        if not isinstance(orderables, JsonObject):
            self.problem(record.line_of("orderables"), "'orderables' must be an object")
            return
        relations = child_relations(model)
        for name, rows in orderables.items():
            if name not in relations:
                self.problem(
                    orderables.line_of(name), f"{model.__name__} has no orderables {name!r}"
                )
                continue
            if not isinstance(rows, list):
                self.problem(orderables.line_of(name), f"{name!r} must be a list")
                continue
            child_model, fields = relations[name]
            for row in rows:
                if not isinstance(row, JsonObject):
                    self.problem(orderables.line_of(name), f"each of {name!r} must be an object")
                    continue
                self._check_fields(row, child_model, fields, container=None)
        fields = record.get("fields")
        if position == 0 and isinstance(fields, JsonObject):
            slug = fields.get("slug")
            if self.parent.get_children().filter(slug=slug).exists():
                self.problem(
                    fields.line_of("slug"),
                    f"a page with the slug {slug!r} already exists under "
                    f"'{self.parent.title}'; delete or rename it first",
                )

    # --- writing (inside a transaction) ----------------------------------------

    def write(self) -> ImportResult:
        locale = self.parent.locale
        counts = {"pages": 0, "documents": 0, "images": 0, "snippets_created": 0}
        counts["snippets_reused"] = 0
        snippets = self.data.get("snippets", {})
        for image in self.data.get("images", []):
            self._at(image, self._create_image, image)
            counts["images"] += 1
        for kind, (model, natural_key) in SNIPPETS.items():
            for record in snippets.get(kind, []):
                obj, created = self._at(
                    record, self._snippet, kind, model, natural_key, record, locale
                )
                self.created[record["key"]] = obj
                counts["snippets_created" if created else "snippets_reused"] += 1
        for record in self.data.get("documents", []):
            self.created[record["key"]] = self._at(record, self._create_document, record)
            counts["documents"] += 1
        for position, record in enumerate(self.data["pages"]):
            parent = self.parent if position == 0 else self.created[record["parent"]]
            self.created[record["key"]] = self._at(record, self._create_page, parent, record)
            counts["pages"] += 1
        programme = self.created[self.data["pages"][0]["key"]]
        for record in self.data.get("documents", []):
            if record.get("programme"):
                doc = self.created[record["key"]]
                doc.programme = programme
                doc.save(update_fields=["programme"])
        return ImportResult(programme=programme, counts=counts)

    def _at(self, record, function, *args):
        try:
            return function(*args)
        except ValidationError as error:
            messages = (
                "; ".join(f"{name}: {' '.join(msgs)}" for name, msgs in error.message_dict.items())
                if hasattr(error, "error_dict")
                else " ".join(error.messages)
            )
            raise TransferError([f"{self.archive.name} line {record.line}: {messages}"]) from error

    def _resolve(self, model, value):
        if value in (None, ""):
            return None
        obj = self.created.get(value)
        return obj.pk if obj is not None else None

    def _python(self, model_field, value):
        if isinstance(model_field, StreamField):
            return _walk_stream(model_field.stream_block, value, self._resolve)
        if isinstance(model_field, RichTextField):
            return _walk_rich(value, self._resolve)
        if model_field.is_relation:
            return self.created.get(value) if value else None
        return model_field.to_python(value)

    def _assign(self, obj, values: dict, fields) -> None:
        for model_field in fields:
            if model_field.name in values:
                setattr(obj, model_field.name, self._python(model_field, values[model_field.name]))

    def _snippet(self, kind, model, natural_key, record, locale):
        lookup = {name: record.get(name, "") for name in natural_key}
        existing = model.objects.filter(locale=locale, **lookup).first()
        if existing is not None:
            return existing, False
        obj = model(locale=locale)
        self._assign(obj, record, self._snippet_fields(kind))
        obj.full_clean(exclude=["translation_key"])
        obj.save()
        return obj, True

    def _store(self, obj, record, data):
        name = PurePosixPath(record["file"]).name.split("-", 1)[-1]
        obj.file.save(name, ContentFile(data), save=False)
        self.saved_files.append(obj.file)

    def _create_document(self, record):
        data = self.files[record["key"]]
        doc = ProgrammeDocument(collection=Collection.get_first_root_node())
        self._assign(doc, record, [ProgrammeDocument._meta.get_field(n) for n in DOCUMENT_FIELDS])
        self._store(doc, record, data)
        doc.file_size = len(data)
        doc._set_file_hash()
        doc.save()
        if record.get("extraction_status") == "done":
            # The text travels with the file: searchable at once, no re-extraction.
            ProgrammeDocument.objects.filter(pk=doc.pk).update(
                extracted_text=record.get("extracted_text") or "",
                page_count=record.get("page_count"),
                extraction_status="done",
            )
            doc.refresh_from_db()
        return doc

    def _create_image(self, record):
        from django.core.files.images import ImageFile

        image_model = get_image_model()
        data = self.files[record["key"]]
        image = image_model(collection=Collection.get_first_root_node())
        self._assign(image, record, [image_model._meta.get_field(n) for n in IMAGE_FIELDS])
        name = PurePosixPath(record["file"]).name.split("-", 1)[-1]
        image.file = ImageFile(io.BytesIO(data), name=name)
        image.file_size = len(data)
        image.save()
        self.saved_files.append(image.file)
        self.created[record["key"]] = image
        return image

    def _create_page(self, parent, record):
        model = page_types()[record["type"]]
        page = model(locale=parent.locale)
        self._assign(page, record["fields"], page_fields(model))
        page.draft_title = page.title
        for name, rows in record.get("orderables", {}).items():
            child_model, fields = child_relations(model)[name]
            children = []
            for row in rows:
                child = child_model()
                self._assign(child, row, fields)
                # Rules an editor meets in the admin (a session needs a venue
                # or a link, ends after it starts...).
                self._at(
                    row,
                    child.full_clean,
                    [f.name for f in child._meta.fields if f.name not in {x.name for x in fields}],
                )
                children.append(child)
            setattr(page, name, children)
        self._clean_streams(page, model)
        live = record.get("live", True)
        page.live = live
        parent.add_child(instance=page)
        revision = page.save_revision()
        if live:
            revision.publish()
        return page

    def _clean_streams(self, page, model) -> None:
        # Stream content is checked against the block definitions once the
        # referenced documents exist (their ids are known only now).
        for model_field in page_fields(model):
            if isinstance(model_field, StreamField):
                value = getattr(page, model_field.name)
                model_field.stream_block.clean(value)

    def discard_files(self) -> None:
        for stored in self.saved_files:
            try:
                stored.storage.delete(stored.name)
            except OSError:
                pass


def default_index(site: Site | None = None):
    """The first programme index of the site, created under the home page if missing."""
    site = site or Site.objects.filter(is_default_site=True).first() or Site.objects.first()
    if site is None:
        raise TransferError(["No Wagtail site here to import into."])
    root = site.root_page.specific
    index = page_models.ProgrammeIndexPage.objects.descendant_of(root).first()
    if index is not None:
        return index
    if not isinstance(root, page_models.HomePage):
        raise TransferError([f"The root page of {site.hostname} is not a HomePage."])
    index = page_models.ProgrammeIndexPage(title="Programy", slug="programy", locale=root.locale)
    root.add_child(instance=index)
    index.save_revision().publish()
    return index


def import_programme(path: str | Path, parent=None) -> ImportResult:
    """Validate the archive; if it is clean, create everything in one transaction."""
    path = Path(path)
    if not path.exists():
        raise TransferError([f"{path}: no such file"])
    archive = _Archive(path)
    try:
        try:
            data = loads(archive.text)
        except json.JSONDecodeError as error:
            raise TransferError(
                [f"{archive.name} line {error.lineno} column {error.colno}: {error.msg}"]
            ) from error
        with transaction.atomic():
            target = parent.specific if parent is not None else default_index()
            importer = _Importer(archive, data, target)
            importer.validate()
            if importer.problems:
                raise TransferError(importer.problems)
            try:
                return importer.write()
            except Exception:
                importer.discard_files()
                raise
    finally:
        archive.close()


def find_programme(slug: str, hostname: str | None = None):
    """The programme with this slug in the site (default site when no hostname)."""
    sites = Site.objects.select_related("root_page")
    site = (
        sites.filter(hostname=hostname).first()
        if hostname
        else (sites.filter(is_default_site=True).first() or sites.first())
    )
    if site is None:
        raise TransferError([f"No Wagtail site {hostname or 'here'}."])
    programme = (
        page_models.ProgrammePage.objects.descendant_of(site.root_page).filter(slug=slug).first()
    )
    if programme is None:
        raise TransferError([f"No programme with the slug '{slug}' in {site.hostname}."])
    return programme
