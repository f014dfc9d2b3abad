"""HTTP caching of the API and feeds: ETag, Last-Modified, Cache-Control, 304.

Validators come from one *content version* per site (per city: the default
cache's keys are per schema in a multi-city project), not from the response
body, so a revalidation (If-None-Match / If-Modified-Since) is answered with a
304 by the middleware before any view, serializer or page query runs: one
cache read and a hash.

The content version is
- bumped by signals whenever published content may have changed (page
  publish/unpublish/move/delete, documents, images, snippets, sites);
- otherwise derived from the database (a cheap fingerprint of page and
  document tables and of Wagtail's audit log) and kept in the cache for
  PROGRAMMES_API_VERSION_TTL seconds. Every process derives the same value,
  so ETags agree across workers; with a per-process cache (locmem) a change
  made by another process is seen after at most the TTL. Use a shared cache
  in production for immediate invalidation.

With a shared cache every request would read the version over the network
(a Redis round trip costs about what a PostgreSQL query does). A host can
name a per-process cache (``PROGRAMMES_API_LOCAL_CACHE``, an alias of
CACHES) that keeps the version for ``PROGRAMMES_API_VERSION_LOCAL_TTL``
seconds (default 1): another worker sees a publication within that second;
the worker that published sees it at once.

The middleware also sets ``Cache-Control: public, max-age=…,
stale-while-revalidate=…`` on successful GETs unless the view set its own
Cache-Control (the draft preview sends ``private, no-store``).
"""

from __future__ import annotations

import datetime
import hashlib
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache, caches
from django.db import transaction
from django.db.models import Count, Max, Q
from django.db.models.signals import post_delete, post_save
from django.http import HttpResponse, HttpResponseNotModified
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.http import http_date, parse_http_date_safe, quote_etag
from django.utils.module_loading import import_string

from .hooks import places_fingerprint

VERSION_KEY = "programmes:api:content-version"
#: Bump when the representation changes without a content change (a deploy
#: with new serializers), so old ETags stop matching.
REPRESENTATION_VERSION = "4"  # 2: translations; 3: places per session; 4: also in v2


def _setting(name, default):
    return getattr(settings, name, default)


def version_ttl() -> int:
    return _setting("PROGRAMMES_API_VERSION_TTL", 30)


def cached_prefixes() -> tuple[str, ...]:
    return tuple(_setting("PROGRAMMES_API_CACHE_PREFIXES", ("/api/", "/feeds/")))


def uncached_prefixes() -> tuple[str, ...]:
    # Drafts are private; search results change when the index catches up,
    # not when content is published, so the content version cannot validate them.
    return tuple(_setting("PROGRAMMES_API_CACHE_EXCLUDE", ("/api/v1/preview/", "/api/v1/search/")))


def cache_control() -> str:
    max_age = _setting("PROGRAMMES_API_MAX_AGE", 60)
    swr = _setting("PROGRAMMES_API_STALE_WHILE_REVALIDATE", 300)
    return f"public, max-age={max_age}, stale-while-revalidate={swr}"


@dataclass(frozen=True)
class ContentVersion:
    token: str
    last_modified: datetime.datetime


def _fingerprint() -> ContentVersion:
    # A host project may derive it differently where the site is not a Wagtail
    # site (the multi-city platform domain lists cities, not pages).
    dotted = _setting("PROGRAMMES_API_CONTENT_FINGERPRINT", None)
    return import_string(dotted)() if dotted else wagtail_fingerprint()


def fingerprint_token(parts) -> str:
    return hashlib.blake2b(repr(parts).encode(), digest_size=8).hexdigest()


def wagtail_fingerprint() -> ContentVersion:
    """Derive the version from the database: equal in every process."""
    from wagtail.documents import get_document_model
    from wagtail.images import get_image_model
    from wagtail.models import (
        CollectionViewRestriction,
        ModelLogEntry,
        Page,
        PageLogEntry,
        PageViewRestriction,
        Site,
    )

    live = Q(live=True)
    # Every page, not only live ones: a new page (even a draft translation of a
    # site's root) gets a new pk, so the fingerprint never returns to a value
    # it had before pages were added.
    pages = Page.objects.aggregate(
        n=Count("pk", filter=live),
        all=Count("pk"),
        last=Max("pk"),
        published=Max("last_published_at", filter=live),
        latest=Max("latest_revision_created_at", filter=live),
    )
    documents = get_document_model().objects.aggregate(n=Count("pk"), last=Max("pk"))
    images = get_image_model().objects.aggregate(n=Count("pk"), last=Max("pk"))
    page_log = PageLogEntry.objects.aggregate(last=Max("pk"), at=Max("timestamp"))
    model_log = ModelLogEntry.objects.aggregate(last=Max("pk"), at=Max("timestamp"))
    # What decides which pages are public and under which site
    # (programmes.api.scope keeps them per version).
    restrictions = [
        model.objects.aggregate(n=Count("pk"), last=Max("pk"))
        for model in (PageViewRestriction, CollectionViewRestriction)
    ]
    sites = list(
        Site.objects.order_by("pk").values_list(
            "pk", "hostname", "port", "root_page_id", "is_default_site"
        )
    )
    # Remaining places change with registrations, not with publishing.
    places, places_at = places_fingerprint()
    parts = [pages, documents, images, page_log, model_log, restrictions, sites, places]
    token = fingerprint_token(parts)
    moments = [
        moment
        for moment in (
            pages["published"],
            pages["latest"],
            page_log["at"],
            model_log["at"],
            places_at,
        )
        if moment is not None
    ]
    last_modified = max(moments) if moments else timezone.now()
    return ContentVersion(token, last_modified.replace(microsecond=0))


def _local_cache():
    alias = _setting("PROGRAMMES_API_LOCAL_CACHE", None)
    return caches[alias] if alias else None


def local_version_ttl() -> float:
    return _setting("PROGRAMMES_API_VERSION_LOCAL_TTL", 1)


def content_version() -> ContentVersion:
    local = _local_cache()
    if local is not None:
        version = local.get(VERSION_KEY)
        if version is not None:
            return version
    version = cache.get(VERSION_KEY)
    if version is None:
        version = _fingerprint()
        cache.set(VERSION_KEY, version, version_ttl())
    if local is not None:
        local.set(VERSION_KEY, version, local_version_ttl())
    return version


def bump_content_version() -> None:
    """Mark published content as changed now (this site / city)."""
    now = timezone.now().replace(microsecond=0)
    token = hashlib.blake2b(
        f"{now.timestamp()}:{timezone.now().timestamp()}".encode(), digest_size=8
    ).hexdigest()
    version = ContentVersion(token, now)
    cache.set(VERSION_KEY, version, version_ttl())
    local = _local_cache()
    if local is not None:
        local.set(VERSION_KEY, version, local_version_ttl())


# --- Signals ---------------------------------------------------------------


def _content_changed(**kwargs):
    bump_content_version()
    # Again after commit: a request that read the first bump before the
    # transaction committed may have stored a validator for the old content.
    transaction.on_commit(bump_content_version)


def content_changed() -> None:
    """What the API shows changed without a signal this module listens to
    (e.g. ``bulk_create`` of registrations)."""
    _content_changed()


def _is_content(instance) -> bool:
    from wagtail.documents.models import AbstractDocument
    from wagtail.images.models import AbstractImage, AbstractRendition
    from wagtail.models import BaseViewRestriction, Page, Site

    if isinstance(instance, AbstractRendition):
        # Renditions are created while serving the API itself.
        return False
    # View restrictions (of pages and collections) decide what is public.
    if isinstance(instance, Page | AbstractDocument | AbstractImage | Site | BaseViewRestriction):
        return True
    # Snippets and orderables of the plugin (people, venues, sessions...), and
    # registrations: they change the remaining places the API shows.
    return instance._meta.app_label in ("programmes", "programmes_registration")


def _model_saved_or_deleted(sender, instance, **kwargs):
    if kwargs.get("raw"):
        return
    if _is_content(instance):
        _content_changed()


def connect_signals() -> None:
    from wagtail.signals import page_published, page_unpublished, post_page_move

    for signal in (page_published, page_unpublished, post_page_move):
        signal.connect(_content_changed, dispatch_uid=f"programmes-api-{id(signal)}")
    post_save.connect(_model_saved_or_deleted, dispatch_uid="programmes-api-save")
    post_delete.connect(_model_saved_or_deleted, dispatch_uid="programmes-api-delete")


# --- Middleware ------------------------------------------------------------


def _etag_for(request, version: ContentVersion) -> str:
    key = "\n".join(
        (
            REPRESENTATION_VERSION,
            version.token,
            request.get_host(),
            request.get_full_path(),
            request.headers.get("Accept-Language", ""),
        )
    )
    return quote_etag(hashlib.blake2b(key.encode(), digest_size=12).hexdigest())


def _etag_matches(header: str, etag: str) -> bool:
    # Weak comparison (RFC 9110 13.1.2): W/"x" matches "x".
    candidates = {part.strip().removeprefix("W/") for part in header.split(",")}
    return etag in candidates


def response_cache_seconds() -> int:
    return _setting("PROGRAMMES_API_RESPONSE_CACHE", 0)


#: Responses larger than this are not kept in the response cache.
RESPONSE_CACHE_MAX_BYTES = 512 * 1024


class ApiCacheMiddleware:
    """Conditional GET for the API and feeds, validated by the content version.

    Place it after the tenant middleware (the cache must be the city's) and
    CORS (a 304 still carries CORS headers) and before sessions and auth,
    which a revalidation never needs.

    Optionally (``PROGRAMMES_API_RESPONSE_CACHE`` seconds, 0 = off) it keeps
    successful answers in the cache under the same key as their ETag: a
    publication changes the key, so the cache is never stale for content;
    time-dependent fields (``upcoming``, ``is_open``) may lag by at most that
    many seconds, like any client honouring ``max-age``.

    Requests under /api/ it answers itself (304s, cached answers) are counted
    by the per-IP throttle here, so neither path escapes the limit.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        path = request.path_info
        if (
            request.method not in ("GET", "HEAD")
            or not path.startswith(cached_prefixes())
            or path.startswith(uncached_prefixes())
        ):
            return self.get_response(request)

        if path.startswith("/api/"):
            refused = self._throttle(request)
            if refused is not None:
                return refused

        version = content_version()
        etag = _etag_for(request, version)
        if self._not_modified(request, etag, version):
            response = HttpResponseNotModified()
            self._set_validators(response, etag, version)
            return response

        seconds = response_cache_seconds()
        key = f"programmes:api:response:{etag}" if seconds else None
        if key:
            cached = cache.get(key)
            if cached is not None:
                content, content_type = cached
                response = HttpResponse(content, content_type=content_type)
                self._set_validators(response, etag, version)
                return response

        response = self.get_response(request)
        if response.status_code == 200 and not response.has_header("Cache-Control"):
            self._set_validators(response, etag, version)
            if (
                key
                and not response.streaming
                and not response.cookies
                and len(response.content) <= RESPONSE_CACHE_MAX_BYTES
            ):
                cache.set(key, (response.content, response["Content-Type"]), seconds)
        return response

    @staticmethod
    def _throttle(request):
        from .errors import throttled_response
        from .throttling import ApiRateThrottle

        throttle = ApiRateThrottle()
        if throttle.allow_request(request, None):
            request._programmes_throttle_counted = True
            return None
        return throttled_response(throttle.wait())

    @staticmethod
    def _not_modified(request, etag, version) -> bool:
        if_none_match = request.headers.get("If-None-Match")
        if if_none_match is not None:
            return _etag_matches(if_none_match, etag)
        since = parse_http_date_safe(request.headers.get("If-Modified-Since") or "")
        return since is not None and int(version.last_modified.timestamp()) <= since

    @staticmethod
    def _set_validators(response, etag, version) -> None:
        response["ETag"] = etag
        response["Last-Modified"] = http_date(version.last_modified.timestamp())
        response["Cache-Control"] = cache_control()
        patch_vary_headers(response, ("Accept-Language",))
