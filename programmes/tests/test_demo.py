"""The demo loader: idempotent, refused in production, pages render, documents searchable."""

from __future__ import annotations

import datetime
import re

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings
from django.utils import timezone
from wagtail.models import Page, Revision

from programmes.demo import warszawa, wroclaw
from programmes.demo.loader import DemoRefused, load_demo
from programmes.documents import ProgrammeDocument
from programmes.models import (
    ExpertPanelPage,
    MeetingPage,
    OpenSpaceSessionPage,
    ProgrammePage,
    WorkingGroupPage,
)
from programmes.snippets import Organisation, Person, Venue

pytestmark = pytest.mark.django_db


def _fingerprint() -> dict:
    """Row counts and revision pointers: what a second load must leave alone."""
    from programmes import models as m

    counts = {
        model.__name__: model.objects.count()
        for model in (
            Page,
            Revision,
            ProgrammeDocument,
            Person,
            Organisation,
            Venue,
            m.ProgrammePagePhase,
            m.ProgrammePagePartner,
            m.MeetingPageSession,
            m.MeetingPageAgendaItem,
            m.MeetingPageFacilitator,
            m.MeetingPageDocument,
            m.ExpertPanelPageMember,
            m.OpenSpaceSessionPageTopic,
        )
    }
    revisions = dict(Page.objects.values_list("pk", "latest_revision_id"))
    documents = dict(ProgrammeDocument.objects.values_list("pk", "checksum"))
    return {"counts": counts, "revisions": revisions, "documents": documents}


def _text(response) -> str:
    import html

    body = re.sub(r"<[^>]+>", " ", response.content.decode())
    return html.unescape(re.sub(r"\s+", " ", body))


def test_second_load_changes_nothing(demo):
    demo.activate()
    before = _fingerprint()
    _name, report_w = load_demo("warszawa")
    _name, report_r = load_demo("wroclaw")
    assert not report_w.changed, report_w.summary()
    assert not report_r.changed, report_r.summary()
    assert _fingerprint() == before


def test_demo_fills_programmes_with_revisions(demo):
    demo.activate()
    titles = set(ProgrammePage.objects.live().values_list("title", flat=True))
    assert {
        "Program Rozwoju Dialogu i Komunikacji Społecznej",
        "Program Wspólnota",
        "Wzmacnianie mechanizmu partycypacji społecznej w m.st. Warszawie",
        "Program Dialog i Współpraca",
    } <= titles
    # English pages (programmes/demo/english.py) are translations of these.
    for page in Page.objects.filter(depth__gt=2, locale__language_code="pl"):
        assert page.live and page.live_revision_id and not page.has_unpublished_changes
        assert page.locale.language_code == "pl"
    panel = ExpertPanelPage.objects.get(slug="panel-ekspertow")
    assert [m.person.display_name for m in panel.members.all()] == [
        "prof. Anna Giza-Poleszczuk",
        "Agata Stafiej-Bartosik",
        "Joanna Erbel",
        "Jan Jakub Wygnański",
        "Edwin Bendyk",
        "dr Michał Łuczewski",
    ]
    groups = WorkingGroupPage.objects.filter(slug__startswith="zespol-").order_by("title")
    assert [g.max_members for g in groups] == [16, 16, 16]
    assert groups[0].recruitment_end == datetime.date(2017, 2, 24)


def test_workshop_series_is_one_meeting_with_five_sessions(demo):
    demo.activate()
    series = MeetingPage.objects.get(slug="warsztaty-diagnostyczno-kreatywne")
    sessions = list(series.sessions.all())
    local = [timezone.localtime(s.start) for s in sessions]
    assert [(t.month, t.day, t.hour, t.minute) for t in local] == [
        (1, 12, 17, 30),
        (1, 16, 17, 30),
        (1, 23, 17, 30),
        (1, 24, 17, 30),
        (1, 31, 18, 0),
    ]
    assert {s.venue.address for s in sessions} == {
        "ul. Senatorska 27",
        "al. Jana Pawła II 57",
        "ul. Targowa 56",
    }


def test_one_meeting_is_upcoming_with_form_registration(demo, client):
    demo.activate()
    upcoming = MeetingPage.objects.live().filter(last_session_end__gte=timezone.now())
    assert upcoming.count() == 1
    meeting = upcoming.get()
    assert meeting.registration_mode == "form"
    assert [s.capacity for s in meeting.sessions.all()] == [40, 40]
    assert meeting.registration_deadline < meeting.first_session_start
    home = client.get("/", HTTP_HOST=demo.host)
    assert home.status_code == 200
    assert meeting.title in _text(home)


def test_every_demo_page_renders(demo, client):
    demo.activate()
    urls = [page.get_url() for page in Page.objects.live().filter(depth__gt=1)]
    assert len(urls) > 50
    for url in urls:
        assert client.get(url, HTTP_HOST=demo.host).status_code == 200, url


@pytest.mark.parametrize(
    ("path", "facts"),
    [
        (
            "/programy/program-dialog/spotkanie-inaugurujace/",
            ["Pałac Ślubów", "pl. Zamkowy 6", "17:30", "migowego", "Marcin Wojdat"],
        ),
        (
            "/programy/program-dialog/konsultacje-2018/",
            ["konsultacje@um.warszawa.pl", "Nowolipie 25b", "pl. Konstytucji 4"],
        ),
        (
            "/programy/program-dialog/",
            ["Centrum Komunikacji Społecznej", "dialog@um.warszawa.pl", "Warsztaty diagnostyczno"],
        ),
        ("/programy/program-wspolnota/", ["Aleksandra Żórawska", "Dbamy o siebie nawzajem"]),
        (
            "/programy/wzmacnianie-partycypacji-spolecznej/",
            ["Norweski Mechanizm Finansowy", "Oslo", "18 dzielnic"],
        ),
        (
            "/programy/program-dialog-i-wspolpraca/open-space-5-wrzesnia-2014/",
            ["PPM Zajezdnia", "Legnicka 65", "wrdppwroclaw@gmail.com", "883 047 310"],
        ),
    ],
)
def test_demo_pages_show_key_facts(demo, client, path, facts):
    demo.activate()
    response = client.get(path, HTTP_HOST=demo.host)
    assert response.status_code == 200
    text = _text(response)
    for fact in facts:
        assert fact in text, fact


def test_open_space_has_two_sessions_on_one_day(demo):
    demo.activate()
    page = OpenSpaceSessionPage.objects.get(slug="open-space-5-wrzesnia-2014")
    hours = [
        (timezone.localtime(s.start).hour, timezone.localtime(s.end).hour)
        for s in page.sessions.all()
    ]
    assert hours == [(10, 13), (17, 20)]
    assert page.report_due_date == datetime.date(2014, 9, 19)
    assert page.report.extraction_status == "done"


def test_documents_are_real_files_with_words_found_only_inside(demo, client):
    demo.activate()
    distinctive = {**warszawa.DISTINCTIVE, **wroclaw.DISTINCTIVE}
    page_text = " ".join(
        _text(client.get(page.get_url(), HTTP_HOST=demo.host))
        for page in Page.objects.live().filter(depth__gt=1)
    )
    for title, phrase in distinctive.items():
        doc = ProgrammeDocument.objects.get(title=title)
        assert doc.extraction_status == "done", title
        assert doc.programme is not None and doc.kind and doc.publication_date
        assert len(doc.checksum) == 64 and doc.file_size > 1000
        assert phrase in re.sub(r"\s+", " ", doc.extracted_text), title
        assert phrase not in page_text, phrase
    kinds = set(ProgrammeDocument.objects.values_list("mime_type", flat=True))
    assert kinds == {
        "application/pdf",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    }


def test_loader_refuses_under_production_settings(home, monkeypatch):
    pages = Page.objects.count()
    monkeypatch.setenv("DJANGO_SETTINGS_MODULE", "cms.settings.production")
    with pytest.raises(CommandError) as error:
        call_command("load_demo_content")
    assert error.value.returncode == 2
    assert "production" in str(error.value)
    assert Page.objects.count() == pages


@override_settings(DIALOG_DEMO_ALLOWED=False)
def test_loader_refuses_when_demo_is_disallowed(home):
    pages = Page.objects.count()
    with pytest.raises(DemoRefused):
        load_demo("warszawa")
    assert Page.objects.count() == pages


def test_command_reports_what_it_did(home, capsys):
    call_command("load_demo_content", "--dataset", "wroclaw")
    assert "created:" in capsys.readouterr().out
    call_command("load_demo_content", "--dataset", "wroclaw")
    assert "created: nothing; updated: nothing" in capsys.readouterr().out
