"""The query service's contract, run against BOTH backends (real Elasticsearch, real PostgreSQL)."""

import pytest
from django.db import connection

from search.query import search

from .conftest import build_wroclaw, process, reindex_city

pytestmark = pytest.mark.django_db


def titles(results):
    return [r["title"] for r in results.results]


def test_inflected_query_finds_the_base_form(indexed):
    # The title says "spotkanie"; the query uses the locative "spotkaniu".
    assert "Inauguracyjne spotkanie plenarne" in titles(search("spotkaniu"))


def test_genitive_plural_finds_the_nominative(indexed):
    # "Ruszają warsztaty diagnostyczne": only the nominative is in the text.
    assert titles(search("warsztatów"))[0] == "Ruszają warsztaty diagnostyczne"


def test_query_without_diacritics_finds_venue_name(indexed):
    results = search("palac slubow")
    assert titles(results)[0] == "Inauguracyjne spotkanie plenarne"
    assert "<mark>Pałac</mark>" in results.results[0]["snippet"]


def test_inflected_query_without_diacritics(indexed):
    assert "Ruszają warsztaty diagnostyczne" in titles(search("warsztatow"))


def test_typo_is_forgiven(indexed):
    results = search("konsultcji")
    assert titles(results)[0] == "Raport z konsultacji społecznych"
    # The snippet shows and marks the word as spelt in the text.
    assert "<mark>konsultacyjne</mark>" in results.results[0]["snippet"]


def test_person_name_in_any_case_and_without_diacritics(indexed):
    for query in ("Michała Łuczewskiego", "luczewski"):
        assert titles(search(query))[0] == "Inauguracyjne spotkanie plenarne", query


def test_programme_coordinator_is_findable(indexed):
    assert "Program Rozwoju Dialogu i Komunikacji Społecznej" in titles(search("Żórawska"))


def test_street_address(indexed):
    assert titles(search("Senatorska 27"))[0] == "Diagnoza potrzeb mieszkańców Pragi"


def test_word_only_inside_a_pdf(indexed):
    results = search("biblioteka")  # the PDF says "bibliotekach"
    assert titles(results) == ["Raport z konsultacji społecznych"]
    hit = results.results[0]
    assert hit["type"] == "document"
    assert hit["file_type"] == "pdf"
    assert "<mark>bibliotekach</mark>" in hit["snippet"]


def test_facets_count_and_filters_restrict(indexed):
    results = search("program")
    kinds = {f["value"]: f["count"] for f in results.facets["kind"]}
    assert kinds["programme"] >= 1
    assert kinds["meeting"] >= 1
    assert sum(kinds.values()) == results.total
    labels = {f["value"]: f["label"] for f in results.facets["kind"]}
    assert labels["meeting"]
    programme_id = indexed["programme"].pk
    programmes = {str(f["value"]): f["label"] for f in results.facets["programme"]}
    assert programmes[str(programme_id)] == "Program Rozwoju Dialogu i Komunikacji Społecznej"

    documents = search("raport konsultacji", kind="document")
    assert documents.total >= 1
    assert {r["kind"] for r in documents.results} == {"document"}

    everything = search("spotkanie")
    assert {r["year"] for r in everything.results} >= {2016, 2017}
    in_2017 = search("spotkanie", year=2017)
    assert in_2017.results
    assert {r["year"] for r in in_2017.results} == {2017}
    years = [f["value"] for f in everything.facets["year"]]
    assert years == sorted(years, reverse=True)

    by_language = search("spotkanie", language="en")
    assert by_language.total == 0


def test_results_have_label_date_url_and_safe_highlights(indexed):
    results = search("bilety")
    hit = results.results[0]
    assert hit["title"] == "Diagnoza potrzeb mieszkańców Pragi"
    assert hit["kind_label"].startswith("Meeting") or hit["kind_label"].startswith("Spotkanie")
    assert hit["date"] == "2017-02-07"
    assert hit["url"].startswith("/")
    assert "<mark>" in hit["snippet"]
    # Text from the page is escaped; the only markup is <mark>.
    assert "&lt; 7 &amp;" in hit["snippet"]
    assert "<" not in hit["snippet"].replace("<mark>", "").replace("</mark>", "")


def test_pagination(indexed):
    first = search("program dialog spotkanie warsztaty raport", per_page=1, page=1)
    second = search("program dialog spotkanie warsztaty raport", per_page=1, page=2)
    assert first.total == second.total >= 2
    assert first.pages == first.total
    assert titles(first) != titles(second)


def test_did_you_mean_when_nothing_matches(indexed):
    results = search("qonsultacji")  # the first letter is wrong: no fuzzy match
    assert results.total == 0
    assert results.did_you_mean == "konsultacji"


def test_private_page_is_not_indexed(backend, warszawa_content, warszawa):
    from wagtail.models import PageViewRestriction

    from programmes.factories import NewsPageFactory

    secret = NewsPageFactory(
        parent=warszawa_content["programme"],
        title="Tajne ustalenia zespołu",
        intro="Tylko dla członków.",
    )
    PageViewRestriction.objects.create(page=secret, restriction_type="password", password="x")
    reindex_city(warszawa)
    assert search("tajne ustalenia").total == 0


def test_publish_unpublish_and_delete_go_through_the_queue(backend, warszawa_content, warszawa):
    from programmes.factories import NewsPageFactory
    from search.models import PendingUpdate

    reindex_city(warszawa)
    page = NewsPageFactory(
        parent=warszawa_content["programme"],
        title="Zaproszenie na pikniki sąsiedzkie",
        intro="Sąsiedzi zapraszają.",
        live=False,
    )
    assert search("pikniki").total == 0
    page.save_revision().publish()
    assert PendingUpdate.objects.filter(key=f"page:{page.pk}").exists()
    process(warszawa.schema_name)
    assert titles(search("piknik")) == ["Zaproszenie na pikniki sąsiedzkie"]
    assert not PendingUpdate.objects.exists()

    page.refresh_from_db()  # publish() worked on the revision's copy
    page.unpublish()
    assert PendingUpdate.objects.filter(key=f"page:{page.pk}").exists()
    process(warszawa.schema_name)
    assert search("piknik").total == 0

    page.save_revision().publish()
    process(warszawa.schema_name)
    assert search("piknik").total == 1
    page.refresh_from_db()
    page.delete()
    process(warszawa.schema_name)
    assert search("piknik").total == 0


def test_making_a_page_private_removes_it(backend, indexed, warszawa):
    from wagtail.models import PageViewRestriction

    assert search("warsztaty diagnostyczne").total >= 1
    PageViewRestriction.objects.create(
        page=indexed["news"], restriction_type="password", password="x"
    )
    process(warszawa.schema_name)
    assert "Ruszają warsztaty diagnostyczne" not in titles(search("warsztaty diagnostyczne"))


def test_uploaded_document_text_is_indexed_after_extraction(backend, indexed, warszawa):
    from programmes.factories import ProgrammeDocumentFactory, document_file, docx_bytes
    from programmes.tasks import extract_document_text

    document = ProgrammeDocumentFactory(
        title="Protokół z posiedzenia zespołu",
        file=document_file(docx_bytes("Omówiono harmonogram rewitalizacji podwórek."), "p.docx"),
        kind="minutes",
    )
    extract_document_text.call(connection.schema_name, document.pk)
    process(warszawa.schema_name)
    results = search("rewitalizacja podwórka")
    assert titles(results) == ["Protokół z posiedzenia zespołu"]
    assert results.results[0]["kind_label"].endswith(("Minutes", "Protokół"))


def test_renamed_venue_updates_its_meetings(backend, indexed, warszawa):
    palace = indexed["palace"]
    palace.name = "Sala Balowa Ratusza"
    palace.save()
    process(warszawa.schema_name)
    assert titles(search("sala balowa")) == ["Inauguracyjne spotkanie plenarne"]


def test_a_city_never_finds_another_citys_content(backend, warszawa_content, cities):
    warszawa, wroclaw = cities["warszawa"], cities["wroclaw"]
    connection.set_tenant(wroclaw)
    build_wroclaw()
    reindex_city(wroclaw)
    connection.set_tenant(warszawa)
    reindex_city(warszawa)

    connection.set_tenant(warszawa)
    here = search("inauguracyjne spotkanie plenarne")
    assert here.total >= 1
    assert all("warszawa.localhost" in r["full_url"] for r in here.results)
    assert search("Legnicka 65").total == 0
    # Asking a city's search for other cities changes nothing.
    assert search("Legnicka 65", cities=["wroclaw"]).total == 0

    connection.set_tenant(wroclaw)
    there = search("inauguracyjne spotkanie plenarne")
    assert there.total >= 1
    assert all("wroclaw.localhost" in r["full_url"] for r in there.results)
    assert search("palac slubow").total == 0


def test_platform_search_spans_cities_and_labels_them(backend, warszawa_content, cities):
    warszawa, wroclaw = cities["warszawa"], cities["wroclaw"]
    connection.set_tenant(wroclaw)
    build_wroclaw()
    reindex_city(wroclaw)
    connection.set_tenant(warszawa)
    reindex_city(warszawa)

    connection.set_schema_to_public()
    results = search("inauguracyjne spotkanie plenarne")
    assert results.cross_city
    cities_found = {r["city"]["name"] for r in results.results}
    assert {"Warszawa", "Wrocław"} <= cities_found
    for result in results.results:
        assert result["url"].startswith("http://")
        host = "warszawa" if result["city"]["slug"] == "warszawa" else "wroclaw"
        assert f"{host}.localhost" in result["url"]
    assert {f["value"] for f in results.facets["city"]} >= {"warszawa", "wroclaw"}
    only_wroclaw = search("inauguracyjne spotkanie plenarne", cities=["wroclaw"])
    assert {r["city"]["slug"] for r in only_wroclaw.results} == {"wroclaw"}
