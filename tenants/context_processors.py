def city(request):
    tenant = getattr(request, "tenant", None)
    if tenant is None or tenant.schema_name == "public":
        # The platform schema has no Wagtail tables: templates must not look up
        # a Wagtail Site there (unknown hosts and the platform site land here).
        return {"city": None, "platform_name": "Dialog"}
    return {"city": tenant}
