"""What every search backend provides, and the shapes they exchange with query.py."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..analysis import AnalysedQuery, analyse

# Private-use characters around highlighted spans in fragments a backend
# returns; query.py turns them into <mark> after escaping everything else.
MARK_START = "\ue000"
MARK_END = "\ue001"

FACETS = ("kind", "year", "programme", "language")


@dataclass
class Filters:
    kind: str | None = None
    year: int | None = None
    programme: int | None = None
    language: str | None = None


@dataclass
class Hit:
    schema: str
    score: float
    source: dict
    # Plain text around the match (may contain MARK_START/MARK_END), or None
    # when the backend leaves choosing the fragment to query.py.
    fragment: str | None = None
    body: str | None = None


@dataclass
class BackendResult:
    total: int
    hits: list[Hit]
    # facet name -> [(value, count, label)], label may be "" (query.py fills it)
    facets: dict[str, list[tuple]] = field(default_factory=dict)


def analysed_fields(item: dict) -> dict:
    """The normalised forms an item is indexed with (both backends)."""
    language = item.get("language") or "pl"
    title = analyse(item.get("title") or "", language)
    body = analyse(item.get("body") or "", language)
    return {
        "title_lemmas": title.lemmas,
        "title_folded": title.folded,
        "lemmas": body.lemmas,
        "folded": body.folded,
    }


class SearchBackend:
    """Interface; see elasticsearch.py and postgres.py."""

    name = "base"

    def apply(self, schema: str, upserts: list[dict], deletes: list[str]) -> dict[str, str]:
        """Write items and remove keys; return {key: error} for items refused one by one.

        Raises an exception that search.es.is_transient() accepts when the
        backend is unreachable: the caller keeps the work for later.
        """
        raise NotImplementedError

    def rebuild(self, schema: str, items, on_before_swap=None) -> int:
        """Replace the city's whole index with ``items``; return how many."""
        raise NotImplementedError

    def drop(self, schema: str) -> None:
        raise NotImplementedError

    def count(self, schema: str) -> int | None:
        raise NotImplementedError

    def search(
        self,
        query: AnalysedQuery,
        schemas: list[str],
        filters: Filters,
        *,
        offset: int,
        limit: int,
    ) -> BackendResult:
        raise NotImplementedError

    def suggest(self, query: AnalysedQuery, schemas: list[str]) -> str | None:
        """A corrected query for one that found nothing, or None."""
        return None

    def refresh(self, schema: str) -> None:
        """Make recent writes visible to searches (tests, benchmarks)."""
