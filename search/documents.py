"""The Elasticsearch index of one city: mapping, analysers, names.

Each city has its own index behind an alias::

    <prefix>-<schema>  (alias, what queries and single updates use)
        -> <prefix>-<schema>-<UTC timestamp>  (the index itself)

A full reindex builds a new timestamped index, then moves the alias in one
``update_aliases`` call, so readers never see a missing or half-built index.

Polish morphology is done in Python (search/analysis.py) because the node
need not have any language plugin: the index only tokenises. ``lemmas`` and
``folded`` (and their title variants) hold Python's space-separated output
and are split on whitespace; ``text`` is the original text with the standard
tokenizer, plus a ``text.folded`` sub-field (asciifolding) that highlighting
uses, so snippets come from the original text even when the match was
folded. Only analysis components every Elasticsearch 8 node has are used
(standard/whitespace tokenizers, lowercase and asciifolding filters).
"""

from __future__ import annotations

import datetime

from django.conf import settings
from elasticsearch_dsl import (
    Date,
    Document,
    Index,
    Integer,
    Keyword,
    Long,
    Text,
    analyzer,
)

# Analysers built only from what every node has, including a bare dev node.
text_analyzer = analyzer("dialog_text", tokenizer="standard", filter=["lowercase"])
folded_text_analyzer = analyzer(
    "dialog_folded_text", tokenizer="standard", filter=["lowercase", "asciifolding"]
)
terms_analyzer = analyzer("dialog_terms", tokenizer="whitespace", filter=["lowercase"])


class SearchItemDocument(Document):
    """One page or document of a city, as the index stores it."""

    key = Keyword()
    object_type = Keyword()
    object_id = Integer()
    kind = Keyword()
    subkind = Keyword()
    title = Text(
        analyzer=text_analyzer,
        fields={"folded": Text(analyzer=folded_text_analyzer), "raw": Keyword()},
    )
    title_lemmas = Text(analyzer=terms_analyzer)
    title_folded = Text(analyzer=terms_analyzer)
    summary = Text(index=False)
    # Everything searchable in one field; offsets make highlighting long
    # document texts cheap (no re-analysis at query time).
    text = Text(
        analyzer=text_analyzer,
        index_options="offsets",
        fields={"folded": Text(analyzer=folded_text_analyzer, index_options="offsets")},
    )
    lemmas = Text(analyzer=terms_analyzer)
    folded = Text(analyzer=terms_analyzer)
    url = Keyword(index=False)
    full_url = Keyword(index=False)
    date = Date()
    year = Integer()
    programme_id = Integer()
    programme_title = Keyword()
    language = Keyword()
    file_type = Keyword()
    file_size = Long()
    city = Keyword()
    city_name = Keyword()


def prefix() -> str:
    return getattr(settings, "SEARCH_INDEX_PREFIX", "dialog").lower()


def alias_name(schema: str) -> str:
    return f"{prefix()}-{schema}".lower()


def new_index_name(schema: str) -> str:
    stamp = datetime.datetime.now(datetime.UTC).strftime("%Y%m%d%H%M%S%f")
    return f"{alias_name(schema)}-{stamp}"


def index_definition(name: str) -> Index:
    index = Index(name)
    index.settings(
        number_of_shards=1,
        number_of_replicas=getattr(settings, "SEARCH_NUMBER_OF_REPLICAS", 0),
        # Documents' extracted text can be long; highlighting uses offsets.
        highlight={"max_analyzed_offset": 1_000_000},
        max_result_window=10_000,
    )
    index.document(SearchItemDocument)
    return index
