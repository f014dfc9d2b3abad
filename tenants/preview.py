"""Headless preview glue: the city's frontend URL (City.frontend_url).

``settings.PROGRAMMES_PREVIEW_CLIENT_URL`` points here; the plugin's preview
(programmes/api/preview.py) calls it with the editor's request, whose tenant
is the city being edited.
"""


def client_url(request) -> str | None:
    city = getattr(request, "tenant", None)
    return getattr(city, "frontend_url", "") or None
