"""OpenAPI generation details (drf-spectacular) shared by every API view."""

from __future__ import annotations

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiResponse

from .errors import ErrorSerializer

ERROR_RESPONSES = {
    "400": "Invalid query parameters; details has the field errors.",
    "404": "Not found.",
    "429": "Too many requests from this address; details.retry_after in seconds.",
    "500": "Internal error (the same JSON shape).",
}


class ApiAutoSchema(AutoSchema):
    """Documents the one JSON error shape on every operation."""

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        if direction != "response":
            return responses
        for code, description in ERROR_RESPONSES.items():
            if code not in responses:
                responses[code] = self._get_response_for_code(
                    OpenApiResponse(ErrorSerializer, description=description), code
                )
        return responses
