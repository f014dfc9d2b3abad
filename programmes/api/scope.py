"""What every API request re-reads, remembered per content version.

Which site a host is, that site's root page and its translations, and the
view restrictions: Wagtail looks them up with a query each on every API
request (the v2 detail read the restrictions twice). They only change when
pages, sites or restrictions do, and each of those changes the API content
version (programmes.api.caching), so they are kept under keys carrying the
version's token: a publication makes them unreachable at once, exactly like
the cached answers.

Kept in the per-process cache when the host names one
(``PROGRAMMES_API_LOCAL_CACHE``: no network round trip), else in the default
cache.
"""

from __future__ import annotations

from functools import reduce
from operator import or_

from django.conf import settings
from django.core.cache import cache, caches
from django.db.models import Q
from django.http.request import split_domain_port
from wagtail.api.validators import SiteFilterValidator
from wagtail.models import Page, PageViewRestriction, Site

from .caching import content_version

#: How long an entry may stay; its key changes with the content version anyway.
TIMEOUT = 300


def _store():
    alias = getattr(settings, "PROGRAMMES_API_LOCAL_CACHE", None)
    return caches[alias] if alias else cache


def _remembered(name: str, compute):
    key = f"programmes:api:scope:{content_version().token}:{name}"
    store = _store()
    entry = store.get(key)
    if entry is None:
        entry = (compute(),)  # a tuple, so that None can be remembered too
        store.set(key, entry, TIMEOUT)
    return entry[0]


def view_restrictions() -> list[PageViewRestriction]:
    """Every page view restriction, with its page."""
    return _remembered(
        "restrictions", lambda: list(PageViewRestriction.objects.select_related("page"))
    )


def private_q() -> Q:
    """Pages in a private section (as ``PageQuerySet.private_q``, without its query)."""
    q = Q()
    for restriction in view_restrictions():
        page = restriction.page
        q |= Q(path__startswith=page.path, depth__gte=page.depth)
    return q if q else Q(pk__in=[])


def public(queryset):
    """``queryset.public()`` without a query for the restrictions."""
    return queryset.exclude(private_q())


def site_for_request(request) -> Site | None:
    """``Site.find_for_request``, remembered per host and port (and on the request)."""
    if request is None:
        return None
    if not hasattr(request, "_wagtail_site"):
        hostname = split_domain_port(request._get_raw_host())[0]
        port = request.get_port()
        request._wagtail_site = _remembered(
            f"site:{hostname}:{port}", lambda: Site._find_for_request(request)
        )
    return request._wagtail_site


def site_trees(site: Site) -> list[Page]:
    """The site's root page and, with i18n, its translations: the roots of its trees."""

    def compute():
        root = Page.objects.get(pk=site.root_page_id)
        if not getattr(settings, "WAGTAIL_I18N_ENABLED", False):
            return [root]
        return [root, *root.get_translations()]

    return _remembered(f"trees:{site.pk}", compute)


def public_pages(request, model=Page):
    """``wagtail.api.querysets.get_public_pages_queryset``, its lookups remembered.

    Live pages of the request's site, or of ``?site=host[:port]`` (Wagtail's
    filter: 404 when no such site, ValueError when ambiguous or malformed),
    in all its language trees, without any
    private section. Wagtail asks each restriction whether *this* request may
    pass (a logged-in editor, a password entered in the session); answers of
    this API are cached and shared by URL, not per user, so private pages are
    left out for everyone, as the v1 API does (``.public()``).
    """
    queryset = public(model._default_manager.all().live())
    if request.GET.get("site"):
        site = SiteFilterValidator(site=request.GET["site"], request=request).site_obj
    else:
        site = site_for_request(request)
    if site is None:
        return queryset.none()
    trees = [Q(path__startswith=root.path, depth__gte=root.depth) for root in site_trees(site)]
    return queryset.filter(reduce(or_, trees))


__all__ = ["private_q", "public", "public_pages", "site_for_request", "site_trees"]
