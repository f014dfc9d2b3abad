"""programmes.api.scope: the site, its trees and the view restrictions are read
once per content version, and what they decide stays exactly Wagtail's."""

from __future__ import annotations

import pytest
from _api_content import build_content
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import PageViewRestriction, Site

HOST = "warszawa.localhost"


@pytest.fixture
def content(city):
    return build_content()


def get(client, url, **extra):
    return client.get(url, HTTP_HOST=HOST, **extra)


def _tables(queries):
    return " ".join(query["sql"] for query in queries.captured_queries)


@pytest.mark.django_db
def test_second_request_reads_no_site_and_no_restrictions(client, content):
    urls = (
        f"/api/v2/pages/{content.workshop.pk}/",
        "/api/v2/pages/?type=programmes.MeetingPage",
        f"/api/v1/meetings/{content.workshop.pk}/",
        "/api/v1/meetings/",
    )
    for url in urls:
        assert get(client, url).status_code == 200, url
    for url in urls:
        with CaptureQueriesContext(connection) as queries:
            assert get(client, url).status_code == 200
        sql = _tables(queries)
        assert '"wagtailcore_site"' not in sql, url
        assert '"wagtailcore_pageviewrestriction"' not in sql, url


@pytest.mark.django_db
def test_restrictions_still_decide_at_once(client, content):
    detail = f"/api/v2/pages/{content.workshop.pk}/"
    listing = "/api/v2/pages/?type=programmes.MeetingPage&fields=-translations&limit=50"

    def listed():
        return {item["id"] for item in get(client, listing).json()["items"]}

    # The password-protected meeting of the content is out; the workshop is in.
    assert get(client, f"/api/v2/pages/{content.private.pk}/").status_code == 404
    assert content.private.pk not in listed() and content.workshop.pk in listed()
    assert get(client, detail).status_code == 200

    restriction = PageViewRestriction.objects.create(
        page=content.workshop, restriction_type="login"
    )
    assert get(client, detail).status_code == 404
    assert content.workshop.pk not in listed()
    assert get(client, f"/api/v1/meetings/{content.workshop.pk}/").status_code == 404

    restriction.delete()
    assert get(client, detail).status_code == 200
    assert content.workshop.pk in listed()


@pytest.mark.django_db
def test_a_restricted_translation_is_not_listed(client, content):
    from wagtail.models import Locale

    english = Locale.objects.get_or_create(language_code="en")[0]
    translation = content.workshop.copy_for_translation(english, copy_parents=True)
    translation.save_revision().publish()
    detail = f"/api/v2/pages/{content.workshop.pk}/"

    def translation_ids():
        return [entry["id"] for entry in get(client, detail).json()["meta"]["translations"]]

    assert translation_ids() == [translation.pk]
    restriction = PageViewRestriction.objects.create(page=translation, restriction_type="login")
    assert translation_ids() == []
    restriction.delete()
    assert translation_ids() == [translation.pk]


@pytest.mark.django_db
def test_another_site_root_is_followed_at_once(client, content):
    # The city's site now starts at the programme: pages outside it leave the API.
    site = Site.objects.get(is_default_site=True)
    outside = content.other_meeting
    assert get(client, f"/api/v2/pages/{outside.pk}/").status_code == 200
    site.root_page = content.programme
    site.save()
    assert get(client, f"/api/v2/pages/{outside.pk}/").status_code == 404
    assert get(client, f"/api/v2/pages/{content.workshop.pk}/").status_code == 200
