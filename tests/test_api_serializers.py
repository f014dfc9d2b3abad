"""The serializers' fast ``represent()`` gives exactly what their declared fields give.

The declared fields are what the OpenAPI schema documents; ``represent()`` is
what the API sends. DRF's generic per-field path (``Serializer.to_representation``)
is run on the same objects and must agree, key for key and value for value.
"""

from __future__ import annotations

import json

import pytest
from _api_content import build_content
from django.db.models import Prefetch
from django.test import RequestFactory
from django.urls import set_urlconf
from django.utils import timezone
from rest_framework import serializers as drf

from programmes import factories as f
from programmes.api import fields
from programmes.api import serializers as api
from programmes.api.views import programme_refs
from programmes.models import MeetingPage, MeetingPageSession, NewsPage, ProgrammePage


@pytest.fixture
def content(city):
    return build_content()


def _context():
    set_urlconf(None)  # the city URL conf, whatever the previous test served
    request = RequestFactory().get("/api/v1/", HTTP_HOST="warszawa.localhost")
    return {"request": request, "now": timezone.now(), "locale_code": None}


def generic(serializer_class, instance, context):
    """DRF's own field-by-field representation, bypassing represent()."""
    serializer = serializer_class(instance, context=dict(context))
    data = drf.Serializer.to_representation(serializer, instance)
    return json.loads(json.dumps(data, default=str))


def fast(serializer_class, instance, context):
    return json.loads(json.dumps(serializer_class(instance, context=dict(context)).data))


def assert_same(serializer_class, instance, context):
    expected = generic(serializer_class, instance, context)
    actual = fast(serializer_class, instance, context)
    assert set(actual) == set(serializer_class().fields), serializer_class
    assert actual == expected, serializer_class


@pytest.mark.django_db
def test_object_serializers_agree(content):
    context = _context()
    assert_same(fields.VenueSerializer, content.venue, context)
    assert_same(fields.OrganisationSerializer, content.office, context)
    assert_same(fields.PersonSerializer, content.coordinator, context)
    assert_same(fields.ImageSerializer, content.photo, context)
    for document in (content.report, content.minutes, content.english):
        assert_same(fields.DocumentSerializer, document, context)


@pytest.mark.django_db
def test_page_serializers_agree(content):
    context = _context()
    meetings = list(
        MeetingPage.objects.live()
        .prefetch_related(
            Prefetch("sessions", queryset=MeetingPageSession.objects.select_related("venue"))
        )
        .order_by("pk")
    )
    context["programmes"] = programme_refs(meetings)
    context["places"] = {meetings[0].pk: 3}
    for meeting in meetings:
        assert_same(api.MeetingListSerializer, meeting, context)
        assert_same(api.MeetingDetailSerializer, meeting.specific, context)
    programme = ProgrammePage.objects.get(pk=content.programme.pk)
    assert_same(api.ProgrammeListSerializer, programme, context)
    assert_same(api.ProgrammeDetailSerializer, programme, context)
    news = NewsPage.objects.get(pk=content.news_new.pk)
    context["programmes"] = programme_refs([news])
    assert_same(api.NewsListSerializer, news, context)
    assert_same(api.NewsDetailSerializer, news, context)


@pytest.mark.django_db
def test_page_urls_are_wagtails(content):
    from programmes.api.serializers import page_url

    unicode_page = f.NewsPageFactory(parent=content.programme, title="Zażółć", slug="zażółć-gęślą")
    context = _context()
    for page in [*MeetingPage.objects.live(), content.home, content.programme, unicode_page]:
        assert page_url(context, page) == page.get_full_url(context["request"]), page


@pytest.mark.django_db
def test_bulk_loaded_sessions_give_the_same_listing(content):
    from programmes.api.views import attach_sessions

    context = _context()
    meetings = list(MeetingPage.objects.live().order_by("pk"))
    context["programmes"] = programme_refs(meetings)
    expected = [api.MeetingListSerializer.represent(m, dict(context)) for m in meetings]
    attach_sessions(meetings)
    actual = [api.MeetingListSerializer.represent(m, dict(context)) for m in meetings]
    assert json.loads(json.dumps(actual)) == json.loads(json.dumps(expected))
    assert any(item["sessions"][0]["venue"] for item in actual)
