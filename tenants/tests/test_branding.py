"""City logos: set_city_logo checks images by content, the platform list and API show them."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from PIL import Image

from tenants.models import City
from tenants.storage import PLATFORM_PREFIX

pytestmark = pytest.mark.django_db

PLATFORM_HOST = "localhost"


def image_bytes(kind: str, size=(64, 32)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (11, 83, 148)).save(buffer, format=kind)
    return buffer.getvalue()


def write(tmp_path: Path, name: str, data: bytes) -> str:
    path = tmp_path / name
    path.write_bytes(data)
    return str(path)


def run(*args) -> str:
    out = io.StringIO()
    call_command("set_city_logo", *args, stdout=out)
    return out.getvalue()


def refused(*args) -> str:
    with pytest.raises(CommandError) as error:
        call_command("set_city_logo", *args)
    assert error.value.returncode == 2
    message = str(error.value)
    assert "\n" not in message and "Traceback" not in message
    return message


def stored(name: str) -> Path:
    from django.conf import settings

    return Path(settings.MEDIA_ROOT) / PLATFORM_PREFIX / name


@pytest.fixture
def logo_cleanup(cities):
    yield
    for slug in ("warszawa", "wroclaw"):
        call_command("set_city_logo", slug, "--remove", stdout=io.StringIO())


def test_set_replace_and_remove_a_logo_at_a_stable_platform_path(tmp_path, logo_cleanup):
    output = run("warszawa", write(tmp_path, "herb.png", image_bytes("PNG")))
    assert "/media/_platform/city-logos/warszawa.png" in output
    city = City.objects.get(slug="warszawa")
    assert city.logo.name == "city-logos/warszawa.png"
    assert stored("city-logos/warszawa.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    # Not inside any city's media prefix.
    assert not stored("city-logos/warszawa.png").is_relative_to(stored("").parent / "warszawa")

    # The format comes from the content: a JPEG named .png is stored as .jpg.
    run("warszawa", write(tmp_path, "herb-nowy.png", image_bytes("JPEG")))
    assert City.objects.get(slug="warszawa").logo.name == "city-logos/warszawa.jpg"
    assert not stored("city-logos/warszawa.png").exists()  # the old one is gone
    run("warszawa", write(tmp_path, "herb.webp", image_bytes("WEBP")))
    assert City.objects.get(slug="warszawa").logo.name == "city-logos/warszawa.webp"
    run("warszawa", write(tmp_path, "herb.webp", image_bytes("WEBP")))  # again: same name
    assert City.objects.get(slug="warszawa").logo.name == "city-logos/warszawa.webp"

    assert "logo removed" in run("warszawa", "--remove")
    assert not City.objects.get(slug="warszawa").logo
    assert not stored("city-logos/warszawa.webp").exists()
    assert "had no logo" in run("warszawa", "--remove")


SVG = (
    b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
)


@pytest.mark.parametrize(
    ("name", "data", "expected"),
    [
        ("herb.svg", SVG, "SVG logos are refused"),
        ("herb.png", SVG, "SVG logos are refused"),  # by content, not by name
        ("herb.png", b"   <svg><rect/></svg>", "SVG logos are refused"),
        ("herb.gif", None, "only PNG, JPEG and WebP"),
        ("herb.png", b"%PDF-1.4 not an image", "not a readable PNG, JPEG or WebP"),
        ("herb.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 40, "not a readable PNG, JPEG or WebP"),
        ("herb.png", b"", "empty"),
    ],
)
def test_bad_files_are_refused_with_one_line_and_exit_code_2(
    tmp_path, logo_cleanup, name, data, expected
):
    if data is None:
        data = image_bytes("GIF")
    message = refused("wroclaw", write(tmp_path, name, data))
    assert expected in message
    assert not City.objects.get(slug="wroclaw").logo


def test_size_limits_and_bad_arguments(tmp_path, settings, logo_cleanup):
    settings.DIALOG_CITY_LOGO_MAX_BYTES = 200
    big = image_bytes("PNG", size=(400, 400))
    assert len(big) > 200
    assert "the limit is 200 bytes" in refused("wroclaw", write(tmp_path, "big.png", big))
    settings.DIALOG_CITY_LOGO_MAX_BYTES = 10 * 1024 * 1024
    huge = image_bytes("PNG", size=(5000, 10))
    assert "at most 4096" in refused("wroclaw", write(tmp_path, "wide.png", huge))
    assert "No such file" in refused("wroclaw", str(tmp_path / "missing.png"))
    assert "No city with the slug 'gdansk'" in refused(
        "gdansk", write(tmp_path, "ok.png", image_bytes("PNG"))
    )
    assert "either a logo file or --remove" in refused("wroclaw")
    assert "either a logo file or --remove" in refused(
        "wroclaw", write(tmp_path, "ok.png", image_bytes("PNG")), "--remove"
    )


def test_model_validator_refuses_svg():
    from django.core.exceptions import ValidationError
    from django.core.files.base import ContentFile

    from tenants.branding import validate_logo_file

    validate_logo_file(ContentFile(image_bytes("PNG"), name="ok.png"))
    with pytest.raises(ValidationError):
        validate_logo_file(ContentFile(SVG, name="herb.png"))


def test_platform_home_city_pages_and_media_show_the_logo(tmp_path, settings, client, logo_cleanup):
    settings.DIALOG_SERVE_MEDIA = True
    data = image_bytes("PNG")
    run("warszawa", write(tmp_path, "herb.png", data))
    url = "/media/_platform/city-logos/warszawa.png"

    home = client.get("/", HTTP_HOST=PLATFORM_HOST)
    assert home.status_code == 200
    html = home.content.decode()
    assert f'<img src="{url}" alt="" class="city-logo"' in html
    assert html.count('class="city-logo"') == 1  # Wrocław has none

    page = client.get("/", HTTP_HOST="warszawa.localhost")
    assert page.status_code == 200
    assert f'<img src="{url}"' in page.content.decode()

    # Public on every domain: the platform's and the cities' (another city's too).
    for host in (PLATFORM_HOST, "warszawa.localhost", "wroclaw.localhost"):
        response = client.get(url, HTTP_HOST=host)
        assert response.status_code == 200, host
        assert b"".join(response.streaming_content) == data
    # The platform domain serves the platform prefix only.
    assert client.get("/media/warszawa/x.png", HTTP_HOST=PLATFORM_HOST).status_code == 404
    traversal = "/media/_platform/../warszawa/x.png"
    assert client.get(traversal, HTTP_HOST="wroclaw.localhost").status_code == 404


def test_cities_api_gives_an_absolute_logo_url_or_null(tmp_path, client, logo_cleanup):
    before = client.get("/api/v1/cities/", HTTP_HOST=PLATFORM_HOST)
    run("warszawa", write(tmp_path, "herb.jpg", image_bytes("JPEG")))
    response = client.get(
        "/api/v1/cities/", HTTP_HOST=PLATFORM_HOST, HTTP_IF_NONE_MATCH=before["ETag"]
    )
    assert response.status_code == 200  # a new logo is a new representation
    by_slug = {city["slug"]: city for city in response.json()["results"]}
    assert by_slug["warszawa"]["logo_url"] == (
        "http://localhost/media/_platform/city-logos/warszawa.jpg"
    )
    assert by_slug["wroclaw"]["logo_url"] is None
    detail = client.get("/api/v1/cities/warszawa/", HTTP_HOST=PLATFORM_HOST).json()
    assert detail["logo_url"].endswith("/media/_platform/city-logos/warszawa.jpg")
    schema = client.get("/api/v1/schema/?format=json", HTTP_HOST=PLATFORM_HOST)
    assert "logo_url" in schema.content.decode()


def test_backup_carries_the_logo_and_restore_sets_it(tmp_path, logo_cleanup):
    from tenants.backup import _restore_logo, backup_city, read_manifest

    data = image_bytes("PNG")
    run("wroclaw", write(tmp_path, "herb.png", data))
    folder = backup_city("wroclaw", tmp_path / "backup")
    manifest = read_manifest(folder)  # checks every listed file's checksum
    assert manifest["logo"] == "logo.png"
    assert "logo.png" in manifest["files"]
    assert (folder / "logo.png").read_bytes() == data
    assert "logo" not in manifest["city"]  # the file, not the platform path

    call_command("set_city_logo", "wroclaw", "--remove", stdout=io.StringIO())
    city = City.objects.get(slug="wroclaw")
    _restore_logo(city, folder, manifest["logo"])
    assert City.objects.get(slug="wroclaw").logo.name == "city-logos/wroclaw.png"
    assert stored("city-logos/wroclaw.png").read_bytes() == data
    _restore_logo(city, folder, None)  # a backup without a logo clears it
    assert not City.objects.get(slug="wroclaw").logo
    assert not stored("city-logos/wroclaw.png").exists()
