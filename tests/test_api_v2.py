"""Wagtail API v2 (/api/v2/): every custom field, expanded objects, typed streams."""

from __future__ import annotations

import pytest
from _api_content import build_content
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.api import APIField

HOST = "warszawa.localhost"


@pytest.fixture
def content(city):
    return build_content()


def ok(client, url, **params):
    response = client.get(url, params, HTTP_HOST=HOST)
    assert response.status_code == 200, (url, response.status_code, response.content[:500])
    return response.json()


def api_field_names(model):
    return [field.name if isinstance(field, APIField) else field for field in model.api_fields]


@pytest.mark.django_db
def test_every_custom_field_of_every_page_type_is_exposed(client, content):
    pages = [
        content.home,
        content.index,
        content.programme,
        content.workshop,
        content.open_space,
        content.expert_panel,
        content.consultation,
        content.working_group,
        content.news_new,
        content.library,
    ]
    for page in pages:
        data = ok(client, f"/api/v2/pages/{page.pk}/")
        model = type(page)
        missing = [name for name in api_field_names(model) if name not in data]
        assert not missing, (model.__name__, missing)
        assert data["meta"]["type"] == f"programmes.{model.__name__}"


@pytest.mark.django_db
def test_snippets_and_documents_are_expanded_objects(client, content):
    programme = ok(client, f"/api/v2/pages/{content.programme.pk}/")
    assert programme["lead_organisation"]["name"] == "Centrum Komunikacji Społecznej"
    assert programme["lead_organisation"]["address"]
    coordinator = programme["coordinator"]
    assert coordinator["display_name"] == "dr Anna Kowalska"
    assert coordinator["photo"]["renditions"]["medium"]["url"].startswith("http://")
    assert programme["partners"][0]["organisation"]["kind"] == "ngo"
    assert [phase["name"] for phase in programme["phases"]] == ["Diagnoza", "Warsztaty"]

    meeting = ok(client, f"/api/v2/pages/{content.workshop.pk}/")
    venue = meeting["sessions"][0]["venue"]
    assert venue["name"] == "Pałac Ślubów"
    assert venue["full_address"] == "pl. Zamkowy 6, 00-277 Warszawa"
    assert meeting["sessions"][1]["venue"] is None
    assert meeting["facilitators"][0]["person"]["name"] == "Anna Kowalska"

    plenary = ok(client, f"/api/v2/pages/{content.plenary.pk}/")
    document = plenary["outcome_documents"][0]["document"]
    assert document["download_url"].startswith("http://warszawa.localhost/documents/")
    assert document["file_size"] > 0 and document["kind"] == "minutes"

    consultation = ok(client, f"/api/v2/pages/{content.consultation.pk}/")
    assert consultation["report"]["title"] == "Raport z warsztatów diagnostycznych"
    assert consultation["draft_document"]["kind"] == "minutes"
    expert_panel = ok(client, f"/api/v2/pages/{content.expert_panel.pk}/")
    assert expert_panel["members"][0]["person"]["name"]


@pytest.mark.django_db
def test_streamfield_is_typed_json_with_images_and_documents_expanded(client, content):
    body = ok(client, f"/api/v2/pages/{content.programme.pk}/")["body"]
    by_type = {block["type"]: block for block in body}
    assert by_type["heading"]["value"] == {"text": "Cele programu", "level": "h2"}
    assert by_type["paragraph"]["value"] == "<p>Więcej <b>dialogu</b>.</p>"
    assert by_type["goal"]["value"]["title"] == "Lepsza komunikacja"
    image = by_type["image"]["value"]
    assert image["alt"] == "Warsztaty" and image["decorative"] is False
    assert set(image["renditions"]) == {"thumbnail", "medium", "large"}
    assert image["renditions"]["thumbnail"]["width"] <= 400
    document = by_type["document"]["value"]
    assert document["label"] == "Pobierz raport"
    assert document["document"]["file_extension"] == "pdf"
    assert document["document"]["download_url"].startswith("http://warszawa.localhost/")
    assert all(block["id"] for block in body)


@pytest.mark.django_db
def test_listing_of_meetings_by_date_with_child_relations_in_few_queries(client, content):
    params = {
        "type": "programmes.MeetingPage",
        "order": "first_session_start",
        "fields": "kind,status,first_session_start,sessions,facilitators",
    }
    with CaptureQueriesContext(connection) as queries:
        data = ok(client, "/api/v2/pages/", **params)
    starts = [item["first_session_start"] for item in data["items"]]
    assert starts == sorted(starts)
    assert data["meta"]["total_count"] == 7
    assert "Szkic spotkania" not in [item["title"] for item in data["items"]]
    assert any(item["sessions"] and item["sessions"][0]["venue"] for item in data["items"])
    # Prefetched: the count does not grow with the number of meetings and sessions.
    statements = [q["sql"] for q in queries.captured_queries if not q["sql"].startswith("SET ")]
    assert len(statements) < 20, "\n".join(sql[:150] for sql in statements)


@pytest.mark.django_db
def test_drafts_and_private_pages_are_not_in_v2(client, content):
    for page in (content.draft, content.private):
        response = client.get(f"/api/v2/pages/{page.pk}/", HTTP_HOST=HOST)
        assert response.status_code == 404
        assert response.json()["error"]["code"] == "not_found"


@pytest.mark.django_db
def test_v2_errors_use_the_common_shape(client, content):
    for params, status in (
        ({"locale": "xx"}, 400),
        ({"type": "nope.Nothing"}, 400),
        ({"limit": "1000"}, 400),
        ({"offset": "-1"}, 400),
        ({"unknown_param": "1"}, 400),
        ({"fields": "nonsense("}, 400),
    ):
        response = client.get("/api/v2/pages/", params, HTTP_HOST=HOST)
        assert response.status_code == status, (params, response.content)
        error = response.json()["error"]
        assert error["code"] == "invalid" and error["message"]
    response = client.get("/api/v2/pages/99999999/", HTTP_HOST=HOST)
    assert response.json() == {
        "error": {
            "code": "not_found",
            "message": response.json()["error"]["message"],
            "details": None,
        }
    }


@pytest.mark.django_db
def test_v2_locale_filter(client, content):
    from wagtail.models import Locale

    translated = content.programme.copy_for_translation(
        Locale.objects.get(language_code="en"), copy_parents=True
    )
    translated.save_revision().publish()
    en = ok(client, "/api/v2/pages/", locale="en", type="programmes.ProgrammePage")
    assert [item["id"] for item in en["items"]] == [translated.pk]
    assert en["items"][0]["meta"]["locale"] == "en"


@pytest.mark.django_db
def test_images_and_documents_endpoints(client, content):
    images = ok(client, "/api/v2/images/")
    image = images["items"][0]
    assert image["alt"] == "Portret koordynatorki"
    assert image["renditions"]["large"]["url"].startswith("http://warszawa.localhost/")
    documents = ok(client, "/api/v2/documents/", fields="*")
    by_title = {item["title"]: item for item in documents["items"]}
    report = by_title["Raport z warsztatów diagnostycznych"]
    assert report["kind"] == "report" and report["file_extension"] == "pdf"
    assert report["file_size"] > 0
    assert report["programme"]["id"] == content.programme.pk
    assert report["meta"]["download_url"].startswith("http://warszawa.localhost/documents/")
