"""update_city: what an operator changes on a city (name, contact, frontend, CORS, colour)."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django_tenants.utils import schema_context

from tenants.models import City
from tenants.provisioning import ProvisioningError, update_city, validate_origin

HOST = "warszawa.localhost"
FRONTEND = "https://dialog.um.warszawa.pl"


def _city(slug="warszawa"):
    connection.set_schema_to_public()
    return City.objects.get(slug=slug)


def _allows(client, origin, path="/api/v1/programmes/"):
    response = client.get(path, HTTP_HOST=HOST, HTTP_ORIGIN=origin)
    assert response.status_code == 200
    return response.get("Access-Control-Allow-Origin") == origin


@pytest.mark.django_db
def test_operator_opens_the_api_to_a_frontend_and_closes_it_again(cities, client, capsys):
    assert not _allows(client, FRONTEND)  # nothing is open by default

    call_command(
        "update_city",
        "warszawa",
        "--cors-origins",
        "HTTPS://Dialog.UM.warszawa.pl/, http://localhost:3000",
        "--frontend-url",
        f"{FRONTEND}/preview",
    )
    out = capsys.readouterr().out
    assert "changed frontend_url, cors_origins" in out
    assert f"CORS origins: {FRONTEND}, http://localhost:3000" in out
    city = _city()
    assert city.cors_origin_list == [FRONTEND, "http://localhost:3000"]
    assert city.frontend_url == f"{FRONTEND}/preview"
    # In force at once in this process (the host lookup forgets the old city).
    assert _allows(client, FRONTEND)
    assert _allows(client, "http://localhost:3000", "/api/v2/pages/")
    assert not _allows(client, "https://evil.example")

    call_command("update_city", "warszawa", "--remove-cors-origin", f"{FRONTEND}/")
    assert _city().cors_origin_list == ["http://localhost:3000"]
    assert not _allows(client, FRONTEND)
    call_command("update_city", "warszawa", "--add-cors-origin", FRONTEND)
    call_command("update_city", "warszawa", "--add-cors-origin", FRONTEND)  # no duplicate
    assert _city().cors_origin_list == ["http://localhost:3000", FRONTEND]
    call_command("update_city", "warszawa", "--cors-origins", "", "--frontend-url", "")
    city = _city()
    assert (city.cors_origins, city.frontend_url) == ("", "")
    assert not _allows(client, "http://localhost:3000")


@pytest.mark.django_db
def test_a_new_name_reaches_the_site_and_the_platform_list(cities, client, capsys):
    from wagtail.models import Site

    call_command(
        "update_city",
        "wroclaw",
        "--name",
        "Wrocław – Dialog",
        "--contact-email",
        "dialog@um.wroc.pl",
        "--brand-colour",
        "#A01010",
    )
    city = _city("wroclaw")
    assert (city.name, city.contact_email, city.brand_colour) == (
        "Wrocław – Dialog",
        "dialog@um.wroc.pl",
        "#a01010",
    )
    with schema_context("wroclaw"):
        assert list(Site.objects.values_list("site_name", flat=True)) == ["Wrocław – Dialog"]
    listing = client.get("/api/v1/cities/wroclaw/", HTTP_HOST="localhost")
    assert listing.status_code == 200 and listing.json()["name"] == "Wrocław – Dialog"

    # Without options: the settings, nothing changed.
    capsys.readouterr()
    call_command("update_city", "wroclaw")
    out = capsys.readouterr().out
    assert "changed" not in out
    assert "name: Wrocław – Dialog" in out and "CORS origins: - (no browser access)" in out


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("options", "message"),
    [
        (["--cors-origins", "*"], "is not allowed"),
        (["--add-cors-origin", "null"], "is not allowed"),
        (["--add-cors-origin", "https://dialog.example/path"], "Malformed origin"),
        (["--add-cors-origin", "ftp://dialog.example"], "Malformed origin"),
        (["--add-cors-origin", "http://localhost:99999"], "Malformed origin"),
        (["--remove-cors-origin", "https://never.listed.example"], "is not among"),
        (["--frontend-url", "javascript:alert(1)"], "Malformed frontend URL"),
        (["--frontend-url", "dialog.um.warszawa.pl"], "Malformed frontend URL"),
        (["--contact-email", "not-an-address"], "Invalid e-mail"),
        (["--brand-colour", "red"], "Malformed colour"),
        (["--name", "   "], "1 to 100 characters"),
    ],
)
def test_bad_values_are_one_line_errors_and_change_nothing(cities, options, message):
    before = City.objects.filter(slug="warszawa").values().get()
    with pytest.raises(CommandError) as raised:
        # A valid change next to the bad one is not applied either.
        call_command("update_city", "warszawa", "--name", "Zmieniona", *options)
    assert raised.value.returncode == 2
    assert message in str(raised.value) and "\n" not in str(raised.value)
    assert City.objects.filter(slug="warszawa").values().get() == before


@pytest.mark.django_db
def test_unknown_city_and_the_platform_are_refused(cities):
    from tenants.provisioning import ensure_platform

    with pytest.raises(ProvisioningError, match="No city with the slug 'gdynia'"):
        update_city("gdynia", name="Gdynia")
    platform = ensure_platform()
    with pytest.raises(ProvisioningError, match="the platform itself"):
        update_city(platform.slug, name="Inna")


def test_origins_are_normalised_like_browsers_send_them():
    assert validate_origin(" HTTP://LocalHost:3000/ ") == "http://localhost:3000"
    assert validate_origin("https://127.0.0.1:8443") == "https://127.0.0.1:8443"
    with pytest.raises(ProvisioningError):
        validate_origin("https://" + "a" * 5000 + "!")


@pytest.mark.django_db
def test_a_city_can_be_created_open_to_its_frontend(cities, client):
    from tenants.provisioning import delete_city

    call_command(
        "create_city",
        "opole",
        "--name",
        "Opole",
        "--domain",
        "opole.localhost",
        "--frontend-url",
        "https://dialog.opole.pl/preview",
        "--cors-origins",
        "https://Dialog.Opole.pl/,http://localhost:3000",
    )
    try:
        city = _city("opole")
        assert city.frontend_url == "https://dialog.opole.pl/preview"
        assert city.cors_origin_list == ["https://dialog.opole.pl", "http://localhost:3000"]
        response = client.get(
            "/api/v1/programmes/",
            HTTP_HOST="opole.localhost",
            HTTP_ORIGIN="https://dialog.opole.pl",
        )
        assert response["Access-Control-Allow-Origin"] == "https://dialog.opole.pl"
    finally:
        delete_city("opole")
