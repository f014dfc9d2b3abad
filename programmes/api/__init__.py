"""The plugin's headless API: Wagtail API v2 endpoints and the domain API (DRF).

Modules:
- ``fields``: serializers of snippets, documents and images, shared by v1 and
  v2 (expanded objects instead of bare ids); importable from models.py.
- ``v2``: Wagtail API v2 endpoint classes (pages, images, documents).
- ``serializers``, ``filters``, ``views``: the domain API under /api/v1/.
- ``errors``: the one JSON error shape of every API response.
- ``caching``: per-site content version, ETag/Last-Modified, Cache-Control.
- ``throttling``: per-IP rate limits with rates read from settings.
- ``preview``: headless preview of drafts by token.
- ``hooks``: extension points (remaining places of a meeting).
- ``urls``: URL patterns a host project mounts under /api/.

This package knows nothing about tenants: everything per city comes through
the request's Site and the (per-city) default cache.
"""
