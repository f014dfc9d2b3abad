"""CORS allow-list per city: each City lists the origins of its frontends.

django-cors-headers asks the ``check_request_enabled`` signal whether a
request from another origin may read the response; we answer from the
requesting city's ``cors_origins`` (one origin per line, compared without a
trailing slash, case-insensitively) and only for the API and feeds
(CORS_URLS_REGEX). Nothing is open by default: the global allow-lists stay
empty. Connected in TenantsConfig.ready().
"""

from __future__ import annotations

import re

from corsheaders.signals import check_request_enabled
from django.conf import settings
from django.dispatch import receiver


@receiver(check_request_enabled, dispatch_uid="tenants-cors")
def city_allows_origin(sender, request, **kwargs) -> bool:
    origin = request.headers.get("Origin")
    city = getattr(request, "tenant", None)
    if not origin or city is None or not getattr(city, "cors_origins", ""):
        return False
    if not re.match(getattr(settings, "CORS_URLS_REGEX", r"^/(api|feeds)/"), request.path_info):
        return False
    allowed = {entry.lower() for entry in city.cors_origin_list}
    return origin.rstrip("/").lower() in allowed
