"""Multilingual cities: translation with wagtail-localize, URLs per language, API, search, admin.

Warszawa publishes in pl and en (conftest), Wrocław in Polish only. Pages are
translated with wagtail-localize's dummy translator (it reverses the words),
as an editor would with a configured machine translator.
"""

from __future__ import annotations

import datetime
import re

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test import override_settings
from wagtail.models import Locale, Page, Revision
from wagtail_localize.machine_translators.dummy import DummyTranslator

from programmes import factories as f
from programmes.localization import FixedTranslator, translate_pages
from programmes.models import HomePage, MeetingPage, ProgrammePage, ProgrammePagePhase

HOST = "warszawa.localhost"
DUMMY = {"CLASS": "wagtail_localize.machine_translators.dummy.DummyTranslator"}


@pytest.fixture
def translated(city):
    """A programme with a meeting, translated into English with the dummy translator."""
    home = HomePage.objects.get(locale__language_code="pl")
    index = f.ProgrammeIndexPageFactory(parent=home, title="Programy", slug="programy")
    programme = f.ProgrammePageFactory(
        parent=index,
        title="Program Wspólnych Warsztatów",
        slug="program-warsztatow",
        summary="Warsztaty dla mieszkańców dzielnicy.",
    )
    meeting = f.MeetingPageFactory(
        parent=programme,
        title="Spotkanie otwierające warsztaty",
        slug="spotkanie-otwierajace",
        intro="Pierwsze spotkanie programu.",
        sessions=[f.session(days=5, capacity=40)],
    )
    with override_settings(WAGTAILLOCALIZE_MACHINE_TRANSLATOR=DUMMY):
        en_index, en_programme, en_meeting = translate_pages(
            [index, programme, meeting], "en", translator=DummyTranslator({})
        )
    en_meeting.refresh_from_db()
    en_programme.refresh_from_db()
    return {
        "programme": programme,
        "meeting": meeting,
        "en_programme": en_programme,
        "en_meeting": en_meeting,
    }


def get(client, path, host=HOST, **params):
    return client.get(path, params, HTTP_HOST=host)


@pytest.mark.django_db
def test_dummy_translation_is_published_with_synchronised_fields(translated):
    en = translated["en_meeting"]
    assert en.live and en.locale.language_code == "en"
    # Translatable text went through the translator (the dummy reverses words) ...
    assert en.title == "warsztaty otwierające Spotkanie"
    assert en.intro == "programu. spotkanie Pierwsze"
    # ... synchronised fields (sessions, capacity, registration) were copied.
    source = translated["meeting"]
    assert en.registration_mode == source.registration_mode
    assert [(s.start, s.capacity) for s in en.sessions.all()] == [
        (s.start, s.capacity) for s in source.sessions.all()
    ]
    assert en.translation_key == source.translation_key
    assert isinstance(en.get_parent().specific, ProgrammePage)


@pytest.mark.django_db
def test_english_page_served_under_en_with_lang_and_hreflang(client, translated):
    response = get(client, "/en/programy/program-warsztatow/spotkanie-otwierajace/")
    assert response.status_code == 200
    html = response.content.decode()
    assert re.search(r'<html lang="en"', html)
    assert "warsztaty otwierające Spotkanie" in html
    links = dict(re.findall(r'<link rel="alternate" hreflang="(\w+)" href="([^"]+)"', html))
    assert links == {
        "pl": "http://warszawa.localhost/programy/program-warsztatow/spotkanie-otwierajace/",
        "en": "http://warszawa.localhost/en/programy/program-warsztatow/spotkanie-otwierajace/",
    }
    # Polish stays without a prefix and links to the English version.
    polish = get(client, "/programy/program-warsztatow/spotkanie-otwierajace/").content.decode()
    assert '<html lang="pl"' in polish
    assert 'href="/en/programy/program-warsztatow/spotkanie-otwierajace/"' in polish


@pytest.mark.django_db
def test_switcher_falls_back_to_the_translated_parent(client, translated):
    untranslated = f.NewsPageFactory(
        parent=translated["programme"], title="Aktualność", slug="aktualnosc"
    )
    html = get(client, untranslated.url).content.decode()
    # No English version of the news item: the switcher offers the English programme.
    assert 'href="/en/programy/program-warsztatow/"' in html
    assert 'hreflang="en" href=' not in html  # and no alternate that does not exist


@pytest.mark.django_db
def test_api_returns_the_translation_for_locale_en(client, translated):
    programmes = get(client, "/api/v1/programmes/", locale="en").json()
    assert [p["title"] for p in programmes["results"]] == ["Warsztatów Wspólnych Program"]
    assert programmes["results"][0]["locale"] == "en"
    meetings = get(client, "/api/v1/meetings/", locale="en").json()
    assert [m["title"] for m in meetings["results"]] == ["warsztaty otwierające Spotkanie"]
    polish = get(client, "/api/v1/meetings/").json()
    assert [m["title"] for m in polish["results"]] == ["Spotkanie otwierające warsztaty"]
    v2 = get(client, "/api/v2/pages/", locale="en", type="programmes.MeetingPage").json()
    assert [p["title"] for p in v2["items"]] == ["warsztaty otwierające Spotkanie"]
    assert v2["items"][0]["meta"]["locale"] == "en"


@pytest.mark.django_db
@pytest.mark.parametrize("backend", ["postgres", "elasticsearch"])
def test_search_by_language(translated, settings, backend, city):
    from search.backends import get_backend
    from search.indexing import reindex
    from search.query import search

    if backend == "elasticsearch":
        from search import es

        if not settings.ELASTICSEARCH_URL or not es.client(timeout=3).ping():
            pytest.fail("Elasticsearch is not reachable (bash infra/dev/elasticsearch.sh start)")
    settings.SEARCH_BACKEND = backend
    # An editor's English wording, to check the English item gets English analysis.
    en_meeting = translated["en_meeting"]
    en_meeting.intro = "Opening meetings for residents."
    en_meeting.save_revision().publish()
    reindex(city.schema_name)
    get_backend().refresh(city.schema_name)
    try:
        english = search("Spotkanie", language="en")
        assert [r["title"] for r in english.results] == ["warsztaty otwierające Spotkanie"]
        assert english.results[0]["url"].startswith("/en/")
        # Polish search finds each Polish page once and never the English copy.
        polish = search("spotkanie", language="pl")
        titles = [r["title"] for r in polish.results]
        assert titles.count("Spotkanie otwierające warsztaty") == 1
        assert "warsztaty otwierające Spotkanie" not in titles
        # English analysis of the English item: "meetings" in the text, "meeting" asked.
        meetings = search("meeting", language="en", ui_language="en")
        assert [r["title"] for r in meetings.results] == ["warsztaty otwierające Spotkanie"]
        assert search("meeting", language="pl", ui_language="en").total == 0
    finally:
        get_backend().drop(city.schema_name)


@pytest.fixture(params=["postgres", "elasticsearch"])
def search_backend(request, settings):
    if request.param == "elasticsearch":
        from search import es

        if not settings.ELASTICSEARCH_URL or not es.client(timeout=3).ping():
            pytest.fail("Elasticsearch is not reachable (bash infra/dev/elasticsearch.sh start)")
    settings.SEARCH_BACKEND = request.param
    return request.param


@pytest.fixture
def indexed_translation(translated, search_backend, city):
    """The translated programme and meeting, indexed; the English meeting in English words."""
    from search.backends import get_backend
    from search.indexing import reindex

    en_meeting = translated["en_meeting"]
    en_meeting.intro = "Opening meetings for residents."
    en_meeting.save_revision().publish()
    reindex(city.schema_name)
    get_backend().refresh(city.schema_name)
    yield translated
    get_backend().drop(city.schema_name)


def _result_titles(html: str) -> list[str]:
    return re.findall(r'<h3><a href="[^"]*">([^<]+)</a></h3>', html)


POLISH_MEETING = "Spotkanie otwierające warsztaty"
ENGLISH_MEETING = "warsztaty otwierające Spotkanie"


@pytest.mark.django_db
def test_search_page_searches_the_page_language_by_default(client, indexed_translation):
    # The English search page finds the English copy by English words.
    response = get(client, "/en/search/", q="meeting")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="en"' in html
    assert _result_titles(html) == [ENGLISH_MEETING]
    # The Polish page lists the Polish meeting, never its English copy ...
    html = get(client, "/search/", q="spotkanie").content.decode()
    titles = _result_titles(html)
    assert titles.count(POLISH_MEETING) == 1 and ENGLISH_MEETING not in titles
    # ... and offers every language in one click.
    assert "Wyniki tylko w języku: polski." in html
    link = re.search(
        r'<a href="(\?[^"]*language=all[^"]*)">Szukaj we wszystkich językach</a>', html
    )
    assert link, html
    html = get(client, "/search/" + link.group(1).replace("&amp;", "&")).content.decode()
    titles = _result_titles(html)
    assert POLISH_MEETING in titles and ENGLISH_MEETING in titles
    assert 'href="?q=spotkanie">Tylko w języku: polski</a>' in html
    # An explicit language wins over the page's; the language facet stays.
    html = get(client, "/search/", q="spotkanie", language="en").content.decode()
    assert _result_titles(html) == [ENGLISH_MEETING]
    assert 'id="facet-language"' in html
    # The header's search box of an English page leads to the English search.
    page = get(client, "/en/programy/").content.decode()
    assert 'action="/en/search/"' in page


@pytest.mark.django_db
def test_search_api_defaults_to_the_locale_or_the_city_language(client, indexed_translation):
    def titles(**params):
        data = get(client, "/api/v1/search/", q="spotkanie", **params).json()
        return [result["title"] for result in data["results"]], data

    polish, data = titles()
    assert POLISH_MEETING in polish and ENGLISH_MEETING not in polish
    assert {row["value"] for row in data["facets"]["language"]} == {"pl"}
    english, data = titles(locale="en")
    assert english == [ENGLISH_MEETING]
    assert all(result["language"] == "en" for result in data["results"])
    both, data = titles(language="all")
    assert POLISH_MEETING in both and ENGLISH_MEETING in both
    assert {row["value"] for row in data["facets"]["language"]} == {"pl", "en"}
    assert titles(locale="en", language="pl")[0] == polish  # explicit language wins
    assert get(client, "/api/v1/search/", q="spotkanie", locale="xx").status_code == 400


@pytest.mark.django_db
def test_city_without_english_has_no_en_pages(client, translated, wroclaw):
    connection.set_schema_to_public()
    assert get(client, "/en/", host="wroclaw.localhost").status_code == 404
    assert get(client, "/", host="wroclaw.localhost").status_code == 200
    assert get(client, "/en/", host=HOST).status_code == 200  # Warszawa's English home
    assert get(client, "/uk/", host=HOST).status_code == 404  # not one of Warszawa's languages


@pytest.mark.django_db
def test_set_city_languages_adds_a_locale_for_one_city_only(cities):
    wroclaw, warszawa = cities["wroclaw"], cities["warszawa"]
    call_command("set_city_languages", "wroclaw", "pl,uk")
    wroclaw.refresh_from_db()
    assert wroclaw.language_list == ["pl", "uk"]
    connection.set_tenant(wroclaw)
    assert set(Locale.objects.values_list("language_code", flat=True)) == {"pl", "uk"}
    uk_home = HomePage.objects.get(locale__language_code="uk")
    assert uk_home.live and uk_home.depth == 2
    connection.set_tenant(warszawa)
    assert not Locale.objects.filter(language_code="uk").exists()
    connection.set_schema_to_public()
    warszawa.refresh_from_db()
    assert warszawa.language_list == ["pl", "en"]
    # Removing a language with pages in it is refused; removing an empty one works.
    with pytest.raises(CommandError) as refused:
        connection.set_tenant(warszawa)
        home = HomePage.objects.get(locale__language_code="pl")
        index = f.ProgrammeIndexPageFactory(parent=home, slug="programy")
        translate_pages([index], "en")
        connection.set_schema_to_public()
        call_command("set_city_languages", "warszawa", "pl")
    assert refused.value.returncode == 2
    assert "page(s) exist" in str(refused.value)
    call_command("set_city_languages", "wroclaw", "pl")
    connection.set_tenant(wroclaw)
    assert not Page.objects.filter(locale__language_code="uk").exists()


@pytest.mark.django_db
def test_fixed_translator_translates_known_strings_only(city):
    home = HomePage.objects.get(locale__language_code="pl")
    index = f.ProgrammeIndexPageFactory(
        parent=home, title="Programy", slug="programy", intro="<p>Nasze programy.</p>"
    )
    translator = FixedTranslator({"Programy": "Programmes"})
    (en,) = translate_pages([index], "en", translator=translator)
    en.refresh_from_db()
    assert en.title == "Programmes"
    assert en.intro == "<p>Nasze programy.</p>"  # not given: falls back to the source
    translator.strings["Nasze programy."] = "Our programmes."
    (en,) = translate_pages([index], "en", translator=translator)
    en.refresh_from_db()
    assert en.title == "Programmes" and en.intro == "<p>Our programmes.</p>"


@pytest.mark.django_db
def test_admin_language_follows_the_editor_preference_polish_by_default(client, city):
    from wagtail.users.models import UserProfile

    from tenants.seed import create_editor

    user, _password = create_editor("redakcja@example.org", superuser=True)
    client.force_login(user)
    html = client.get("/admin/", HTTP_HOST=HOST).content.decode()
    assert '<html lang="pl"' in html
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = "en"
    profile.save()
    html = client.get("/admin/", HTTP_HOST=HOST).content.decode()
    assert '<html lang="en"' in html


def test_every_page_type_declares_its_translatable_fields():
    from wagtail_localize.fields import SynchronizedField, TranslatableField

    for model in [*Page.__subclasses__(), MeetingPage.__subclasses__()[0]]:
        if model._meta.app_label != "programmes":
            continue
        overrides = model.__dict__.get("override_translatable_fields")
        assert overrides, model
        kinds = {type(field) for field in overrides}
        assert kinds <= {TranslatableField, SynchronizedField}


@pytest.mark.django_db
def test_demo_english_programme_is_idempotent(client, city):
    from programmes.demo.english import translate_wspolnota

    home = HomePage.objects.get(locale__language_code="pl")
    index = f.ProgrammeIndexPageFactory(parent=home, title="Programy", slug="programy")
    programme = f.ProgrammePageFactory(
        parent=index,
        title="Program Wspólnota",
        slug="program-wspolnota",
        phases=[
            ProgrammePagePhase(
                name="Praca grup roboczych",
                start_date=datetime.date(2018, 10, 16),
                description="Osiem spotkań trzech grup i spotkanie plenarne.",
            )
        ],
    )
    f.NewsPageFactory(parent=programme, title="Zakończyliśmy pierwszy etap prac.", slug="etap")
    assert translate_wspolnota() == 3
    revisions = Revision.objects.count()
    assert translate_wspolnota() == 0  # loading the demo again changes nothing
    assert Revision.objects.count() == revisions
    html = get(client, "/en/programy/program-wspolnota/").content.decode()
    assert "Community Programme (Program Wspólnota)" in html
    assert "The first stage of work is complete." in html
    assert "Working groups at work" in html and "Praca grup roboczych" not in html
    assert "Eight meetings of three groups and a plenary meeting." in html
    # A translation made before rows were translatable (rows copied in Polish)
    # gets its rows translated at the next load, once.
    en_programme = programme.get_translation(Locale.objects.get(language_code="en"))
    ProgrammePagePhase.objects.filter(page=en_programme).update(name="Praca grup roboczych")
    assert translate_wspolnota() == 0
    (phase,) = ProgrammePagePhase.objects.filter(page=en_programme)
    assert phase.name == "Working groups at work"
    assert phase.start_date == datetime.date(2018, 10, 16)
    revisions = Revision.objects.count()
    translate_wspolnota()
    assert Revision.objects.count() == revisions


# --- Inline rows (phases, agenda items, topics) are translated row by row ----------------


@pytest.mark.django_db
def test_phases_and_agenda_items_are_translated_while_dates_stay(client, city):
    from programmes.models import MeetingPageAgendaItem, OpenSpaceSessionPageTopic

    home = HomePage.objects.get(locale__language_code="pl")
    index = f.ProgrammeIndexPageFactory(parent=home, title="Programy", slug="programy")
    programme = f.ProgrammePageFactory(parent=index, title="Program Wspólny", slug="program")
    meeting = f.MeetingPageFactory(
        parent=programme,
        title="Spotkanie plenarne",
        slug="spotkanie",
        sessions=[f.session(days=5, capacity=40, label="Sesja pierwsza")],
        agenda_items=[
            MeetingPageAgendaItem(time=datetime.time(17, 0), title="Powitanie gości"),
            MeetingPageAgendaItem(
                time=datetime.time(17, 30), title="Dyskusja w grupach", description="Trzy stoliki."
            ),
        ],
    )
    open_space = f.OpenSpaceSessionPageFactory(
        parent=programme,
        slug="open-space",
        topics=[OpenSpaceSessionPageTopic(topic="Zieleń osiedlowa", convener="Anna Nowak")],
    )
    en_index, en_programme, en_meeting, en_open_space = translate_pages(
        [index, programme, meeting, open_space], "en", translator=DummyTranslator({})
    )
    # Texts of the rows went through the translator (the dummy reverses words) ...
    phases = list(en_programme.phases.all())
    source_phases = list(programme.phases.all())
    assert [p.name for p in phases] == ["diagnostyczne Warsztaty", "społeczne Konsultacje"]
    assert phases[0].description == "dialogu. stanu Diagnoza"
    # ... dates and order stay, and each row is the source row's translation.
    assert [(p.start_date, p.end_date) for p in phases] == [
        (p.start_date, p.end_date) for p in source_phases
    ]
    assert [p.translation_key for p in phases] == [p.translation_key for p in source_phases]
    assert {p.locale.language_code for p in phases} == {"en"}
    agenda = list(en_meeting.agenda_items.all())
    assert [(a.time, a.title, a.description) for a in agenda] == [
        (datetime.time(17, 0), "gości Powitanie", ""),
        (datetime.time(17, 30), "grupach w Dyskusja", "stoliki. Trzy"),
    ]
    (session,) = en_meeting.sessions.all()
    (source_session,) = meeting.sessions.all()
    assert session.label == "pierwsza Sesja"
    assert (session.start, session.venue_id, session.capacity) == (
        source_session.start,
        source_session.venue_id,
        source_session.capacity,
    )
    (topic,) = en_open_space.specific.topics.all()
    assert (topic.topic, topic.convener) == ("osiedlowa Zieleń", "Anna Nowak")
    # The English pages show them; the Polish ones are untouched.
    html = get(client, f"/en/programy/{en_programme.slug}/").content.decode()
    assert "diagnostyczne Warsztaty" in html and "Warsztaty diagnostyczne" not in html
    html = get(client, f"/en/programy/{en_programme.slug}/{en_meeting.slug}/").content.decode()
    assert "gości Powitanie" in html and "Powitanie gości" not in html
    assert "17:30" in html or "17.30" in html
    polish = get(client, "/programy/program/spotkanie/").content.decode()
    assert "Powitanie gości" in polish
    api = get(client, f"/api/v1/meetings/{en_meeting.pk}/", locale="en").json()
    assert [item["title"] for item in api["agenda"]] == ["gości Powitanie", "grupach w Dyskusja"]

    # A change of the source (a new date, a new item) reaches the translation at
    # the next sync; translated texts of unchanged rows are kept, rows keep their ids.
    phase_ids = [p.pk for p in phases]
    first = programme.phases.all()[0]
    first.start_date = datetime.date(2016, 5, 1)
    first.save()
    meeting.agenda_items.add(MeetingPageAgendaItem(time=datetime.time(19, 0), title="Podsumowanie"))
    meeting.save_revision().publish()
    programme.save_revision().publish()
    translate_pages([programme, meeting], "en", translator=DummyTranslator({}))
    en_programme.refresh_from_db()
    phases = list(en_programme.phases.all())
    assert [p.pk for p in phases] == phase_ids
    assert phases[0].start_date == datetime.date(2016, 5, 1)
    assert phases[0].name == "diagnostyczne Warsztaty"
    assert [a.title for a in en_meeting.agenda_items.all()] == [
        "gości Powitanie",
        "grupach w Dyskusja",
        "Podsumowanie",
    ]


@pytest.mark.django_db
def test_migration_pairs_existing_rows_of_translated_pages(city):
    """programmes 0002's backfill: rows take their page's locale and the source row's key."""
    import importlib
    import uuid

    from django.apps import apps

    from programmes.models import ProgrammePagePhase

    migration = importlib.import_module("programmes.migrations.0002_translatable_orderables")
    home = HomePage.objects.get(locale__language_code="pl")
    index = f.ProgrammeIndexPageFactory(parent=home, title="Programy", slug="programy")
    programme = f.ProgrammePageFactory(parent=index, slug="program")
    other = f.ProgrammePageFactory(parent=index, slug="inny")
    _en_index, en_programme = translate_pages([index, programme], "en")
    # As before the migration: every row with a key of its own.
    for phase in ProgrammePagePhase.objects.all():
        ProgrammePagePhase.objects.filter(pk=phase.pk).update(translation_key=uuid.uuid4())
    migration.backfill(apps, None)
    # The migration pairs rows by position: sort_order, then id (the rows'
    # default ordering leaves ties to PostgreSQL).
    pl_keys = [p.translation_key for p in programme.phases.order_by("sort_order", "pk")]
    en_rows = list(en_programme.phases.order_by("sort_order", "pk"))
    assert [p.translation_key for p in en_rows] == pl_keys
    assert {p.locale_id for p in en_rows} == {en_programme.locale_id}
    assert {p.locale_id for p in programme.phases.all()} == {programme.locale_id}
    other_keys = {p.translation_key for p in other.phases.all()}
    assert len(other_keys) == 2 and not other_keys & set(pl_keys)


# --- Available translations in the APIs ------------------------------------------------


def _statements(queries) -> list[str]:
    return [q["sql"] for q in queries.captured_queries if not q["sql"].startswith("SET ")]


@pytest.mark.django_db
def test_api_v1_lists_the_translations_of_each_page(client, translated):
    en_programme, en_meeting = translated["en_programme"], translated["en_meeting"]
    programme, meeting = translated["programme"], translated["meeting"]
    base = "http://warszawa.localhost"
    (item,) = get(client, "/api/v1/programmes/").json()["results"]
    assert item["translations"] == [
        {
            "locale": "en",
            "id": en_programme.pk,
            "title": "Warsztatów Wspólnych Program",
            "url": f"{base}/en/programy/{en_programme.slug}/",
            "api_url": f"{base}/api/v1/programmes/{en_programme.slug}/?locale=en",
        }
    ]
    # The English page lists the Polish one (never itself); the detail has it too.
    (en_item,) = get(client, "/api/v1/programmes/", locale="en").json()["results"]
    assert [(t["locale"], t["id"]) for t in en_item["translations"]] == [("pl", programme.pk)]
    assert en_item["translations"][0]["url"] == f"{base}/programy/program-warsztatow/"
    detail = get(client, f"/api/v1/programmes/{programme.slug}/").json()
    assert [t["id"] for t in detail["translations"]] == [en_programme.pk]
    meetings = get(client, "/api/v1/meetings/").json()["results"]
    assert meetings[0]["translations"][0]["api_url"] == (
        f"{base}/api/v1/meetings/{en_meeting.pk}/?locale=en"
    )
    en_detail = get(client, f"/api/v1/meetings/{en_meeting.pk}/", locale="en").json()
    assert [(t["locale"], t["id"]) for t in en_detail["translations"]] == [("pl", meeting.pk)]
    # The api_url really is the translation in the API.
    followed = client.get(meetings[0]["translations"][0]["api_url"], HTTP_HOST=HOST).json()
    assert followed["id"] == en_meeting.pk and followed["locale"] == "en"
    # Untranslated pages have none; a draft translation is not offered.
    news = f.NewsPageFactory(parent=programme, title="Aktualność", slug="aktualnosc")
    (news_item,) = get(client, "/api/v1/news/").json()["results"]
    assert news_item["id"] == news.pk and news_item["translations"] == []
    en_meeting.unpublish()
    meetings = get(client, "/api/v1/meetings/").json()["results"]
    assert meetings[0]["translations"] == []


@pytest.mark.django_db
def test_api_v2_lists_translations_in_meta(client, translated):
    en_meeting, meeting = translated["en_meeting"], translated["meeting"]
    base = "http://warszawa.localhost"
    items = get(client, "/api/v2/pages/", type="programmes.MeetingPage").json()["items"]
    by_id = {item["id"]: item["meta"]["translations"] for item in items}
    assert by_id[meeting.pk] == [
        {
            "locale": "en",
            "id": en_meeting.pk,
            "title": "warsztaty otwierające Spotkanie",
            "url": f"{base}/en/programy/{translated['en_programme'].slug}/{en_meeting.slug}/",
            "api_url": f"{base}/api/v2/pages/{en_meeting.pk}/",
        }
    ]
    assert [t["id"] for t in by_id[en_meeting.pk]] == [meeting.pk]
    detail = get(client, f"/api/v2/pages/{en_meeting.pk}/").json()
    assert [(t["locale"], t["id"]) for t in detail["meta"]["translations"]] == [("pl", meeting.pk)]
    # Left out on request.
    trimmed = get(client, "/api/v2/pages/", fields="-translations").json()["items"]
    assert all("translations" not in item["meta"] for item in trimmed)


@pytest.mark.django_db
def test_translations_cost_one_lookup_per_listing_not_one_per_item(client, translated):
    from django.db import connection as db
    from django.test.utils import CaptureQueriesContext

    def count(path, **params):
        with CaptureQueriesContext(db) as queries:
            response = get(client, path, **params)
        assert response.status_code == 200
        return len(_statements(queries))

    urls = [
        ("/api/v1/meetings/", {}),
        ("/api/v1/news/", {}),
        ("/api/v2/pages/", {"type": "programmes.MeetingPage"}),
        ("/api/v2/pages/", {}),
    ]
    programme = translated["programme"]
    f.NewsPageFactory(parent=programme, title="Aktualność", slug="aktualnosc-0")
    for path, params in urls:  # warm the per-process caches (content types, site roots)
        count(path, **params)
    before = [count(path, **params) for path, params in urls]
    # Four more translated meetings and news items: the same number of queries.
    pages = []
    for number in range(1, 5):
        pages.append(
            f.MeetingPageFactory(
                parent=programme,
                title=f"Spotkanie {number}",
                slug=f"spotkanie-{number}",
                sessions=[f.session(days=number)],
            )
        )
        pages.append(
            f.NewsPageFactory(parent=programme, title=f"Wiadomość {number}", slug=f"news-{number}")
        )
    translate_pages(pages, "en", translator=DummyTranslator({}))
    # New content: the site, its trees and the view restrictions are read again
    # once (programmes.api.scope); what must not grow is the per-item work.
    count(*urls[0][:1], **urls[0][1])
    after = [count(path, **params) for path, params in urls]
    assert after == before
    meetings = get(client, "/api/v1/meetings/").json()["results"]
    assert all(len(m["translations"]) == 1 for m in meetings)
