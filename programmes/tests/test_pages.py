"""Public pages of the plugin: tree rules, rendering, dates, timeline, listings.

Pages are built with the factories under the active site's HomePage (the
warszawa city in tenant mode, the default Site in standalone mode) and fetched
through the test client, so URL routing, templates and context all take part.
"""

from __future__ import annotations

import datetime
import re

import pytest
from django.utils import timezone, translation
from wagtail.models import Page

from programmes import factories as f
from programmes.models import (
    ConsultationPage,
    DocumentLibraryPage,
    ExpertPanelPage,
    HomePage,
    MeetingPage,
    NewsPage,
    OpenSpaceSessionPage,
    ProgrammeIndexPage,
    ProgrammePage,
    WorkingGroupPage,
)
from programmes.templatetags import programmes_tags as tags

CHILD_TYPES = [
    MeetingPage,
    OpenSpaceSessionPage,
    ExpertPanelPage,
    ConsultationPage,
    WorkingGroupPage,
    NewsPage,
    DocumentLibraryPage,
]
ALL_TYPES = [HomePage, ProgrammeIndexPage, ProgrammePage, *CHILD_TYPES]


def _tz():
    return timezone.get_current_timezone()


def get(client, page, host, **params):
    response = client.get(page.url, params, HTTP_HOST=host)
    assert response.status_code == 200, (page, response.status_code)
    return response.content.decode()


def assert_accessible_basics(html: str, lang: str = "pl"):
    assert f'<html lang="{lang}">' in html
    assert html.count("<h1") == 1, "exactly one h1"
    assert 'class="skip-link" href="#main"' in html
    assert '<main id="main"' in html
    assert "<table" not in html, "no layout tables"
    # Headings never skip a level going down (h2 -> h4).
    levels = [int(level) for level in re.findall(r"<h([1-6])\b", html)]
    for previous, current in zip(levels, levels[1:], strict=False):
        assert current <= previous + 1, f"heading jumps from h{previous} to h{current}"
    # No external fonts or CDNs: every stylesheet and script is ours.
    assets = re.findall(r'<link rel="(?:stylesheet|preload|icon)"[^>]+href="([^"]+)"', html)
    assets += re.findall(r'<script[^>]+src="([^"]+)"', html)
    assert assets, "the stylesheet is linked"
    for url in assets:
        assert url.startswith("/"), url


# --- Tree rules ---------------------------------------------------------------


def test_every_page_type_declares_its_place():
    for model in ALL_TYPES:
        assert model.parent_page_types is not None, model
        assert model.subpage_types is not None, model


def test_page_type_parents_and_children():
    assert set(HomePage.allowed_subpage_models()) == {ProgrammeIndexPage}
    assert set(ProgrammeIndexPage.allowed_parent_page_models()) == {HomePage}
    assert set(ProgrammeIndexPage.allowed_subpage_models()) == {ProgrammePage}
    assert set(ProgrammePage.allowed_parent_page_models()) == {ProgrammeIndexPage}
    assert set(ProgrammePage.allowed_subpage_models()) == set(CHILD_TYPES)
    assert set(MeetingPage.allowed_parent_page_models()) == {
        ProgrammePage,
        ConsultationPage,
        WorkingGroupPage,
    }
    for model in (OpenSpaceSessionPage, ExpertPanelPage, NewsPage, DocumentLibraryPage):
        assert set(model.allowed_parent_page_models()) == {ProgrammePage}, model
        assert model.allowed_subpage_models() == [], model
    assert set(ConsultationPage.allowed_subpage_models()) == {MeetingPage}
    assert set(WorkingGroupPage.allowed_subpage_models()) == {MeetingPage}
    assert MeetingPage.allowed_subpage_models() == []


@pytest.mark.django_db
def test_pages_can_be_created_only_where_they_belong(home):
    index = f.ProgrammeIndexPageFactory(parent=home)
    programme = f.ProgrammePageFactory(parent=index)
    consultation = f.ConsultationPageFactory(parent=programme)
    group = f.WorkingGroupPageFactory(parent=programme)
    meeting = f.MeetingPageFactory(parent=programme)
    root = Page.get_first_root_node()

    assert ProgrammeIndexPage.can_create_at(home)
    assert not ProgrammeIndexPage.can_create_at(programme)
    assert ProgrammePage.can_create_at(index)
    assert not ProgrammePage.can_create_at(home)
    for model in CHILD_TYPES:
        assert model.can_create_at(programme), model
        assert not model.can_create_at(index), model
        assert not model.can_create_at(home), model
        assert not model.can_create_at(meeting), model
    assert MeetingPage.can_create_at(consultation)
    assert MeetingPage.can_create_at(group)
    assert not NewsPage.can_create_at(consultation)
    assert not OpenSpaceSessionPage.can_create_at(group)
    # One home page per parent, one library per programme.
    assert not HomePage.can_create_at(root) or root.get_children().type(HomePage).count() == 0
    f.DocumentLibraryPageFactory(parent=programme)
    assert not DocumentLibraryPage.can_create_at(programme)
    assert DocumentLibraryPage.can_create_at(f.ProgrammePageFactory(parent=index))
    assert meeting.can_move_to(consultation)
    assert not meeting.can_move_to(index)


# --- Helpers: dates, sizes, types ----------------------------------------------


def test_polish_dates_use_genitive_month_names():
    moment = datetime.datetime(2018, 3, 13, 17, 0, tzinfo=_tz())
    with translation.override("pl"):
        assert tags.human_date(moment.date()) == "13 marca 2018"
        assert tags.human_datetime(moment) == "13 marca 2018, godz. 17:00"
        end = moment + datetime.timedelta(hours=3)
        assert tags.time_range(moment, end) == "13 marca 2018, godz. 17:00–20:00"
        two_days = tags.time_range(moment, end + datetime.timedelta(days=1))
        assert two_days == "13 marca 2018, godz. 17:00 – 14 marca 2018, godz. 20:00"
        assert tags.human_date(datetime.date(2014, 9, 5)) == "5 września 2014"
        assert tags.date_range(datetime.date(2016, 4, 1), None) == "od 1 kwietnia 2016"
    with translation.override("en"):
        assert "March 13, 2018" in tags.human_datetime(moment)
    assert tags.iso(moment) == "2018-03-13T17:00+01:00"


def test_file_labels():
    class Doc:
        mime_type = "application/pdf"
        file_extension = "pdf"
        file_size = 1_234_567
        page_count = 12

    with translation.override("pl"):
        assert tags.document_meta(Doc()) == "PDF, 1,2\xa0MB, 12 str."
    Doc.mime_type = ""
    Doc.file_extension = "odt"
    assert tags.file_type_label(Doc()) == "ODT"
    Doc.mime_type = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    assert tags.file_type_label(Doc()) == "DOCX"


def test_brand_colour_is_sanitised_and_gets_readable_text():
    assert tags.safe_colour("#c8102e") == "#c8102e"
    assert tags.safe_colour("red;}</style>") == tags.DEFAULT_BRAND
    assert tags.contrast_colour("#0b5394") == "#ffffff"
    assert tags.contrast_colour("#ffe066") == "#000000"


# --- Current phase ----------------------------------------------------------------


@pytest.mark.django_db
def test_current_phase_follows_the_date(home):
    programme = f.ProgrammePageFactory(
        parent=f.ProgrammeIndexPageFactory(parent=home),
        phases=[
            f.ProgrammePagePhase(
                name="Diagnoza",
                start_date=datetime.date(2016, 4, 1),
                end_date=datetime.date(2016, 12, 31),
            ),
            f.ProgrammePagePhase(
                name="Konsultacje",
                start_date=datetime.date(2018, 2, 1),
                end_date=datetime.date(2018, 3, 31),
            ),
            f.ProgrammePagePhase(name="Wdrażanie", start_date=datetime.date(2018, 6, 1)),
        ],
    )
    assert programme.current_phase(datetime.date(2016, 4, 1)).name == "Diagnoza"
    assert programme.current_phase(datetime.date(2016, 12, 31)).name == "Diagnoza"
    assert programme.current_phase(datetime.date(2017, 6, 1)) is None  # between phases
    assert programme.current_phase(datetime.date(2018, 3, 13)).name == "Konsultacje"
    assert programme.current_phase(datetime.date(2030, 1, 1)).name == "Wdrażanie"  # open-ended
    assert programme.current_phase(datetime.date(2015, 1, 1)) is None


@pytest.mark.django_db
def test_timeline_marks_the_current_phase(client, home, site_host):
    today = timezone.localdate()
    programme = f.ProgrammePageFactory(
        parent=f.ProgrammeIndexPageFactory(parent=home),
        phases=[
            f.ProgrammePagePhase(
                name="Faza zakończona",
                start_date=today - datetime.timedelta(days=400),
                end_date=today - datetime.timedelta(days=200),
            ),
            f.ProgrammePagePhase(
                name="Faza bieżąca",
                start_date=today - datetime.timedelta(days=10),
                end_date=today + datetime.timedelta(days=10),
            ),
            f.ProgrammePagePhase(name="Faza przyszła", start_date=today + datetime.timedelta(100)),
        ],
    )
    html = get(client, programme, site_host)
    current = re.search(r'<li class="phase-current" aria-current="step">(.*?)</li>', html, re.S)
    assert current and "Faza bieżąca" in current.group(1)
    assert html.count('aria-current="step"') == 1
    assert '<li class="phase-past">' in html and '<li class="phase-future">' in html


# --- Rendering every page type ---------------------------------------------------


@pytest.fixture
def programme_tree(home):
    """A programme with one page of every type and some documents."""
    index = f.ProgrammeIndexPageFactory(parent=home, title="Programy dialogu")
    lead = f.OrganisationFactory(
        name="Centrum Komunikacji Społecznej",
        address="pl. Bankowy 2, 00-095 Warszawa",
        email="cks@um.warszawa.pl",
    )
    programme = f.ProgrammePageFactory(
        parent=index,
        title="Program Rozwoju Dialogu i Komunikacji Społecznej",
        summary="Program ustala, jak miasto rozmawia z mieszkańcami.",
        lead_organisation=lead,
        coordinator=f.PersonFactory(name="Anna Kowalska", title="dr"),
        funding="Mechanizm Finansowy EOG",
        partners=[f.ProgrammePagePartner(organisation=f.OrganisationFactory(name="KS Bergen"))],
    )
    venue = f.VenueFactory(name="Pałac Ślubów", address="ul. Senatorska 27", postcode="00-099")
    start = timezone.now().replace(microsecond=0, second=0, minute=0) + datetime.timedelta(days=5)
    meeting = f.MeetingPageFactory(
        parent=programme,
        title="Spotkanie inauguracyjne",
        kind="plenary",
        intro="Otwieramy prace nad programem.",
        sign_language_interpreter=True,
        step_free_access=True,
        accessibility_notes="Pętla indukcyjna w sali.",
        registration_mode="email",
        registration_email="zapisy@um.warszawa.pl",
        sessions=[
            f.session(at=start, venue=venue, room="Sala Kolumnowa", label="Sesja I"),
            f.session(
                at=start + datetime.timedelta(days=7),
                venue=None,
                online_url="https://example.org/transmisja",
                label="Sesja II",
            ),
        ],
        agenda_items=[f.MeetingPageAgendaItem(time=datetime.time(17, 0), title="Powitanie gości")],
        facilitators=[
            f.MeetingPageFacilitator(person=f.PersonFactory(name="Jan Nowak"), role="moderator")
        ],
        outcome_summary="<p>Ustalono harmonogram.</p>",
    )
    past = f.MeetingPageFactory(
        parent=programme,
        title="Warsztat z 2018 roku",
        status="held",
        sessions=[f.session(at=datetime.datetime(2018, 3, 13, 17, 0, tzinfo=_tz()), venue=venue)],
    )
    report = f.ProgrammeDocumentFactory(
        title="Raport z konsultacji 2018",
        programme=programme,
        kind="report",
        publication_date=datetime.date(2018, 6, 1),
        file__data=f.pdf_bytes("Raport z konsultacji"),
        file__filename="raport.pdf",
    )
    minutes = f.ProgrammeDocumentFactory(
        title="Protokół spotkania 2017",
        programme=programme,
        kind="minutes",
        publication_date=datetime.date(2017, 5, 2),
        file__data=f.docx_bytes("Protokół"),
        file__filename="protokol.docx",
    )
    pages = {
        "home": home,
        "index": index,
        "programme": programme,
        "meeting": meeting,
        "past": past,
        "open_space": f.OpenSpaceSessionPageFactory(
            parent=programme,
            title="Open Space: Miasto dialogu",
            guiding_question="Jak wspólnie tworzyć Wrocław?",
            report=report,
            sessions=[f.session(at=datetime.datetime(2014, 9, 5, 10, 0, tzinfo=_tz()))],
        ),
        "panel": f.ExpertPanelPageFactory(
            parent=programme,
            title="Zespół ekspercki",
            members=[
                f.ExpertPanelPageMember(
                    person=f.PersonFactory(
                        name="Ewa Wiśniewska", title="prof.", affiliation="SWPS"
                    ),
                    role="przewodnicząca",
                )
            ],
        ),
        "consultation": f.ConsultationPageFactory(
            parent=programme,
            title="Konsultacje projektu",
            comments_email="uwagi@um.warszawa.pl",
            draft_document=minutes,
            report=report,
            results="<p>Przyjęto 12 uwag.</p>",
        ),
        "group": f.WorkingGroupPageFactory(
            parent=programme,
            title="Grupa robocza ds. standardów",
            members=[
                f.WorkingGroupPageMember(
                    person=f.PersonFactory(name="Urzędnik Jeden"), role="official"
                ),
                f.WorkingGroupPageMember(
                    person=f.PersonFactory(name="Mieszkanka Dwa"), role="resident"
                ),
            ],
        ),
        "news": f.NewsPageFactory(
            parent=programme,
            title="Ruszyły zapisy",
            date=datetime.date(2018, 3, 13),
            intro="Zapraszamy na warsztaty.",
        ),
        "library": f.DocumentLibraryPageFactory(parent=programme, title="Biblioteka dokumentów"),
    }
    pages["report"] = report
    pages["minutes"] = minutes
    return pages


@pytest.mark.django_db
def test_every_page_type_renders_accessibly(client, programme_tree, site_host):
    for name in [
        "home",
        "index",
        "programme",
        "meeting",
        "open_space",
        "panel",
        "consultation",
        "group",
        "news",
        "library",
    ]:
        page = programme_tree[name]
        html = get(client, page, site_host)
        assert_accessible_basics(html)
        assert f"<h1>{page.title}</h1>" in html, name
        if page.depth > 2:
            assert 'aria-label="Okruszki"' in html, name
            assert 'aria-current="page"' in html, name


@pytest.mark.django_db
def test_home_page_shows_what_happens_next(client, programme_tree, site_host):
    html = get(client, programme_tree["home"], site_host)
    assert "Najbliższe spotkania" in html
    assert "Spotkanie inauguracyjne" in html
    assert "Warsztat z 2018 roku" not in html  # past meetings are not "upcoming"
    assert "Otwarte konsultacje" in html and "Konsultacje projektu" in html
    assert "Ruszyły zapisy" in html
    assert "Program Rozwoju Dialogu i Komunikacji Społecznej" in html
    assert '<form class="site-search" role="search" action="/search/"' in html
    assert '<label for="site-search-q">' in html


@pytest.mark.django_db
def test_programme_page_shows_people_meetings_and_documents(client, programme_tree, site_host):
    html = get(client, programme_tree["programme"], site_host)
    for text in [
        "Program ustala, jak miasto rozmawia z mieszkańcami.",
        "Centrum Komunikacji Społecznej",
        "pl. Bankowy 2, 00-095 Warszawa",
        "cks@um.warszawa.pl",
        "dr Anna Kowalska",
        "Mechanizm Finansowy EOG",
        "KS Bergen",
        "Cele programu",
        "Warsztaty diagnostyczne",
        "Najbliższe spotkania",
        "Minione spotkania",
        "Zespół ekspercki",
        "Biblioteka dokumentów",
        "Raport z konsultacji 2018",
    ]:
        assert text in html, text
    upcoming, past = html.split("Minione spotkania", 1)
    assert "Spotkanie inauguracyjne" in upcoming and "Warsztat z 2018 roku" in past
    assert "Warsztat z 2018 roku" not in upcoming
    assert '<time datetime="2018-03-13T17:00+01:00">13 marca 2018, godz. 17:00</time>' in past
    # Size with a non-breaking space (Django keeps "7,0 KB" together).
    assert re.search(r"\(PDF, [\d,]+\s(?:KB|bajtów)(?:, 1 str\.)?\)", html)


@pytest.mark.django_db
def test_meeting_page_shows_sessions_accessibility_and_registration(
    client, programme_tree, site_host
):
    meeting = programme_tree["meeting"]
    html = get(client, meeting, site_host)
    for text in [
        "Otwieramy prace nad programem.",
        "Zebranie plenarne",
        "Sesja I",
        "Sesja II",
        "Pałac Ślubów",
        "ul. Senatorska 27, 00-099",
        "Sala Kolumnowa",
        "https://example.org/transmisja",
        "Powitanie gości",
        "Jan Nowak",
        "moderator",
        "tłumacz polskiego języka migowego",
        "Pętla indukcyjna w sali.",
        "zapisy@um.warszawa.pl",
        "Ustalono harmonogram.",
    ]:
        assert text in html, text
    first = meeting.sessions.first().start
    with translation.override("pl"):
        assert tags.human_date(first) in html
    assert f'<time datetime="{tags.iso(first)}">' in html
    assert "Spotkanie odwołane" not in html


@pytest.mark.django_db
def test_cancelled_meeting_is_clearly_marked(client, home, site_host):
    meeting = f.MeetingPageFactory(
        parent=f.ProgrammePageFactory(parent=f.ProgrammeIndexPageFactory(parent=home)),
        status="cancelled",
        registration_mode="email",
        registration_email="zapisy@example.org",
    )
    html = get(client, meeting, site_host)
    assert "badge-cancelled" in html
    assert "To spotkanie zostało odwołane." in html
    assert "zapisy@example.org" not in html  # no sign-up for a cancelled meeting


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("mode", "fields", "expected"),
    [
        ("none", {}, "Zapisy nie są potrzebne"),
        ("email", {"registration_email": "zapisy@example.org"}, "mailto:zapisy@example.org"),
        ("external", {"registration_url": "https://rejestracja.example.org/"}, "rejestracja"),
        ("form", {}, "registration-form-hook"),
    ],
)
def test_registration_block_by_mode(client, home, site_host, mode, fields, expected):
    meeting = f.MeetingPageFactory(
        parent=f.ProgrammePageFactory(parent=f.ProgrammeIndexPageFactory(parent=home)),
        registration_mode=mode,
        **fields,
    )
    html = get(client, meeting, site_host)
    if expected == "registration-form-hook":
        # Either the registration app's form or the plugin's fallback text.
        assert "<form" in html.split("registration-heading", 1)[1] or "wkrótce" in html
    else:
        assert expected in html


@pytest.mark.django_db
def test_registration_closed_after_deadline(client, home, site_host):
    meeting = f.MeetingPageFactory(
        parent=f.ProgrammePageFactory(parent=f.ProgrammeIndexPageFactory(parent=home)),
        registration_mode="email",
        registration_email="zapisy@example.org",
        registration_deadline=timezone.now() - datetime.timedelta(hours=1),
    )
    html = get(client, meeting, site_host)
    assert "Zapisy są zamknięte." in html
    assert "mailto:zapisy@example.org" not in html


@pytest.mark.django_db
def test_open_space_page_shows_question_topics_and_report(client, programme_tree, site_host):
    html = get(client, programme_tree["open_space"], site_host)
    for text in [
        "Jak wspólnie tworzyć Wrocław?",
        "Uczestnicy sami ustalają tematy rozmów.",
        "Organizacje pozarządowe",
        "Budżet obywatelski",
        "Jan Kowalski",
        "Więcej informacji o zasadach.",
        "Raport z konsultacji 2018",
        "5 września 2014, godz. 10:00",
        "Sesja Open Space",
    ]:
        assert text in html, text


@pytest.mark.django_db
def test_open_space_without_report_says_when_it_is_due(client, home, site_host):
    page = f.OpenSpaceSessionPageFactory(
        parent=f.ProgrammePageFactory(parent=f.ProgrammeIndexPageFactory(parent=home)),
        report_due_date=datetime.date(2014, 10, 15),
    )
    html = get(client, page, site_host)
    assert '<time datetime="2014-10-15">15 października 2014</time>' in html


@pytest.mark.django_db
def test_expert_panel_consultation_group_and_news_pages(client, programme_tree, site_host):
    html = get(client, programme_tree["panel"], site_host)
    assert "prof. Ewa Wiśniewska" in html and "SWPS" in html and "Przewodnicząca" in html

    html = get(client, programme_tree["consultation"], site_host)
    for text in [
        "Projekt Programu Rozwoju Dialogu.",
        "uwagi@um.warszawa.pl",
        "https://um.example.pl/formularz",
        "Protokół spotkania 2017",
        "Raport z konsultacji 2018",
        "Przyjęto 12 uwag.",
        "Otwarte na uwagi",
    ]:
        assert text in html, text

    html = get(client, programme_tree["group"], site_host)
    for text in [
        "Standardy informowania mieszkańców.",
        "Najwyżej 16 członków.",
        "50%",
        "Nabór otwarty",
        "grupy@um.example.pl",
        "Urzędnik Jeden",
        "Mieszkanka Dwa",
    ]:
        assert text in html, text
    assert html.index("Urzędnik Jeden") > html.index("Urzędnicy")

    html = get(client, programme_tree["news"], site_host)
    assert '<time datetime="2018-03-13">13 marca 2018</time>' in html
    assert "Zapraszamy na warsztaty." in html and "Szczegóły wkrótce." in html


@pytest.mark.django_db
def test_working_group_with_closed_recruitment(client, home, site_host):
    group = f.WorkingGroupPageFactory(
        parent=f.ProgrammePageFactory(parent=f.ProgrammeIndexPageFactory(parent=home)),
        recruitment_start=datetime.date(2016, 5, 1),
        recruitment_end=datetime.date(2016, 5, 31),
    )
    html = get(client, group, site_host)
    assert "Nabór zamknięty" in html
    assert "grupy@um.example.pl" not in html


@pytest.mark.django_db
def test_document_library_lists_and_filters(client, programme_tree, site_host):
    library = programme_tree["library"]
    html = get(client, library, site_host)
    assert '<label for="filter-kind">' in html and '<label for="filter-year">' in html
    assert '<form class="filter-form" method="get"' in html
    assert "Raport z konsultacji 2018" in html and "Protokół spotkania 2017" in html
    assert "PDF" in html and "DOCX" in html
    assert '<time datetime="2018-06-01">1 czerwca 2018</time>' in html
    assert '<option value="2018">' in html and '<option value="2017">' in html

    html = get(client, library, site_host, kind="minutes")
    assert "Protokół spotkania 2017" in html and "Raport z konsultacji 2018" not in html
    assert '<option value="minutes" selected>' in html

    html = get(client, library, site_host, year="2018")
    assert "Raport z konsultacji 2018" in html and "Protokół spotkania 2017" not in html

    html = get(client, library, site_host, kind="report", year="2017")
    assert "Żaden dokument nie pasuje do filtrów." in html

    # Nonsense parameters are ignored, not errors.
    html = get(client, library, site_host, kind="<script>", year="abc")
    assert "Raport z konsultacji 2018" in html


@pytest.mark.django_db
def test_breadcrumbs_lead_from_home_to_the_page(client, programme_tree, site_host):
    html = get(client, programme_tree["meeting"], site_host)
    nav = re.search(r'<nav class="breadcrumbs[^>]*>(.*?)</nav>', html, re.S).group(1)
    titles = re.findall(r">([^<>]+)</a>", nav)
    assert titles == [
        programme_tree["home"].title,
        "Programy dialogu",
        "Program Rozwoju Dialogu i Komunikacji Społecznej",
        "Spotkanie inauguracyjne",
    ]


@pytest.mark.django_db
def test_unpublished_pages_are_not_listed(client, programme_tree, site_host):
    programme_tree["news"].unpublish()
    html = get(client, programme_tree["programme"], site_host)
    assert "Ruszyły zapisy" not in html
