"""The editor's admin: Polish by default, labelled snippets, listings, dashboard panel."""

from __future__ import annotations

import datetime

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.urls import reverse
from wagtail.search.backends import get_search_backend

from programmes import factories as f


@pytest.fixture
def editor_client(client, home):
    user = get_user_model().objects.create_superuser(
        "redaktor", "redaktor@example.org", "hasło-testowe-123"
    )
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


def admin_get(client, host, name, *args, **params):
    response = client.get(reverse(name, args=args), params, HTTP_HOST=host)
    assert response.status_code == 200, (name, response.status_code)
    return response.content.decode()


def test_polish_is_the_default_admin_language():
    assert settings.LANGUAGE_CODE == "pl"
    assert settings.WAGTAILADMIN_PERMITTED_LANGUAGES[0][0] == "pl"


@pytest.mark.django_db
def test_login_page_is_in_polish(client, home, site_host):
    html = admin_get(client, site_host, "wagtailadmin_login")
    assert '<html lang="pl"' in html
    assert "Zaloguj się" in html


@pytest.mark.django_db
def test_page_editor_shows_polish_tabs_labels_and_help(editor_client, home, site_host):
    programme = f.ProgrammePageFactory(parent=f.ProgrammeIndexPageFactory(parent=home))
    html = admin_get(
        editor_client,
        site_host,
        "wagtailadmin_pages:add",
        "programmes",
        "meetingpage",
        programme.pk,
    )
    for text in [
        "Treść",  # tabs
        "Harmonogram",
        "Zapisy",
        "Dokumenty",
        "Promocja",
        "Tłumacz języka migowego",  # field labels
        "Dostęp bez barier",
        "Termin zapisów",
        "Obecny jest tłumacz polskiego języka migowego.",  # help text
        "Zebranie plenarne",  # choices
        "Formularz zapisów na stronie",
        "Sesje",  # InlinePanel heading
    ]:
        assert text in html, text


@pytest.mark.django_db
def test_snippets_are_listed_with_polish_labels(editor_client, home, site_host):
    f.PersonFactory(name="Anna Kowalska", affiliation="Centrum Komunikacji Społecznej")
    f.VenueFactory(name="Pałac Ślubów", city="Warszawa")
    f.OrganisationFactory(name="Fundacja Dialog", kind="ngo")

    html = admin_get(editor_client, site_host, "wagtailsnippets_programmes_person:list")
    assert "Osoby" in html and "Anna Kowalska" in html and "Afiliacja" in html
    html = admin_get(
        editor_client, site_host, "wagtailsnippets_programmes_person:list", q="Kowalska"
    )
    assert "Anna Kowalska" in html

    html = admin_get(editor_client, site_host, "wagtailsnippets_programmes_venue:list")
    assert "Pałac Ślubów" in html and "Dostęp bez barier" in html

    html = admin_get(editor_client, site_host, "wagtailsnippets_programmes_organisation:list")
    assert "Fundacja Dialog" in html and "Organizacja pozarządowa" in html

    html = admin_get(editor_client, site_host, "wagtailadmin_home")
    assert "Osoby i miejsca" in html  # the menu group


@pytest.mark.django_db
def test_meeting_listing_has_kind_status_and_first_session(editor_client, home, site_host):
    programme = f.ProgrammePageFactory(parent=f.ProgrammeIndexPageFactory(parent=home))
    f.MeetingPageFactory(parent=programme, title="Warsztat w Pałacu", kind="workshop")
    f.OpenSpaceSessionPageFactory(parent=programme, title="Open Space we Wrocławiu")
    html = admin_get(editor_client, site_host, "programmes_meetings:index")
    for text in [
        "Warsztat w Pałacu",
        "Open Space we Wrocławiu",
        "Pierwsza sesja",
        "Rodzaj",
        "Warsztat",
        "Sesja Open Space",
        "Zaplanowane",
    ]:
        assert text in html, text


@pytest.mark.django_db
def test_dashboard_panel_lists_upcoming_meetings_and_open_consultations(
    editor_client, home, site_host
):
    programme = f.ProgrammePageFactory(parent=f.ProgrammeIndexPageFactory(parent=home))
    f.MeetingPageFactory(parent=programme, title="Spotkanie za tydzień")
    f.MeetingPageFactory(
        parent=programme,
        title="Spotkanie sprzed lat",
        sessions=[f.session(at=datetime.datetime(2016, 5, 1, 17, tzinfo=datetime.UTC))],
    )
    f.MeetingPageFactory(parent=programme, title="Spotkanie odwołane", status="cancelled")
    f.ConsultationPageFactory(parent=programme, title="Konsultacje otwarte")
    f.ConsultationPageFactory(
        parent=programme,
        title="Konsultacje zakończone",
        start_date=datetime.date(2018, 2, 1),
        end_date=datetime.date(2018, 3, 1),
        status="closed",
    )
    html = admin_get(editor_client, site_host, "wagtailadmin_home")
    panel = html.split('id="programmes-dashboard', 1)[1]
    assert "Najbliższe spotkania" in panel and "Otwarte konsultacje" in panel
    assert "Spotkanie za tydzień" in panel
    assert "Konsultacje otwarte" in panel
    for hidden in ("Spotkanie sprzed lat", "Spotkanie odwołane", "Konsultacje zakończone"):
        assert hidden not in panel, hidden


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("model", "factory", "name"),
    [
        ("venue", "VenueFactory", "Pałac Ślubów"),
        ("person", "PersonFactory", "Anna Kowalska"),
        ("organisation", "OrganisationFactory", "Fundacja Dialog"),
    ],
)
def test_snippet_choosers_search_by_name(editor_client, home, site_host, model, factory, name):
    # The chooser filters by the editor's locale: search used to fail with a 500.
    snippet = getattr(f, factory)(name=name)
    # Indexed here: without a worker, a queued index update would not run.
    get_search_backend().add(snippet)
    html = admin_get(
        editor_client,
        site_host,
        f"wagtailsnippetchoosers_programmes_{model}:choose_results",
        q=name.split()[-1],
        locale="pl",
    )
    assert name in html
