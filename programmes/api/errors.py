"""One JSON error shape for every response under /api/:

    {"error": {"code": "not_found", "message": "Not found.", "details": null}}

``code`` is a stable machine-readable string (DRF's error codes: ``invalid``,
``not_found``, ``method_not_allowed``, ``throttled``, ``permission_denied``,
``not_authenticated``, ``not_acceptable``, ``server_error``); ``message`` is a
human sentence (translated); ``details`` is null or an object, e.g. the
field errors of a 400 (``{"from": ["Enter a valid date."]}``) or
``{"retry_after": 12}`` on a 429.
"""

from __future__ import annotations

import logging

from django.core.exceptions import PermissionDenied
from django.http import Http404, JsonResponse
from django.utils.translation import gettext as _
from rest_framework import exceptions, serializers
from rest_framework.response import Response
from rest_framework.views import set_rollback

logger = logging.getLogger("programmes.api")


def error_payload(code: str, message: str, details=None) -> dict:
    return {"error": {"code": code, "message": str(message), "details": details}}


class BadRequest(exceptions.APIException):
    """A 400 for bad query parameters that are not a serializer's field errors."""

    status_code = 400
    default_detail = "Invalid request."
    default_code = "invalid"


def _describe(exc: exceptions.APIException) -> tuple[str, str, dict | None]:
    if isinstance(exc, exceptions.ValidationError):
        details = exc.detail if isinstance(exc.detail, dict) else {"non_field_errors": exc.detail}
        return "invalid", _("Invalid input."), _plain(details)
    if isinstance(exc, exceptions.Throttled):
        return "throttled", exc.detail, {"retry_after": exc.wait and int(exc.wait + 0.999)}
    codes = exc.get_codes()
    code = codes if isinstance(codes, str) else exc.default_code
    return code, exc.detail, None


def _plain(value):
    """ErrorDetail strings and nested containers as plain JSON values."""
    if isinstance(value, dict):
        return {str(key): _plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    return str(value)


def exception_handler(exc, context):
    """DRF EXCEPTION_HANDLER: every error of an API view in the one shape.

    Unexpected exceptions are logged and answered with a JSON 500, so a client
    never gets an HTML error page from the API.
    """
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()

    if isinstance(exc, exceptions.APIException):
        headers = {}
        if getattr(exc, "auth_header", None):
            headers["WWW-Authenticate"] = exc.auth_header
        if getattr(exc, "wait", None):
            headers["Retry-After"] = str(int(exc.wait + 0.999))
        code, message, details = _describe(exc)
        set_rollback()
        response = Response(
            error_payload(code, message, details), status=exc.status_code, headers=headers
        )
        if exc.status_code == 429:
            response["Cache-Control"] = "no-store"
        return response

    request = context.get("request")
    logger.error(
        "Unhandled error in API view %s",
        getattr(request, "path", "?"),
        exc_info=(type(exc), exc, exc.__traceback__),
    )
    set_rollback()
    return Response(error_payload("server_error", _("Internal server error.")), status=500)


def throttled_response(wait) -> JsonResponse:
    """The 429 of a request refused before reaching a view (the API middleware)."""
    exc = exceptions.Throttled(wait)
    _code, message, details = _describe(exc)
    response = JsonResponse(error_payload("throttled", message, details), status=429)
    if wait:
        response["Retry-After"] = str(int(wait + 0.999))
    response["Cache-Control"] = "no-store"
    return response


def not_found(request, *args, **kwargs):
    """Unknown routes under /api/: a JSON 404 instead of the site's HTML page."""
    return JsonResponse(error_payload("not_found", _("Not found.")), status=404)


# --- OpenAPI ---------------------------------------------------------------


class ErrorBodySerializer(serializers.Serializer):
    code = serializers.CharField(help_text="Machine-readable error code, e.g. not_found.")
    message = serializers.CharField(help_text="Human-readable message.")
    details = serializers.JSONField(
        allow_null=True, help_text="Field errors (400), retry_after (429) or null."
    )


class ErrorSerializer(serializers.Serializer):
    """The error envelope, referenced by every operation's 4xx/5xx responses."""

    error = ErrorBodySerializer()


class RejectNulBytesMiddleware:
    """A NUL byte in a query parameter is a 400 under /api/ and /feeds/.

    PostgreSQL text cannot hold NUL, so such a value reaching any filter would
    be a database error (a 500) wherever it is used; refusing it here covers
    every endpoint, ours and Wagtail's.
    """

    prefixes = ("/api/", "/feeds/")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info.startswith(self.prefixes) and any(
            "\x00" in key or any("\x00" in value for value in values)
            for key, values in request.GET.lists()
        ):
            return JsonResponse(
                error_payload("invalid", _("Query parameters cannot contain NUL characters.")),
                status=400,
            )
        return self.get_response(request)
