"""Cities are isolated: pages, admin logins, media and cache keys."""

import pytest
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection


@pytest.fixture
def warszawa_page(cities):
    from wagtail.models import Page

    connection.set_tenant(cities["warszawa"])
    home = Page.objects.filter(depth=2).order_by("path").first()  # the Polish root
    page = home.add_child(instance=Page(title="Tylko w Warszawie", slug="tylko-w-warszawie"))
    connection.set_schema_to_public()
    yield page
    connection.set_tenant(cities["warszawa"])
    Page.objects.get(pk=page.pk).delete()


@pytest.mark.django_db
def test_page_of_warszawa_is_not_reachable_through_wroclaw(warszawa_page, client):
    assert client.get("/tylko-w-warszawie/", HTTP_HOST="warszawa.localhost").status_code == 200
    assert client.get("/tylko-w-warszawie/", HTTP_HOST="wroclaw.localhost").status_code == 404


@pytest.mark.django_db
def test_page_of_warszawa_is_not_listed_in_wroclaw_admin(cities, warszawa_page, client):
    from wagtail.models import Page

    connection.set_tenant(cities["wroclaw"])
    admin = get_user_model().objects.create_superuser(
        "root@wroclaw.localhost", "r@w.pl", "pw-123456-x"
    )
    wroclaw_home = Page.objects.get(depth=2)
    # Users and sessions live in the city's schema: log in while it is active.
    client.force_login(admin)
    try:
        response = client.get(f"/admin/pages/{wroclaw_home.pk}/", HTTP_HOST="wroclaw.localhost")
        assert response.status_code == 200
        assert "Wrocław" in response.content.decode()
        assert "Tylko w Warszawie" not in response.content.decode()
        search = client.get("/admin/pages/search/?q=Tylko", HTTP_HOST="wroclaw.localhost")
        assert "Tylko w Warszawie" not in search.content.decode()
    finally:
        connection.set_tenant(cities["wroclaw"])
        admin.delete()


@pytest.mark.django_db
def test_editor_of_warszawa_cannot_log_in_to_wroclaw_admin(cities, client):
    from tenants.provisioning import create_city_editor

    user, password = create_city_editor("warszawa", "redaktor@um.warszawa.pl", "Haslo-Testowe-99")
    try:
        ok = client.post(
            "/admin/login/",
            {"username": "redaktor@um.warszawa.pl", "password": password},
            HTTP_HOST="warszawa.localhost",
        )
        assert ok.status_code == 302
        assert client.get("/admin/", HTTP_HOST="warszawa.localhost").status_code == 200
        # The same credentials do not exist in Wrocław's schema.
        refused = client.post(
            "/admin/login/",
            {"username": "redaktor@um.warszawa.pl", "password": password},
            HTTP_HOST="wroclaw.localhost",
        )
        assert refused.status_code == 200  # the login form again, with an error
        # And Warszawa's session cookie means nothing on Wrocław's domain.
        response = client.get("/admin/", HTTP_HOST="wroclaw.localhost")
        assert response.status_code == 302
        assert "/admin/login/" in response["Location"]
    finally:
        connection.set_tenant(cities["warszawa"])
        get_user_model().objects.filter(username="redaktor@um.warszawa.pl").delete()


@pytest.mark.django_db
def test_media_lands_under_the_city_prefix_and_is_not_served_elsewhere(
    cities, client, settings, tmp_path
):
    from pathlib import Path

    settings.DIALOG_SERVE_MEDIA = True
    connection.set_tenant(cities["wroclaw"])
    name = default_storage.save("documents/raport.txt", ContentFile(b"raport z open space"))
    url = default_storage.url(name)
    # The storage's location follows the active city: resolve it before leaving.
    stored = Path(default_storage.path(name))
    connection.set_schema_to_public()
    assert stored.read_bytes() == b"raport z open space"
    assert stored.relative_to(Path(settings.MEDIA_ROOT)).parts[0] == "wroclaw"
    assert url.startswith("/media/wroclaw/")
    served = client.get(url, HTTP_HOST="wroclaw.localhost")
    assert served.status_code == 200
    assert b"".join(served.streaming_content) == b"raport z open space"
    assert client.get(url, HTTP_HOST="warszawa.localhost").status_code == 404
    settings.DIALOG_SERVE_MEDIA = False
    assert client.get(url, HTTP_HOST="wroclaw.localhost").status_code == 404


@pytest.mark.django_db
def test_cache_keys_are_per_city(cities):
    from django.core.cache import cache

    connection.set_tenant(cities["warszawa"])
    cache.set("site-root", "warszawa-root")
    connection.set_tenant(cities["wroclaw"])
    assert cache.get("site-root") is None
    cache.set("site-root", "wroclaw-root")
    connection.set_tenant(cities["warszawa"])
    assert cache.get("site-root") == "warszawa-root"


@pytest.mark.django_db
def test_unknown_host_is_a_404_page_not_a_500(cities, client):
    response = client.get("/", HTTP_HOST="nieznane-miasto.localhost")
    assert response.status_code == 404


@pytest.mark.django_db
def test_platform_domain_lists_active_cities(cities, client):
    from tenants.models import City

    response = client.get("/", HTTP_HOST="localhost")
    body = response.content.decode()
    assert response.status_code == 200
    assert "http://warszawa.localhost/" in body
    assert "http://wroclaw.localhost/" in body
    City.objects.filter(slug="wroclaw").update(is_active=False)
    try:
        assert "wroclaw.localhost" not in client.get("/", HTTP_HOST="localhost").content.decode()
        assert client.get("/", HTTP_HOST="wroclaw.localhost").status_code == 404
    finally:
        City.objects.filter(slug="wroclaw").update(is_active=True)


@pytest.mark.django_db
def test_healthz_reports_database(cities, client):
    response = client.get("/healthz", HTTP_HOST="localhost")
    assert response.status_code == 200
    assert response.json()["checks"]["database"]["ok"] is True
