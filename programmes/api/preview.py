"""Headless preview: editors preview drafts in the site's external frontend.

Built on wagtail-headless-preview's primitives (its ``PagePreview`` table, its
token signer salt, its ``preview_update`` signal and preview template) with
two differences that the library cannot do by configuration:

- the frontend URL is resolved *per request* (per city), by the callable named
  in ``settings.PROGRAMMES_PREVIEW_CLIENT_URL`` (the multi-city project uses
  ``tenants.preview.client_url``: the City's ``frontend_url``), falling back
  to the library's ``WAGTAIL_HEADLESS_PREVIEW["CLIENT_URLS"]``; with neither,
  the preview opens the JSON of the draft from the API itself;
- it adds a "Frontend" preview mode next to the HTML preview instead of
  replacing it, so a city without an external frontend loses nothing.

The frontend receives ``?content_type=app.model&token=…`` and fetches the
draft from ``/api/v1/preview/`` with those two parameters. Tokens are signed,
expire after ``PROGRAMMES_PREVIEW_TOKEN_MAX_AGE`` seconds (1 hour) and only
resolve in the site (city schema) where they were created.

Importing the library lazily keeps this module importable from models.py in a
project that does not install wagtail_headless_preview.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.core.signing import BadSignature, TimestampSigner
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _

HEADLESS_MODE = "headless"
SIGNER_SALT = "headlesspreview.token"  # the library's salt: its tokens stay compatible


def token_max_age() -> int:
    return getattr(settings, "PROGRAMMES_PREVIEW_TOKEN_MAX_AGE", 3600)


def signer() -> TimestampSigner:
    return TimestampSigner(salt=SIGNER_SALT)


def content_type_string(model) -> str:
    return f"{model._meta.app_label}.{model.__name__.lower()}"


def client_root_url(request) -> str | None:
    """The frontend's preview URL for this request's site, or None."""
    dotted = getattr(settings, "PROGRAMMES_PREVIEW_CLIENT_URL", None)
    url = import_string(dotted)(request) if dotted else None
    if not url:
        from wagtail.models import Site

        configured = getattr(settings, "WAGTAIL_HEADLESS_PREVIEW", {}).get("CLIENT_URLS", {})
        site = Site.find_for_request(request)
        url = configured.get(site.hostname if site else "") or configured.get("default")
        if url and site:
            url = url.format(SITE_ROOT_URL=site.root_url)
    return url.rstrip("/") + "/" if url else None


class HeadlessPreviewMixin:
    """Page mixin: a "Frontend" preview mode that hands a draft to the frontend."""

    @property
    def preview_modes(self):
        return [*super().preview_modes, (HEADLESS_MODE, _("Frontend"))]

    def serve_preview(self, request, mode_name):
        if mode_name != HEADLESS_MODE:
            return super().serve_preview(request, mode_name)
        from wagtail_headless_preview.models import PagePreview
        from wagtail_headless_preview.signals import preview_update

        PagePreview.garbage_collect()
        preview = self.create_page_preview()
        preview_update.send(sender=type(self), token=preview.token)
        query = urlencode({"content_type": content_type_string(type(self)), "token": preview.token})
        root = client_root_url(request)
        if root:
            preview_url = f"{root}?{query}"
        else:
            preview_url = request.build_absolute_uri(
                reverse("programmes_api:preview") + "?" + query
            )
        response = render(
            request, "wagtail_headless_preview/preview.html", {"preview_url": preview_url}
        )
        # The preview frames the frontend: let a Content-Security-Policy
        # (django-csp reads this attribute; harmless without it) allow its origin.
        parts = urlsplit(preview_url)
        response._csp_update = {"frame-src": f"{parts.scheme}://{parts.netloc}"}
        return response

    def create_page_preview(self):
        from wagtail_headless_preview.models import PagePreview

        if self.pk is None:
            identifier = f"parent_id={self.get_parent().pk};page_type={self._meta.label}"
        else:
            identifier = f"id={self.pk}"
        token = signer().sign(identifier)
        preview, _created = PagePreview.objects.update_or_create(
            token=token,
            defaults={"content_type": self.content_type, "content_json": self.to_json()},
        )
        return preview


def page_from_token(content_type: str, token: str):
    """The draft behind a token, or raise LookupError / PermissionError."""
    from django.apps import apps
    from django.contrib.contenttypes.models import ContentType
    from wagtail.models import Page
    from wagtail_headless_preview.models import PagePreview

    try:
        signer().unsign(token, max_age=token_max_age())
    except BadSignature as error:  # includes SignatureExpired
        raise PermissionError("invalid or expired token") from error
    app_label, _dot, model_name = content_type.partition(".")
    try:
        model = apps.get_model(app_label, model_name)
    except (LookupError, ValueError) as error:
        raise LookupError("unknown content type") from error
    if not issubclass(model, Page):
        raise LookupError("not a page type")
    preview = PagePreview.objects.filter(
        content_type=ContentType.objects.get_for_model(model), token=token
    ).first()
    if preview is None:
        raise LookupError("no preview for this token")
    return preview.as_page()
