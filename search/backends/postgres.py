"""PostgreSQL backend: full-text search over the same lemmatised, folded forms.

Each city's ``search_searchentry`` holds one row per item with a tsvector in
the 'simple' configuration (no stemming: the lemmas come from Python):

    setweight(title lemmas + folded title, 'A') || setweight(body's, 'D')

A query word matches when any of its forms (lemmas with and without
diacritics, the folded word) is in the vector. Typos: a word the city's
vocabulary (``search_searchterm``, trigram-indexed) does not contain is
expanded with the similar words it does contain, within the edit distance
Elasticsearch's fuzziness AUTO allows. Word-count rules, title and phrase
boosts mirror the Elasticsearch query so both backends rank alike.
"""

from __future__ import annotations

import re

from django.db import connection, transaction
from django_tenants.utils import schema_context

from ..analysis import QueryWord, edit_distance, fold, fuzzy_limit, tokenize
from .base import BackendResult, Hit, SearchBackend, analysed_fields

# Lexemes in a tsvector are limited (1 MB per vector); long document texts are
# cut for the vector (the snippet still sees the start of the full text).
MAX_VECTOR_CHARS = 400_000
SNIPPET_SOURCE_CHARS = 30_000
VOCABULARY_MIN, VOCABULARY_MAX = 3, 40
MAX_EXPANSIONS = 4

COLUMNS = (
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
    "title_folded",
)

# Column names are the constants above; values are always parameters.
UPSERT_SQL = f"""
INSERT INTO search_searchentry ({", ".join(COLUMNS)}, vector, updated)
VALUES ({", ".join(["%s"] * len(COLUMNS))},
        setweight(to_tsvector('simple', %s), 'A') || setweight(to_tsvector('simple', %s), 'D'),
        now())
ON CONFLICT (key) DO UPDATE SET
  {", ".join(f"{c} = EXCLUDED.{c}" for c in COLUMNS if c != "key")},
  vector = EXCLUDED.vector, updated = now()
"""  # noqa: S608

_LEXEME_RE = re.compile(r"^[^\W_]+$")


def _lexeme(term: str) -> str | None:
    term = term.lower()
    return f"'{term}'" if _LEXEME_RE.match(term) else None


def _row(item: dict) -> list:
    forms = analysed_fields(item)
    title_terms = f"{forms['title_lemmas']} {forms['title_folded']}"
    body_terms = f"{forms['lemmas'][:MAX_VECTOR_CHARS]} {forms['folded'][:MAX_VECTOR_CHARS]}"
    values = {**item, "title_folded": forms["title_folded"]}
    values["summary"] = values.get("summary") or ""
    values["body"] = values.get("body") or ""
    values["subkind"] = values.get("subkind") or ""
    values["file_type"] = values.get("file_type") or ""
    values["programme_title"] = values.get("programme_title") or ""
    values["url"] = values.get("url") or ""
    values["full_url"] = values.get("full_url") or ""
    return [values.get(c) for c in COLUMNS] + [title_terms, body_terms]


def _vocabulary(items: list[dict]) -> tuple[list[str], list[str]]:
    seen: dict[str, str] = {}
    for item in items:
        for text in (item.get("title") or "", item.get("body") or ""):
            for word in tokenize(text[:MAX_VECTOR_CHARS]):
                if VOCABULARY_MIN <= len(word) <= VOCABULARY_MAX and not word.isdigit():
                    folded = fold(word)
                    if folded not in seen:
                        seen[folded] = word.lower()
    return list(seen.keys()), list(seen.values())


class PostgresBackend(SearchBackend):
    name = "postgres"

    # --- writing -----------------------------------------------------------

    def apply(self, schema, upserts, deletes):
        with schema_context(schema), transaction.atomic(), connection.cursor() as cursor:
            if deletes:
                cursor.execute("DELETE FROM search_searchentry WHERE key = ANY(%s)", [deletes])
            if upserts:
                cursor.executemany(UPSERT_SQL, [_row(item) for item in upserts])
                folded, words = _vocabulary(upserts)
                if folded:
                    cursor.execute(
                        "INSERT INTO search_searchterm (folded, word) "
                        "SELECT * FROM unnest(%s::text[], %s::text[]) "
                        "ON CONFLICT (folded) DO NOTHING",
                        [folded, words],
                    )
        return {}

    def rebuild(self, schema, items, on_before_swap=None):
        """Replace every row in one transaction: readers see old rows until commit."""
        count = 0
        with schema_context(schema), transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("DELETE FROM search_searchentry")
            batch: list[dict] = []
            for item in items:
                batch.append(item)
                count += 1
                if len(batch) >= 500:
                    self.apply(schema, batch, [])
                    batch = []
            if batch:
                self.apply(schema, batch, [])
            if on_before_swap:
                on_before_swap(schema)
        return count

    def drop(self, schema):
        # The rows live in the city's schema and go with it.
        return None

    def count(self, schema):
        with schema_context(schema), connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM search_searchentry")
            return cursor.fetchone()[0]

    # --- reading -----------------------------------------------------------

    def _expansions(self, cursor, word: QueryWord) -> list[str]:
        """Vocabulary words within fuzzy reach of a word the city never used."""
        folded = word.folded
        limit = fuzzy_limit(folded)
        if limit == 0:
            return []
        cursor.execute("SELECT 1 FROM search_searchterm WHERE folded = %s", [folded])
        if cursor.fetchone():
            return []
        cursor.execute(
            "SELECT folded FROM search_searchterm WHERE folded %% %s "
            "ORDER BY similarity(folded, %s) DESC LIMIT 20",
            [folded, folded],
        )
        out = []
        for (candidate,) in cursor.fetchall():
            # Same rule as Elasticsearch's prefix_length=1: the first letter is right.
            if candidate[:1] == folded[:1] and edit_distance(folded, candidate, limit) <= limit:
                out.append(candidate)
            if len(out) >= MAX_EXPANSIONS:
                break
        return out

    def _word_tsquery(self, cursor, word: QueryWord) -> str | None:
        terms = []
        for term in [*word.lemma_terms, *word.folded_forms, *self._expansions(cursor, word)]:
            lexeme = _lexeme(term)
            if lexeme and lexeme not in terms:
                terms.append(lexeme)
        return "(" + " | ".join(terms) + ")" if terms else None

    def _search_schema(self, query, schema, filters, limit):
        with schema_context(schema), connection.cursor() as cursor:
            word_queries = [
                q for q in (self._word_tsquery(cursor, w) for w in query.content_words) if q
            ]
            if not word_queries:
                return 0, [], {}
            n = len(word_queries)
            # Elasticsearch's minimum_should_match "2<75%": all of one or two
            # words, 75% (rounded down) of more.
            required = n if n <= 2 else int(n * 0.75)
            any_query = " | ".join(word_queries)
            params: list = [any_query]
            matched = " + ".join("(vector @@ to_tsquery('simple', %s))::int" for _ in word_queries)
            where = ["vector @@ q.tsq", f"({matched}) >= %s"]
            params_where: list = [*word_queries, required]
            if filters.kind:
                where.append("kind = %s")
                params_where.append(filters.kind)
            if filters.year:
                where.append("year = %s")
                params_where.append(filters.year)
            if filters.programme:
                where.append("programme_id = %s")
                params_where.append(filters.programme)
            if filters.language:
                where.append("language = %s")
                params_where.append(filters.language)
            folded_words = [w.folded for w in query.words if _lexeme(w.folded)]
            phrase = " <-> ".join(_lexeme(w) for w in folded_words) if len(folded_words) > 1 else ""
            title_phrase = " ".join(folded_words)
            score = (
                "ts_rank(vector, q.tsq, 1)"
                " + CASE WHEN %s <> '' AND vector @@ to_tsquery('simple', %s) THEN 0.5 ELSE 0 END"
                " + CASE WHEN %s <> '' AND position(%s in title_folded) > 0 THEN 1.0 ELSE 0 END"
            )
            score_params = [phrase, phrase or "x", title_phrase, title_phrase]
            base = (
                "FROM search_searchentry, to_tsquery('simple', %s) AS q(tsq) WHERE "
                + " AND ".join(where)
            )
            cursor.execute(
                f"SELECT {', '.join(c for c in COLUMNS if c not in ('body', 'title_folded'))}, "
                f"left(body, {SNIPPET_SOURCE_CHARS}), {score} AS score {base} "
                "ORDER BY score DESC, date DESC NULLS LAST, id LIMIT %s",
                [*score_params, *params, *params_where, limit],
            )
            names = [c for c in COLUMNS if c not in ("body", "title_folded")]
            hits = []
            for row in cursor.fetchall():
                source = dict(zip(names, row[: len(names)], strict=True))
                source["city"] = schema
                if source.get("date"):
                    source["date"] = source["date"].isoformat()
                hits.append(Hit(schema=schema, score=float(row[-1]), source=source, body=row[-2]))
            cursor.execute(
                "SELECT kind, year, programme_id, max(programme_title), language, count(*), "
                "GROUPING(kind, year, programme_id, language) "
                f"{base} GROUP BY GROUPING SETS ((kind), (year), (programme_id), (language), ())",
                [*params, *params_where],
            )
            facets: dict[str, list[tuple]] = {
                "kind": [],
                "year": [],
                "programme": [],
                "language": [],
            }
            total = 0
            for kind, year, programme_id, programme_title, language, count, grouping in cursor:
                if grouping == 15:
                    total = count
                elif grouping == 7 and kind is not None:
                    facets["kind"].append((kind, count, ""))
                elif grouping == 11 and year is not None:
                    facets["year"].append((year, count, ""))
                elif grouping == 13 and programme_id is not None:
                    facets["programme"].append((programme_id, count, programme_title or ""))
                elif grouping == 14 and language is not None:
                    facets["language"].append((language, count, ""))
            return total, hits, facets

    def search(self, query, schemas, filters, *, offset, limit):
        total = 0
        hits: list[Hit] = []
        merged: dict[str, dict] = {"kind": {}, "year": {}, "programme": {}, "language": {}}
        cities: list[tuple] = []
        for schema in schemas:
            schema_total, schema_hits, facets = self._search_schema(
                query, schema, filters, offset + limit
            )
            total += schema_total
            hits.extend(schema_hits)
            if schema_total:
                cities.append((schema, schema_total, ""))
            for name, rows in facets.items():
                for value, count, label in rows:
                    _old, old_count, old_label = merged[name].get(value, (value, 0, ""))
                    merged[name][value] = (value, old_count + count, old_label or label)
        # Best score first; among equal scores the newest (two stable sorts).
        hits.sort(key=lambda h: h.source.get("date") or "", reverse=True)
        hits.sort(key=lambda h: -h.score)
        facets_out = {
            name: sorted(rows.values(), key=lambda r: (-r[1], str(r[0])))
            for name, rows in merged.items()
        }
        facets_out["year"] = sorted(merged["year"].values(), key=lambda r: -int(r[0]))
        if len(schemas) > 1:
            facets_out["city"] = sorted(cities, key=lambda r: -r[1])
        return BackendResult(total=total, hits=hits[offset : offset + limit], facets=facets_out)

    def suggest(self, query, schemas):
        if not query.words:
            return None
        out = []
        changed = False
        for schema in schemas[:20]:
            with schema_context(schema), connection.cursor() as cursor:
                out, changed = [], False
                for word in query.words:
                    best = None
                    if len(word.folded) >= 3 and not word.folded.isdigit():
                        cursor.execute(
                            "SELECT 1 FROM search_searchterm WHERE folded = %s", [word.folded]
                        )
                        if not cursor.fetchone():
                            cursor.execute(
                                "SELECT word FROM search_searchterm WHERE folded %% %s "
                                "ORDER BY similarity(folded, %s) DESC LIMIT 1",
                                [word.folded, word.folded],
                            )
                            row = cursor.fetchone()
                            best = row[0] if row else None
                    out.append(best or word.raw)
                    changed = changed or bool(best)
            if changed:
                return " ".join(out)
        return None
