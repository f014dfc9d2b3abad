"""Signal receivers that queue search updates (connected in SearchConfig.ready).

Every receiver only computes keys and calls indexing.schedule(), which writes
rows in the current transaction and never raises. What a key means is decided
when it is applied, so the same "sync this key" serves every event.
"""

from __future__ import annotations

import logging

from django.apps import apps
from django.db.models.signals import post_delete, post_save
from wagtail.models import CollectionViewRestriction, Page, PageViewRestriction, get_page_models
from wagtail.signals import page_published, page_slug_changed, page_unpublished, post_page_move

from programmes.documents import ProgrammeDocument
from programmes.models import ProgrammePage
from programmes.signals import document_text_extracted
from programmes.snippets import Organisation, Person, Venue

from . import indexing
from .items import collection_document_keys, document_key, page_key

logger = logging.getLogger(__name__)


def _page_and_descendants(page) -> list[str]:
    keys = [page_key(page.pk)]
    descendants = page.get_descendants()
    if descendants.count() > indexing.MAX_DESCENDANTS:
        logger.warning(
            "search: %s has too many descendants to resync one by one; run search_reindex", page
        )
        return keys
    return keys + [page_key(pk) for pk in descendants.values_list("pk", flat=True)]


def _safely(handler):
    """Receivers must never break the editor's action."""

    def wrapper(*args, **kwargs):
        try:
            handler(*args, **kwargs)
        except Exception:  # noqa: BLE001
            logger.exception("search: signal handler %s failed", handler.__name__)

    wrapper.__name__ = handler.__name__
    return wrapper


@_safely
def on_page_published(sender, instance, **kwargs):
    keys = [page_key(instance.pk)]
    if isinstance(instance.specific_deferred, ProgrammePage):
        # Children and documents carry the programme's title.
        keys = _page_and_descendants(instance)
        keys += [
            document_key(pk)
            for pk in ProgrammeDocument.objects.filter(programme_id=instance.pk).values_list(
                "pk", flat=True
            )
        ]
    indexing.schedule(keys)


@_safely
def on_page_unpublished(sender, instance, **kwargs):
    # Unpublishing a page hides its descendants from the site too.
    indexing.schedule(_page_and_descendants(instance))


@_safely
def on_page_tree_changed(sender, instance, **kwargs):
    # A move or a new slug changes the URL of the page and everything below it.
    indexing.schedule(_page_and_descendants(instance))


@_safely
def on_page_deleted(sender, instance, **kwargs):
    indexing.schedule([page_key(instance.pk)])


@_safely
def on_page_privacy_changed(sender, instance, **kwargs):
    page = Page.objects.filter(pk=instance.page_id).first()
    if page is not None:
        indexing.schedule(_page_and_descendants(page))


@_safely
def on_collection_privacy_changed(sender, instance, **kwargs):
    collection = instance.collection
    indexing.schedule(collection_document_keys(collection))


@_safely
def on_document_changed(sender, instance, **kwargs):
    indexing.schedule([document_key(instance.pk)])


@_safely
def on_snippet_saved(sender, instance, **kwargs):
    """A renamed venue, person or organisation: resync the pages that show it."""
    indexing.schedule([page_key(pk) for pk in pages_referencing(instance)])


def pages_referencing(obj) -> set[int]:
    """Ids of pages linking to ``obj`` directly or through an orderable child."""
    page_ids: set[int] = set()
    for model in apps.get_app_config("programmes").get_models():
        for f in model._meta.get_fields():
            if not (f.many_to_one and f.concrete and f.related_model is type(obj)):
                continue
            rows = model._default_manager.filter(**{f.name: obj})
            if issubclass(model, Page):
                page_ids.update(rows.values_list("pk", flat=True))
            elif hasattr(model, "page_id") or any(
                getattr(g, "name", "") == "page" for g in model._meta.get_fields()
            ):
                page_ids.update(rows.values_list("page_id", flat=True))
    return page_ids


def connect() -> None:
    page_published.connect(on_page_published, dispatch_uid="search-page-published")
    page_unpublished.connect(on_page_unpublished, dispatch_uid="search-page-unpublished")
    post_page_move.connect(on_page_tree_changed, dispatch_uid="search-page-moved")
    page_slug_changed.connect(on_page_tree_changed, dispatch_uid="search-page-slug")
    for model in get_page_models():
        post_delete.connect(
            on_page_deleted, sender=model, dispatch_uid=f"search-page-deleted-{model.__name__}"
        )
    for signal in (post_save, post_delete):
        signal.connect(
            on_page_privacy_changed,
            sender=PageViewRestriction,
            dispatch_uid=f"search-page-privacy-{id(signal)}",
        )
        signal.connect(
            on_collection_privacy_changed,
            sender=CollectionViewRestriction,
            dispatch_uid=f"search-collection-privacy-{id(signal)}",
        )
        signal.connect(
            on_document_changed,
            sender=ProgrammeDocument,
            dispatch_uid=f"search-document-{id(signal)}",
        )
    document_text_extracted.connect(
        on_document_changed, sender=ProgrammeDocument, dispatch_uid="search-document-text"
    )
    for snippet in (Venue, Person, Organisation):
        post_save.connect(
            on_snippet_saved, sender=snippet, dispatch_uid=f"search-snippet-{snippet.__name__}"
        )
