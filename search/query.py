"""The one search service behind the HTML page, the API, the benchmarks and the tests.

``search()`` analyses the query (search/analysis.py), asks the configured
backend, and shapes the answer identically for both backends: results with
title, URL, kind label, date and an HTML snippet whose only markup is
``<mark>`` (everything else escaped), facets with labels and counts, and a
"did you mean" suggestion when nothing matched.

Snippets are marked here in Python for both backends, so inflected and
diacritics-free matches are highlighted the same way: a word is marked when
its folded form equals a folded query form or starts with the stem of one
(query "spotkaniu" marks "spotkanie", "spotkań"). Elasticsearch chooses the
fragment (and its fuzzy matches are kept); for PostgreSQL the best window of
the text is chosen here.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

from django.conf import settings
from django.db import connection
from django.utils.html import escape
from django.utils.translation import gettext as _

from . import es
from .analysis import AnalysedQuery, analyse_query, match_prefix
from .backends import backend_name, get_backend
from .backends.base import MARK_END, MARK_START, Filters
from .items import kind_label

# Page ids are PostgreSQL integers (and "integer" in the Elasticsearch mapping):
# a larger filter value can only be a mistake, answered as bad input.
PAGE_ID_MAX = 2**31 - 1
MAX_PER_PAGE = 50
MAX_RESULTS = 10_000  # deepest result reachable by paging (index.max_result_window)
SNIPPET_CHARS = 220


class SearchError(ValueError):
    """Bad parameters (the API answers 400)."""


#: ``language=all``: results in every language (no language filter).
ALL_LANGUAGES = "all"


def language_codes() -> list[str]:
    return [code for code, _name in settings.LANGUAGES]


def language_filter(requested: str | None, default: str | None) -> str | None:
    """The language to filter by: the requested one, else ``default``; ``all``: none.

    The search page and the API both filter by language unless told
    otherwise (docs/search.md): a resident reading English pages searches
    English pages, and a Polish search never lists the English copy of a page.
    """
    language = requested or default
    if not language or language == ALL_LANGUAGES:
        return None
    return language


@dataclass
class SearchResults:
    query: str
    total: int = 0
    page: int = 1
    per_page: int = 10
    results: list[dict] = field(default_factory=list)
    facets: dict[str, list[dict]] = field(default_factory=dict)
    did_you_mean: str | None = None
    cross_city: bool = False
    backend: str = ""

    @property
    def pages(self) -> int:
        reachable = min(self.total, MAX_RESULTS)
        return max(1, math.ceil(reachable / self.per_page)) if reachable else 0

    def as_dict(self) -> dict:
        return {
            "query": self.query,
            "total": self.total,
            "page": self.page,
            "per_page": self.per_page,
            "pages": self.pages,
            "results": self.results,
            "facets": self.facets,
            "did_you_mean": self.did_you_mean,
            "cross_city": self.cross_city,
        }


# --- Scope --------------------------------------------------------------------------


def _city_names(schemas: list[str]) -> dict[str, str]:
    try:
        from tenants.models import City
    except ImportError:
        return {}
    return dict(City.objects.filter(schema_name__in=schemas).values_list("schema_name", "name"))


def resolve_scope(cities: list[str] | None) -> tuple[list[str], bool]:
    """(schemas to search, whether this is a cross-city search).

    On a city's domain only that city is searched, whatever ``cities`` says:
    a city's search never returns another city's content. On the platform
    domain (public schema) all active cities are searched, or those named.
    """
    schema = getattr(connection, "schema_name", "public")
    if schema != "public":
        return [schema], False
    from .indexing import city_schemas

    schemas = city_schemas(cities or None)
    return schemas, True


# --- Snippets -----------------------------------------------------------------------

_SPECIAL_1TO1 = {"ł": "l", "Ł": "l", "ø": "o", "Ø": "o", "đ": "d", "Đ": "d", "ß": "s"}
_SPECIAL_1TO1.update({"æ": "a", "Æ": "a", "œ": "o", "Œ": "o", "ı": "i", "ħ": "h", "ŧ": "t"})


@lru_cache(maxsize=4096)
def _fold_char(ch: str) -> str:
    if ch.isascii():
        return ch.lower()
    if ch in _SPECIAL_1TO1:
        return _SPECIAL_1TO1[ch]
    base = unicodedata.normalize("NFKD", ch)[:1].lower()
    return base if len(base) == 1 else ch


def fold_same_length(text: str) -> str:
    """Fold character by character, so offsets in the result are offsets in ``text``."""
    return "".join(_fold_char(ch) for ch in text)


def _matcher(query: AnalysedQuery) -> re.Pattern | None:
    stems: set[str] = set()
    exact: set[str] = set()
    for word in query.content_words:
        forms = set(word.folded_forms) | {fold_same_length(t) for t in word.lemma_terms}
        for form in forms:
            if not form:
                continue
            stem = match_prefix(form)
            if stem:
                stems.add(stem)
            else:
                exact.add(form)
    parts = []
    if stems:
        parts.append(
            "(?:" + "|".join(map(re.escape, sorted(stems, key=len, reverse=True))) + r")[^\W_]*"
        )
    if exact:
        parts.append(
            "(?:" + "|".join(map(re.escape, sorted(exact, key=len, reverse=True))) + r")(?![^\W_])"
        )
    if not parts:
        return None
    return re.compile(r"(?<![^\W_])(?:" + "|".join(parts) + ")")


def _spans(text: str, pattern: re.Pattern | None) -> list[tuple[int, int]]:
    if pattern is None or not text:
        return []
    return [m.span() for m in pattern.finditer(fold_same_length(text))]


def _strip_marks(fragment: str) -> tuple[str, list[tuple[int, int]]]:
    """Plain text of a backend fragment and the spans it marked."""
    out: list[str] = []
    spans = []
    length = 0
    start = None
    for piece in re.split(f"([{MARK_START}{MARK_END}])", fragment):
        if piece == MARK_START:
            start = length
        elif piece == MARK_END:
            if start is not None:
                spans.append((start, length))
            start = None
        else:
            out.append(piece)
            length += len(piece)
    return "".join(out), spans


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[list[int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return [(a, b) for a, b in merged]


def _window(text: str, spans: list[tuple[int, int]], size: int) -> tuple[int, int]:
    """The ``size``-character window with the most distinct matched words."""
    if not spans:
        return 0, min(len(text), size)
    folded = fold_same_length(text)
    best, best_score = spans[0][0], -1
    for i, (start, _end) in enumerate(spans):
        words = {folded[a:b] for a, b in spans[i:] if b <= start + size}
        if len(words) > best_score:
            best, best_score = start, len(words)
    begin = max(0, best - size // 4)
    if begin:
        space = text.find(" ", begin, best)
        begin = space + 1 if space != -1 else begin
    end = min(len(text), begin + size)
    if end < len(text):
        space = text.rfind(" ", begin, end)
        end = space if space > begin else end
    return begin, end


def render_snippet(text: str, spans: list[tuple[int, int]], *, lead="", tail="") -> str:
    """Escape everything; wrap spans in <mark>."""
    out = [lead]
    position = 0
    for start, end in _merge(spans):
        out.append(escape(text[position:start]))
        out.append(f"<mark>{escape(text[start:end])}</mark>")
        position = end
    out.append(escape(text[position:]))
    out.append(tail)
    return "".join(out)


def build_snippet(
    query: AnalysedQuery,
    *,
    fragment: str | None = None,
    body: str | None = None,
    summary: str = "",
    pattern: re.Pattern | None = None,
) -> str:
    pattern = pattern if pattern is not None else _matcher(query)
    if fragment:
        text, backend_spans = _strip_marks(fragment)
        text = " ".join(text.split()) if not backend_spans else text
        return render_snippet(text, backend_spans + _spans(text, pattern))
    source = body or summary or ""
    if not source:
        return ""
    spans = _spans(source, pattern)
    begin, end = _window(source, spans, SNIPPET_CHARS)
    inside = [(a - begin, b - begin) for a, b in spans if a >= begin and b <= end]
    return render_snippet(
        source[begin:end],
        inside,
        lead="… " if begin > 0 else "",
        tail=" …" if end < len(source) else "",
    )


# --- Facet labels -------------------------------------------------------------------


def language_label(code: str) -> str:
    names = dict(getattr(settings, "LANGUAGES", []))
    return str(names.get(code, code))


def _facets(raw: dict[str, list[tuple]], city_names: dict[str, str]) -> dict[str, list[dict]]:
    out: dict[str, list[dict]] = {}
    for name, rows in raw.items():
        entries = []
        for value, count, label in rows:
            if name == "kind":
                label = kind_label(str(value))
            elif name == "language":
                label = language_label(str(value))
            elif name == "city":
                label = city_names.get(str(value), str(value))
            elif name == "year":
                label = str(value)
            entries.append({"value": value, "label": str(label or value), "count": count})
        out[name] = entries
    return out


# --- The service --------------------------------------------------------------------


def search(
    q: str,
    *,
    kind: str | None = None,
    year: int | None = None,
    programme: int | None = None,
    language: str | None = None,
    page: int = 1,
    per_page: int = 10,
    cities: list[str] | None = None,
    ui_language: str | None = None,
) -> SearchResults:
    """Search the current city (or, on the platform domain, all or some cities).

    Raises SearchError on bad parameters and search.es.SearchUnavailable
    when the backend cannot answer.
    """
    per_page = max(1, min(int(per_page), MAX_PER_PAGE))
    page = max(1, int(page))
    offset = (page - 1) * per_page
    if offset + per_page > MAX_RESULTS:
        raise SearchError(_("Results are only available up to number %(n)s.") % {"n": MAX_RESULTS})
    query = analyse_query(q or "", ui_language)
    schemas, cross_city = resolve_scope(cities)
    results = SearchResults(
        query=query.text,
        page=page,
        per_page=per_page,
        cross_city=cross_city,
        backend=backend_name(),
    )
    if not query.words or not schemas:
        return results
    filters = Filters(kind=kind, year=year, programme=programme, language=language)
    backend = get_backend()
    try:
        raw = backend.search(query, schemas, filters, offset=offset, limit=per_page)
    except Exception as error:
        if es.is_transient(error):
            raise es.SearchUnavailable(str(error)) from error
        raise
    names = _city_names(schemas) if cross_city else {}
    pattern = _matcher(query)
    for hit in raw.hits:
        source = hit.source
        entry = {
            "title": source.get("title", ""),
            "url": source.get("full_url") if cross_city else source.get("url"),
            "full_url": source.get("full_url", ""),
            "type": source.get("object_type", ""),
            "kind": source.get("kind", ""),
            "subkind": source.get("subkind", ""),
            "kind_label": kind_label(source.get("kind", ""), source.get("subkind", "")),
            "date": (source.get("date") or "")[:10] or None,
            "year": source.get("year"),
            "language": source.get("language", ""),
            "programme": (
                {"id": source["programme_id"], "title": source.get("programme_title", "")}
                if source.get("programme_id")
                else None
            ),
            "file_type": source.get("file_type") or "",
            "file_size": source.get("file_size"),
            "snippet": build_snippet(
                query,
                fragment=hit.fragment,
                body=hit.body,
                summary=source.get("summary", ""),
                pattern=pattern,
            ),
        }
        if cross_city:
            entry["city"] = {"slug": hit.schema, "name": names.get(hit.schema, hit.schema)}
        results.results.append(entry)
    results.total = raw.total
    results.facets = _facets(raw.facets, names)
    if raw.total == 0:
        results.did_you_mean = did_you_mean(query, schemas, filters)
    return results


def did_you_mean(query: AnalysedQuery, schemas: list[str], filters: Filters) -> str | None:
    """A spelling that finds something, for a query that found nothing."""
    backend = get_backend()
    try:
        suggestion = backend.suggest(query, schemas)
        if not suggestion or suggestion.strip().lower() == query.text.lower():
            return None
        check = backend.search(
            analyse_query(suggestion, query.language), schemas, filters, offset=0, limit=1
        )
    except Exception as error:
        if es.is_transient(error):
            return None
        raise
    return suggestion if check.total else None
