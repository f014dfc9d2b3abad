"""Property-based test of the API against its own OpenAPI schema (schemathesis).

The schema is the document /api/v1/schema/ serves (checked below), and every
operation, called through the WSGI application, gets generated inputs (valid
and invalid: unknown enum values, malformed dates, huge numbers, odd strings)
on a city with demo-like content, and on the platform domain. Every response must be a
non-5xx, with a documented status code, content type and body shape.
Bounded and deterministic: 25 derandomized examples per operation.
"""

from __future__ import annotations

import json

import pytest
import schemathesis
from _api_content import build_content
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.urls import set_urlconf
from django.utils import translation
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]
EXAMPLES = settings(
    max_examples=25,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)


def _generated_schema(urlconf: str) -> dict:
    """The document /api/v1/schema/ serves for this URL conf (see SchemaView)."""
    from drf_spectacular.generators import SchemaGenerator

    with translation.override("en"):
        return SchemaGenerator(urlconf=urlconf).get_schema(request=None, public=True)


def _schema(urlconf: str):
    # Loaded when the module is collected (schemathesis' lazy fixture loader does
    # not run on pytest 9); a test below checks it equals the served document.
    schema = schemathesis.openapi.from_dict(_generated_schema(urlconf))
    schema.app = get_wsgi_application()
    return schema


city_api = _schema("cms.urls_tenants")
platform_api = _schema("cms.urls_public")


@pytest.fixture
def wsgi_inside_test_transaction():
    """Like Django's test client, keep close_old_connections from closing the
    connection that holds the test's transaction at request start and end."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)
        # The last WSGI response may not have been closed (which resets the
        # thread's URL conf): leave no platform URL conf to the next test.
        set_urlconf(None)


@pytest.fixture
def demo_content(city):
    build_content()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("host", "urlconf"),
    [("warszawa.localhost", "cms.urls_tenants"), ("localhost", "cms.urls_public")],
)
def test_the_served_schema_is_the_one_tested(client, cities, host, urlconf):
    served = client.get("/api/v1/schema/", {"format": "json"}, HTTP_HOST=host)
    assert served.status_code == 200
    assert json.loads(served.content) == json.loads(json.dumps(_generated_schema(urlconf)))


@city_api.parametrize()
@EXAMPLES
@pytest.mark.django_db
def test_city_api_conforms_to_its_schema(case, demo_content, wsgi_inside_test_transaction):
    case.call_and_validate(base_url="http://warszawa.localhost", checks=CHECKS)


@platform_api.parametrize()
@EXAMPLES
@pytest.mark.django_db
def test_platform_api_conforms_to_its_schema(case, cities, wsgi_inside_test_transaction):
    case.call_and_validate(base_url="http://localhost", checks=CHECKS)
