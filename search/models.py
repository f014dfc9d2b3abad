"""Per-city search tables (search is a tenant app: every city has its own).

* ``PendingUpdate`` is the outbox of indexing: a signal handler writes a row
  in the editor's own transaction, so a published page is never forgotten,
  whatever happens to the task queue or to Elasticsearch afterwards. The
  worker deletes rows once the backend has applied them.
* ``SearchEntry`` and ``SearchTerm`` are the PostgreSQL backend's index: the
  same normalised fields Elasticsearch gets, a weighted tsvector ('simple'
  configuration over lemmas and folded words) and a vocabulary with trigram
  similarity for typos and "did you mean".
"""

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.utils.translation import gettext_lazy as _


class PendingUpdate(models.Model):
    """An object whose search entry must be brought in line with the database."""

    key = models.CharField(_("key"), max_length=64, help_text=_("page:<id> or document:<id>"))
    created = models.DateTimeField(_("created"), auto_now_add=True)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    last_error = models.CharField(_("last error"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("pending search update")
        verbose_name_plural = _("pending search updates")
        ordering = ["id"]
        indexes = [models.Index(fields=["key"])]

    def __str__(self):
        return self.key


class SearchEntry(models.Model):
    """One searchable page or document (PostgreSQL backend)."""

    key = models.CharField(max_length=64, unique=True)
    object_type = models.CharField(max_length=20)
    object_id = models.PositiveIntegerField()
    kind = models.CharField(max_length=30, db_index=True)
    subkind = models.CharField(max_length=30, blank=True)
    title = models.TextField()
    summary = models.TextField(blank=True)
    body = models.TextField(blank=True)
    url = models.TextField(blank=True)
    full_url = models.TextField(blank=True)
    date = models.DateField(null=True, blank=True)
    year = models.PositiveSmallIntegerField(null=True, blank=True, db_index=True)
    programme_id = models.PositiveIntegerField(null=True, blank=True, db_index=True)
    programme_title = models.TextField(blank=True)
    language = models.CharField(max_length=5, db_index=True)
    file_type = models.CharField(max_length=10, blank=True)
    file_size = models.PositiveBigIntegerField(null=True, blank=True)
    # fold(title): a query found as a phrase in the title ranks first.
    title_folded = models.TextField(blank=True)
    # setweight(title lemmas + folded title, 'A') || setweight(body's, 'D'),
    # computed in SQL from search/analysis.py's output (backends/postgres.py).
    vector = SearchVectorField(null=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("search entry")
        verbose_name_plural = _("search entries")
        indexes = [GinIndex(fields=["vector"], name="search_entry_vector_gin")]

    def __str__(self):
        return self.key


class SearchTerm(models.Model):
    """A word seen in indexed text: typo tolerance and "did you mean" suggestions.

    Words are only added (a word of a deleted page lingers); a suggestion is
    only offered after checking that it finds something.
    """

    folded = models.CharField(max_length=64, unique=True)
    word = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("search term")
        verbose_name_plural = _("search terms")
        indexes = [
            GinIndex(fields=["folded"], name="search_term_folded_trgm", opclasses=["gin_trgm_ops"])
        ]

    def __str__(self):
        return self.word
