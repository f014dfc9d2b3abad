"""The HTML search page: /search/ on a city's domain, cross-city on the platform domain."""

from __future__ import annotations

from urllib.parse import urlencode

from django.shortcuts import render
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from .es import SearchUnavailable
from .forms import SearchForm
from .query import SearchError, search

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


def search_page(request):
    form = SearchForm(request.GET or None)
    context = {"form": form, "results": None, "unavailable": False}
    status = 200
    if form.is_bound and form.is_valid() and form.cleaned_data["q"].strip():
        data = form.cleaned_data
        params = {k: data[k] for k in ("q", *FILTERS) if data.get(k) not in (None, "")}
        try:
            results = search(
                data["q"],
                kind=data["kind"] or None,
                year=data["year"],
                programme=data["programme"],
                language=data["language"] or None,
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
            context["first"] = (results.page - 1) * results.per_page + 1
            context["last"] = context["first"] + len(results.results) - 1
            context["facets"] = [
                {
                    "name": name,
                    "title": FACET_TITLES[name],
                    "active": params.get(name),
                    "clear_url": _link(params, **{name: None}),
                    "values": [
                        {
                            **entry,
                            "url": _link(params, **{name: entry["value"]}),
                            "selected": str(params.get(name, "")) == str(entry["value"]),
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
