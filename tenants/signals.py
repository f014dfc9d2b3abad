"""Signals other apps listen to, so that tenants/ needs no imports of them."""

from django.dispatch import Signal

# Sent after a city's schema and rows are gone; kwargs: schema_name.
city_deleted = Signal()
