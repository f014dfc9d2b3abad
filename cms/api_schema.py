"""drf-spectacular hooks: the OpenAPI schema documents our public API only."""


def only_public_api(endpoints):
    """Keep /api/v1/ endpoints; Wagtail's admin API and localize's views are internal."""
    return [endpoint for endpoint in endpoints if endpoint[0].startswith("/api/v1/")]
