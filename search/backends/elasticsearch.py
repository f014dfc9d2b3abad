"""Elasticsearch backend: one index per city behind an alias (search/documents.py)."""

from __future__ import annotations

import logging
import re
from collections import deque
from concurrent.futures import ThreadPoolExecutor

from elasticsearch import NotFoundError, helpers

from .. import es
from ..analysis import AnalysedQuery, QueryWord, match_prefix
from ..documents import alias_name, index_definition, new_index_name
from .base import (
    MARK_END,
    MARK_START,
    BackendResult,
    Filters,
    Hit,
    SearchBackend,
    analysed_fields,
)

logger = logging.getLogger(__name__)

FRAGMENT_CHARS = 220
BULK_CHUNK = 500
SOURCE_EXCLUDES = ["text", "lemmas", "folded", "title_lemmas", "title_folded"]


def to_source(item: dict, schema: str) -> dict:
    date = item.get("date")
    source = {
        "key": item["key"],
        "object_type": item["object_type"],
        "object_id": item["object_id"],
        "kind": item["kind"],
        "subkind": item.get("subkind") or "",
        "title": item["title"],
        "summary": item.get("summary") or "",
        "text": item.get("body") or "",
        "url": item.get("url") or "",
        "full_url": item.get("full_url") or "",
        "date": date.isoformat() if date else None,
        "year": item.get("year"),
        "programme_id": item.get("programme_id"),
        "programme_title": item.get("programme_title") or "",
        "language": item.get("language") or "pl",
        "file_type": item.get("file_type") or "",
        "file_size": item.get("file_size"),
        "city": schema,
    }
    source.update(analysed_fields(item))
    return source


def _fuzzy(word: QueryWord, enabled: bool) -> dict:
    # Years, street numbers and postcodes must match exactly: 2017 is not 2018.
    if not enabled or word.folded.isdigit():
        return {}
    return {"fuzziness": "AUTO", "prefix_length": 1}


def can_be_fuzzy(query: AnalysedQuery) -> bool:
    return any(len(w.folded) > 2 and not w.folded.isdigit() for w in query.content_words)


def word_clause(word: QueryWord, fuzzy_enabled: bool = True) -> dict:
    """Every way one query word may match, the best one counting."""
    lemmas = " ".join(word.lemma_terms)
    folded = " ".join(word.folded_forms)
    fuzzy = _fuzzy(word, fuzzy_enabled)
    return {
        "dis_max": {
            "tie_breaker": 0.2,
            "queries": [
                {"match": {"title_lemmas": {"query": lemmas, "boost": 4}}},
                {"match": {"lemmas": {"query": lemmas, "boost": 2}}},
                {"match": {"title_folded": {"query": folded, "boost": 3, **fuzzy}}},
                {"match": {"folded": {"query": folded, "boost": 1, **fuzzy}}},
            ],
        }
    }


def build_query(query: AnalysedQuery, filters: Filters, *, fuzzy: bool = True) -> dict:
    words = query.content_words
    must = {
        "bool": {
            "should": [word_clause(w, fuzzy) for w in words],
            # all of one or two words, three of four, ...
            "minimum_should_match": "2<75%",
        }
    }
    should = []
    if len(query.words) > 1:
        should = [
            {"match_phrase": {"title.folded": {"query": query.text, "slop": 1, "boost": 6}}},
            {"match_phrase": {"folded": {"query": query.folded_text, "slop": 2, "boost": 3}}},
        ]
    filter_clauses = []
    if filters.kind:
        filter_clauses.append({"term": {"kind": filters.kind}})
    if filters.year:
        filter_clauses.append({"term": {"year": filters.year}})
    if filters.programme:
        filter_clauses.append({"term": {"programme_id": filters.programme}})
    if filters.language:
        filter_clauses.append({"term": {"language": filters.language}})
    return {"bool": {"must": [must], "should": should, "filter": filter_clauses}}


def highlight_query(query: AnalysedQuery, *, fuzzy: bool = False) -> dict:
    """Which words of the text the fragment is chosen around (query.py marks them).

    For the fuzzy pass, words starting with the stem of a query word (the
    stem query.py marks by) stand in for the misspelt word: "konsultcje"
    chooses the passage with "konsultacje". A fuzzy highlight query would be
    exact, but the highlighter expands it again for every hit: it made a typo
    query 4-5 times slower (bench/results/search.md).
    """
    terms = []
    for word in query.content_words:
        terms.extend(word.folded_forms)
        terms.extend(word.lemma_terms)
    should: list[dict] = [{"match": {"text.folded": {"query": " ".join(terms)}}}]
    if fuzzy:
        stems = {match_prefix(form) for w in query.content_words for form in w.folded_forms}
        should.extend(
            {"prefix": {"text.folded": {"value": stem}}} for stem in sorted(stems - {None})
        )
    return {"bool": {"should": should}}


AGGREGATIONS = {
    "kind": {"terms": {"field": "kind", "size": 20}},
    "year": {"terms": {"field": "year", "size": 60, "order": {"_key": "desc"}}},
    "programme": {
        "terms": {"field": "programme_id", "size": 50},
        "aggs": {"title": {"terms": {"field": "programme_title", "size": 1}}},
    },
    "language": {"terms": {"field": "language", "size": 10}},
    "city": {"terms": {"field": "city", "size": 500}},
}


class ElasticsearchBackend(SearchBackend):
    name = "elasticsearch"

    def __init__(self):
        self._known_aliases: set[str] = set()

    @property
    def client(self):
        return es.client()

    # --- writing -----------------------------------------------------------

    def ensure_index(self, schema: str) -> str:
        """The city's alias, creating an empty index behind it on first use.

        Writing to a missing alias would make Elasticsearch auto-create an
        index of that name with guessed mappings; this prevents it. Callers
        hold the city's indexing lock (search/indexing.py), so two workers
        never create two indices for one alias.
        """
        alias = alias_name(schema)
        if alias in self._known_aliases:
            return alias
        if not self.client.indices.exists_alias(name=alias):
            name = new_index_name(schema)
            body = index_definition(name).to_dict()
            self.client.indices.create(
                index=name,
                settings=body["settings"],
                mappings=body["mappings"],
                aliases={alias: {}},
            )
        self._known_aliases.add(alias)
        return alias

    def apply(self, schema, upserts, deletes):
        if not upserts and not deletes:
            return {}
        alias = self.ensure_index(schema)
        actions = [
            {
                "_op_type": "index",
                "_index": alias,
                "_id": item["key"],
                "_source": to_source(item, schema),
            }
            for item in upserts
        ] + [{"_op_type": "delete", "_index": alias, "_id": key} for key in deletes]
        _ok, errors = helpers.bulk(
            self.client,
            actions,
            chunk_size=BULK_CHUNK,
            raise_on_error=False,
            raise_on_exception=True,
            request_timeout=120,
        )
        failed = {}
        for error in errors:
            ((op, info),) = error.items()
            status = info.get("status")
            if op == "delete" and status == 404:
                continue  # already gone
            if status in es.TRANSIENT_STATUSES:
                raise es.SearchUnavailable(f"bulk {op} answered {status}")
            failed[str(info.get("_id"))] = str(info.get("error"))[:400]
        if failed and any("alias" in message for message in failed.values()):
            self._known_aliases.discard(alias)
        return failed

    def rebuild(self, schema, items, on_before_swap=None):
        alias = alias_name(schema)
        name = new_index_name(schema)
        body = index_definition(name).to_dict()
        settings = dict(body["settings"])
        settings["refresh_interval"] = "-1"  # no refreshes while loading
        client = self.client
        client.indices.create(index=name, settings=settings, mappings=body["mappings"])
        sent = [0]
        try:
            for error in self._bulk_overlapped(
                (
                    {"_index": name, "_id": item["key"], "_source": to_source(item, schema)}
                    for item in items
                ),
                sent,
            ):
                logger.error("search reindex of %s: item refused: %s", schema, error)
            client.indices.put_settings(index=name, settings={"index": {"refresh_interval": None}})
            client.indices.refresh(index=name)
            if on_before_swap:
                on_before_swap(name)
            self._swap_alias(alias, name)
        except BaseException:
            client.indices.delete(index=name, ignore_unavailable=True)
            raise
        self._known_aliases.add(alias)
        return sent[0]

    def _bulk_overlapped(self, actions, sent: list[int]):
        """Send ``actions`` in chunks while the next chunk is being built.

        The items are built (database reads, Polish analysis) in this thread,
        which holds the city's database connection; only the HTTP requests run
        in a helper thread, so Python and Elasticsearch work at the same time.
        Yields the errors of refused items.
        """

        def send(chunk):
            _ok, errors = helpers.bulk(
                self.client,
                chunk,
                chunk_size=BULK_CHUNK,
                raise_on_error=False,
                raise_on_exception=True,
                request_timeout=300,
            )
            return errors

        in_flight: deque = deque()
        chunk: list[dict] = []
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="search-bulk") as pool:
            for action in actions:
                chunk.append(action)
                sent[0] += 1
                if len(chunk) >= BULK_CHUNK:
                    in_flight.append(pool.submit(send, chunk))
                    chunk = []
                    while len(in_flight) > 1:
                        yield from in_flight.popleft().result()
            if chunk:
                in_flight.append(pool.submit(send, chunk))
            while in_flight:
                yield from in_flight.popleft().result()

    def _swap_alias(self, alias: str, new_index: str) -> None:
        client = self.client
        actions: list[dict] = []
        try:
            current = list(client.indices.get_alias(name=alias).keys())
        except NotFoundError:
            current = []
        for old in current:
            actions.append({"remove": {"index": old, "alias": alias}})
        if client.indices.exists(index=alias) and not current:
            # An index auto-created under the alias's name: replace it.
            actions.append({"remove_index": {"index": alias}})
        actions.append({"add": {"index": new_index, "alias": alias}})
        # One call: readers see the old index until this returns, then the new one.
        client.indices.update_aliases(actions=actions)
        self._delete_stale(alias, keep=new_index)

    def _delete_stale(self, alias: str, keep: str) -> None:
        pattern = re.compile(rf"^{re.escape(alias)}-\d{{20}}$")
        try:
            existing = self.client.indices.get(index=f"{alias}-*")
        except NotFoundError:
            return
        for name in existing:
            if name != keep and pattern.match(name):
                self.client.indices.delete(index=name, ignore_unavailable=True)

    def drop(self, schema):
        alias = alias_name(schema)
        self._known_aliases.discard(alias)
        pattern = re.compile(rf"^{re.escape(alias)}(-\d{{20}})?$")
        try:
            existing = self.client.indices.get(index=f"{alias}*")
        except NotFoundError:
            return
        for name in existing:
            if pattern.match(name):
                self.client.indices.delete(index=name, ignore_unavailable=True)

    def count(self, schema):
        try:
            return self.client.count(index=alias_name(schema))["count"]
        except NotFoundError:
            return None

    def refresh(self, schema):
        try:
            self.client.indices.refresh(index=alias_name(schema))
        except NotFoundError:
            pass

    def indices_of(self, schema: str) -> list[str]:
        try:
            return sorted(self.client.indices.get_alias(name=alias_name(schema)).keys())
        except NotFoundError:
            return []

    # --- reading -----------------------------------------------------------

    def search(self, query, schemas, filters, *, offset, limit):
        """Exact forms first; fuzzy matching only when they find nothing.

        Fuzzy queries cost 5-10 times more (measured in bench/results/search.md)
        and only help when a word is misspelt, which the exact pass reveals by
        finding nothing. Lemmas and folding already cover inflection and
        missing diacritics without fuzziness.
        """
        if not schemas:
            return BackendResult(total=0, hits=[])
        result = self._search(query, schemas, filters, offset, limit, fuzzy=False)
        if result.total == 0 and can_be_fuzzy(query):
            result = self._search(query, schemas, filters, offset, limit, fuzzy=True)
        return result

    def _search(self, query, schemas, filters, offset, limit, *, fuzzy):
        body = {
            "query": build_query(query, filters, fuzzy=fuzzy),
            "from": offset,
            "size": limit,
            "track_total_hits": True,
            "sort": ["_score", {"date": {"order": "desc", "missing": "_last"}}],
            "_source": {"excludes": SOURCE_EXCLUDES},
            "aggs": AGGREGATIONS
            if len(schemas) > 1
            else {k: v for k, v in AGGREGATIONS.items() if k != "city"},
            "highlight": {
                "pre_tags": [MARK_START],
                "post_tags": [MARK_END],
                "encoder": "default",
                "max_analyzed_offset": 999_999,
                "fields": {
                    "text.folded": {
                        "type": "unified",
                        "fragment_size": FRAGMENT_CHARS,
                        "number_of_fragments": 1,
                        "no_match_size": FRAGMENT_CHARS,
                        "highlight_query": highlight_query(query, fuzzy=fuzzy),
                    }
                },
            },
        }
        response = self.client.search(
            index=",".join(alias_name(s) for s in schemas),
            body=body,
            ignore_unavailable=True,
            allow_no_indices=True,
            # Per-city indices have different term statistics; across cities
            # score with global ones so one city's rare words don't win.
            search_type="dfs_query_then_fetch" if len(schemas) > 1 else None,
        )
        hits = []
        for raw in response["hits"]["hits"]:
            source = raw["_source"]
            fragments = raw.get("highlight", {}).get("text.folded") or []
            hits.append(
                Hit(
                    schema=source.get("city", ""),
                    score=raw.get("_score") or 0.0,
                    source=source,
                    fragment=fragments[0] if fragments else "",
                )
            )
        facets: dict[str, list[tuple]] = {}
        for name, agg in response.get("aggregations", {}).items():
            rows = []
            for bucket in agg["buckets"]:
                label = ""
                if name == "programme":
                    titles = bucket.get("title", {}).get("buckets", [])
                    label = titles[0]["key"] if titles else ""
                rows.append((bucket["key"], bucket["doc_count"], label))
            facets[name] = rows
        return BackendResult(total=response["hits"]["total"]["value"], hits=hits, facets=facets)

    def suggest(self, query, schemas):
        if not schemas or not query.words:
            return None
        options = {
            "suggest_mode": "missing",
            "prefix_length": 0,
            "min_word_length": 3,
            "max_edits": 2,
            "sort": "score",
        }
        response = self.client.search(
            index=",".join(alias_name(s) for s in schemas),
            size=0,
            ignore_unavailable=True,
            allow_no_indices=True,
            suggest={
                "text": query.text,
                "in_titles": {"term": {"field": "title", **options}},
                "in_text": {"term": {"field": "text", **options}},
            },
        )
        suggestions = response.get("suggest", {})
        by_position: dict[int, tuple[str, list]] = {}
        for name in ("in_titles", "in_text"):
            for entry in suggestions.get(name, []):
                word, found = by_position.get(entry["offset"], (entry["text"], []))
                by_position[entry["offset"]] = (word, found + (entry.get("options") or []))
        out = []
        changed = False
        for _offset, (word, found) in sorted(by_position.items()):
            if found:
                best = max(found, key=lambda o: (o["score"], o["freq"]))
                out.append(best["text"])
                changed = True
            else:
                out.append(word)
        return " ".join(out) if changed else None
