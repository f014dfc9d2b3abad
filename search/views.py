"""The HTML search page: /search/ on a city's domain, cross-city on the platform domain.

Results are in the page's language unless the resident asks for another or
for all (``language=all``, offered as a link on every result page): on a
city's domain /search/ is Polish and /en/search/ English (cms/urls_tenants.py
mounts it inside i18n_patterns).
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.shortcuts import render
from django.utils.translation import get_language, get_supported_language_variant
from django.utils.translation import gettext_lazy as _

from .es import SearchUnavailable
from .forms import SearchForm
from .query import ALL_LANGUAGES, SearchError, language_filter, language_label, search

FILTERS = ("kind", "year", "programme", "language", "city")


FACET_TITLES = {
    "kind": _("Type"),
    "year": _("Year"),
    "programme": _("Programme"),
    "language": _("Language"),
    "city": _("City"),
}


def _link(params: dict, **changes) -> str:
    """Query string of the current search with some parameters changed (page reset)."""
    merged = {k: v for k, v in params.items() if k != "page"}
    merged.update(changes)
    return "?" + urlencode({k: v for k, v in merged.items() if v not in (None, "")})


def page_language() -> str | None:
    """The language of the page being shown (the active one), as a LANGUAGES code."""
    try:
        return get_supported_language_variant(get_language())
    except (LookupError, TypeError):
        return None


def search_page(request):
    form = SearchForm(request.GET or None)
    context = {"form": form, "results": None, "unavailable": False}
    status = 200
    if form.is_bound and form.is_valid() and form.cleaned_data["q"].strip():
        data = form.cleaned_data
        params = {k: data[k] for k in ("q", *FILTERS) if data.get(k) not in (None, "")}
        language = language_filter(data["language"] or None, page_language())
        try:
            results = search(
                data["q"],
                kind=data["kind"] or None,
                year=data["year"],
                programme=data["programme"],
                language=language,
                page=data["page"],
                per_page=data["per_page"],
                cities=[data["city"]] if data.get("city") else None,
                ui_language=get_language(),
            )
        except SearchUnavailable:
            context["unavailable"] = True
            status = 503
        except SearchError as error:
            form.add_error(None, str(error))
            status = 400
        else:
            context["results"] = results
            context["language"] = language
            if language:
                # Filtered by language (the page's or a chosen one): one
                # link away from every language.
                context["language_name"] = language_label(language)
                context["all_languages_url"] = _link(params, language=ALL_LANGUAGES)
            elif params.get("language") == ALL_LANGUAGES and page_language():
                context["page_language_name"] = language_label(page_language())
                context["page_language_url"] = _link(params, language=None)
            context["first"] = (results.page - 1) * results.per_page + 1
            context["last"] = context["first"] + len(results.results) - 1
            context["facets"] = [
                {
                    "name": name,
                    "title": FACET_TITLES[name],
                    "active": params.get(name),
                    # Without a language parameter the page's language applies:
                    # removing the language filter means asking for all.
                    "clear_url": _link(
                        params, **{name: ALL_LANGUAGES if name == "language" else None}
                    ),
                    "values": [
                        {
                            **entry,
                            "url": _link(params, **{name: entry["value"]}),
                            "selected": str(
                                language if name == "language" else params.get(name, "")
                            )
                            == str(entry["value"]),
                        }
                        for entry in results.facets.get(name, [])
                    ],
                }
                for name in FILTERS
                if results.facets.get(name)
            ]
            if results.page > 1:
                context["previous_url"] = _link(params, page=results.page - 1)
            if results.page < results.pages:
                context["next_url"] = _link(params, page=results.page + 1)
            if results.did_you_mean:
                context["suggestion_url"] = _link(params, q=results.did_you_mean)
    elif form.is_bound and not form.is_valid():
        status = 400
    return render(request, "search/search.html", context, status=status)
