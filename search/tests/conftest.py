"""Fixtures of the search tests: the real Elasticsearch, both backends, demo-like content.

Elasticsearch is the dev node of infra/dev/elasticsearch.sh (started here if
it is not running and ELASTICSEARCH_URL is the local default). Indices use the
test settings' prefix (one per test database) and are deleted at the end.

Content is created inside each test's transaction; ``indexed`` then rebuilds
the city's index from it, so every test starts from an index that matches
its own database (Elasticsearch keeps no rollback).
"""

from __future__ import annotations

import datetime
import subprocess
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.db import connection

REPO = Path(__file__).resolve().parents[2]
LOCAL_ES = "http://127.0.0.1:9201"
WARSAW = ZoneInfo("Europe/Warsaw")


def es_reachable() -> bool:
    from search import es

    try:
        return bool(es.client(timeout=3).ping())
    except Exception:  # noqa: BLE001
        return False


def start_local_es() -> None:
    subprocess.run(
        ["bash", str(REPO / "infra/dev/elasticsearch.sh"), "start"],
        check=True,
        timeout=600,
        stdout=subprocess.DEVNULL,
    )


def delete_test_indices() -> None:
    from search import es
    from search.documents import prefix

    client = es.client()
    names = list(client.indices.get(index=f"{prefix()}-*", ignore_unavailable=True).keys())
    for name in names:
        client.indices.delete(index=name, ignore_unavailable=True)


@pytest.fixture(autouse=True)
def _search_urls(settings):
    settings.ROOT_URLCONF = "search.tests.urls"
    settings.PUBLIC_SCHEMA_URLCONF = "search.tests.urls"


@pytest.fixture(scope="session")
def elasticsearch_server():
    """The real server; fails (never skips) when it cannot be reached."""
    if not es_reachable():
        if (settings.ELASTICSEARCH_URL or LOCAL_ES).rstrip("/") != LOCAL_ES:
            pytest.fail(f"Elasticsearch at {settings.ELASTICSEARCH_URL} is not reachable")
        start_local_es()
    assert es_reachable(), "Elasticsearch did not come up"
    yield
    if es_reachable():
        delete_test_indices()


@pytest.fixture(params=["elasticsearch", "postgres"])
def backend(request, settings):
    """Each test using it runs once per backend."""
    if request.param == "elasticsearch":
        request.getfixturevalue("elasticsearch_server")
    settings.SEARCH_BACKEND = request.param
    from search.backends import get_backend

    return get_backend(request.param)


@pytest.fixture
def es_backend(settings, elasticsearch_server):
    settings.SEARCH_BACKEND = "elasticsearch"
    from search.backends import get_backend

    return get_backend("elasticsearch")


def refresh(schema: str) -> None:
    from search.backends import get_backend

    get_backend().refresh(schema)


def process(schema: str) -> None:
    """What the worker does for a city, then make it visible."""
    from django_tenants.utils import schema_context

    from search.indexing import process_pending

    with schema_context(schema):
        process_pending(schema)
    refresh(schema)


def reindex_city(city) -> int:
    from search.indexing import reindex

    count = reindex(city.schema_name)
    refresh(city.schema_name)
    return count


# --- Content ---------------------------------------------------------------------


def _at(year, month, day, hour=17):
    return datetime.datetime(year, month, day, hour, 0, tzinfo=WARSAW)


def build_warszawa():
    """Programme pages, venues, people and a PDF, in the active (Warszawa) schema."""
    from programmes.factories import (
        MeetingPageFactory,
        NewsPageFactory,
        PersonFactory,
        ProgrammeDocumentFactory,
        ProgrammePageFactory,
        VenueFactory,
        document_file,
        pdf_bytes,
        session,
    )
    from programmes.models import MeetingPageFacilitator
    from programmes.tasks import extract_document_text

    coordinator = PersonFactory(name="Aleksandra Żórawska", title="", affiliation="CKS")
    programme = ProgrammePageFactory(
        title="Program Rozwoju Dialogu i Komunikacji Społecznej",
        summary="Program porządkuje zasady rozmowy miasta z mieszkańcami.",
        coordinator=coordinator,
    )
    palace = VenueFactory(
        name="Pałac Ślubów", address="pl. Zamkowy 6", postcode="00-277", city="Warszawa"
    )
    office = VenueFactory(
        name="Centrum Komunikacji Społecznej",
        address="ul. Senatorska 27",
        postcode="00-099",
        city="Warszawa",
    )
    expert = PersonFactory(name="Michał Łuczewski", title="dr", affiliation="Uniwersytet")
    inauguration = MeetingPageFactory(
        parent=programme,
        title="Inauguracyjne spotkanie plenarne",
        kind="plenary",
        intro="Otwieramy prace nad programem. Tłumacz języka migowego na miejscu.",
        body="<p>Porozmawiamy o wizji i wartościach dialogu.</p>",
        sessions=[session(at=_at(2016, 12, 12), venue=palace)],
        facilitators=[MeetingPageFacilitator(person=expert, role="moderator")],
    )
    workshop = MeetingPageFactory(
        parent=programme,
        title="Diagnoza potrzeb mieszkańców Pragi",
        kind="workshop",
        intro="Rozmowa o tym, jak urząd informuje o decyzjach.",
        body="<p>Ceny biletów: 5 &lt; 7 &amp; wstęp wolny.</p>",
        sessions=[session(at=_at(2017, 2, 7), venue=office)],
    )
    news = NewsPageFactory(
        parent=programme,
        title="Ruszają warsztaty diagnostyczne",
        date=datetime.date(2017, 1, 9),
        intro="Zapraszamy na cykl spotkań w dzielnicach.",
        body=[{"type": "paragraph", "value": "<p>Zapisy przez formularz.</p>"}],
    )
    report = ProgrammeDocumentFactory(
        title="Raport z konsultacji społecznych",
        description="Podsumowanie uwag zebranych w marcu 2018.",
        file=document_file(
            pdf_bytes(
                "Mieszkańcy proponowali punkty konsultacyjne w bibliotekach dzielnicowych.",
                "Wnioski zostały przekazane zespołowi roboczemu.",
            ),
            "raport-konsultacje.pdf",
        ),
        kind="report",
        publication_date=datetime.date(2018, 5, 30),
        programme=programme,
    )
    # The real extraction task (pypdf), as the worker would run it.
    extract_document_text.call(connection.schema_name, report.pk)
    report.refresh_from_db()
    assert "bibliotekach" in report.extracted_text
    return {
        "programme": programme,
        "inauguration": inauguration,
        "workshop": workshop,
        "news": news,
        "report": report,
        "palace": palace,
        "expert": expert,
    }


def build_wroclaw():
    """Look-alike content in Wrocław (active schema)."""
    from programmes.factories import MeetingPageFactory, ProgrammePageFactory, VenueFactory, session

    programme = ProgrammePageFactory(
        title="Program Dialog i Współpraca", summary="Dialog NGO z magistratem."
    )
    depot = VenueFactory(
        name="PPM Zajezdnia", address="ul. Legnicka 65", postcode="54-206", city="Wrocław"
    )
    meeting = MeetingPageFactory(
        parent=programme,
        title="Inauguracyjne spotkanie plenarne",
        kind="open_space",
        intro="Spotkanie metodą Open Space: bariery i potrzeby współpracy.",
        sessions=[session(at=_at(2014, 9, 5, 10), venue=depot)],
    )
    return {"programme": programme, "meeting": meeting}


@pytest.fixture
def warszawa_content(city):
    return build_warszawa()


@pytest.fixture
def indexed(backend, warszawa_content, warszawa):
    """Warszawa's content, indexed by the backend under test."""
    reindex_city(warszawa)
    connection.set_tenant(warszawa)
    return warszawa_content
