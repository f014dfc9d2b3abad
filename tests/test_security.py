"""Security rules: login throttling per city, roles, sessions, media, rich text, uploads, CSP.

Runs with the test settings (same middleware and policies as production,
HTTP instead of HTTPS); tests/test_smoke_production.py checks the headers
production adds through nginx.
"""

import json
import re

import pytest
from bs4 import BeautifulSoup
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection
from django.test import override_settings

from tenants.provisioning import create_city_editor

WARSZAWA, WROCLAW = "warszawa.localhost", "wroclaw.localhost"
PASSWORD = "Bardzo-Dlugie-Haslo-7"


def _login(client, host, username, password):
    return client.post(
        "/admin/login/", {"username": username, "password": password}, HTTP_HOST=host
    )


# --- login throttling ----------------------------------------------------------


@pytest.mark.django_db
@override_settings(AXES_FAILURE_LIMIT=3)
def test_failed_logins_lock_out_one_city_only(cities, client):
    email = "redaktor@dialog.pl"
    create_city_editor("warszawa", email, PASSWORD)
    create_city_editor("wroclaw", email, PASSWORD)

    for _attempt in range(3):
        response = _login(client, WARSZAWA, email, "zle-haslo")
        assert response.status_code in (200, 429)
    # Locked out: even the right password is refused, with 429 and a Polish page.
    locked = _login(client, WARSZAWA, email, PASSWORD)
    assert locked.status_code == 429
    assert "logowa" in locked.content.decode().lower()
    assert "_auth_user_id" not in client.session

    # Same user name, same address, other city: its own counter, not locked.
    client.cookies.clear()
    ok = _login(client, WROCLAW, email, PASSWORD)
    assert ok.status_code == 302 and ok["Location"].startswith("/admin/")

    from axes.models import AccessAttempt

    connection.set_tenant(cities["warszawa"])
    assert AccessAttempt.objects.filter(username=email).get().failures_since_start >= 3
    connection.set_tenant(cities["wroclaw"])
    assert not AccessAttempt.objects.filter(username=email).exists()


def test_client_address_comes_from_the_trusted_proxy_hop(rf):
    from cms.security import client_ip

    request = rf.get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 10.1.2.3")
    with override_settings(DIALOG_TRUSTED_PROXY_COUNT=0):
        assert client_ip(request) == "127.0.0.1"
    with override_settings(DIALOG_TRUSTED_PROXY_COUNT=1):
        # The client-supplied 6.6.6.6 is ignored: nginx appended 10.1.2.3.
        assert client_ip(request) == "10.1.2.3"
    with override_settings(DIALOG_TRUSTED_PROXY_COUNT=2):
        assert client_ip(request) == "6.6.6.6"


def test_password_validators_refuse_weak_passwords():
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    for weak in ("12345678", "password", "krotkie"):
        with pytest.raises(ValidationError):
            validate_password(weak)
    validate_password(PASSWORD)


# --- roles -----------------------------------------------------------------------


def _edit_form_data(response):
    """Every field of Wagtail's page edit form, as the browser would post it."""
    soup = BeautifulSoup(response.content, "html.parser")
    form = soup.find("form", attrs={"data-edit-form": True}) or soup.find(
        "form", id="page-edit-form"
    )
    data = {}
    for field in form.find_all(["input", "textarea", "select"]):
        name = field.get("name")
        if not name or field.get("type") in ("submit", "button", "file"):
            continue
        if field.name == "textarea":
            data[name] = field.text
        elif field.name == "select":
            chosen = field.find("option", selected=True)
            data[name] = chosen.get("value", "") if chosen else ""
        elif field.get("type") in ("checkbox", "radio"):
            if field.has_attr("checked"):
                data[name] = field.get("value", "on")
        else:
            data[name] = field.get("value", "")
    return data


def _home():
    """The city's Polish home page: the root of its Site (translations are siblings)."""
    from wagtail.models import Site

    return Site.objects.get(is_default_site=True).root_page.specific


@pytest.fixture
def programme_index(city):
    from programmes.factories import ProgrammeIndexPageFactory

    return ProgrammeIndexPageFactory(parent=_home(), title="Programy", slug="p")


@pytest.mark.django_db
def test_editor_submits_for_moderation_and_moderator_publishes(city, programme_index, client):
    from wagtail.models import Page

    editor, _pw = create_city_editor("warszawa", "edytor@um.pl", PASSWORD)
    moderator, _pw = create_city_editor("warszawa", "moderator@um.pl", PASSWORD, moderator=True)
    connection.set_tenant(city)
    page = programme_index
    edit_url = f"/admin/pages/{page.pk}/edit/"

    assert not page.permissions_for_user(editor).can_publish()
    assert page.permissions_for_user(editor).can_edit()
    assert page.permissions_for_user(moderator).can_publish()

    client.force_login(editor)
    form = client.get(edit_url, HTTP_HOST=WARSZAWA)
    assert form.status_code == 200
    data = _edit_form_data(form)
    assert 'name="action-publish"' not in form.content.decode()
    # Posting "publish" anyway does not publish: the change stays a draft.
    client.post(
        edit_url, {**data, "title": "Programy (szkic)", "action-publish": "1"}, HTTP_HOST=WARSZAWA
    )
    connection.set_tenant(city)
    page = Page.objects.get(pk=page.pk)
    assert page.title == "Programy" and page.has_unpublished_changes
    # "Submit for moderation" starts the moderators' workflow.
    client.post(
        edit_url, {**data, "title": "Programy (szkic)", "action-submit": "1"}, HTTP_HOST=WARSZAWA
    )
    connection.set_tenant(city)
    page = Page.objects.get(pk=page.pk)
    assert page.workflow_in_progress
    assert client.get("/p/", HTTP_HOST=WARSZAWA).content.decode().count("Programy (szkic)") == 0

    connection.set_tenant(city)
    client.force_login(moderator)
    form = client.get(edit_url, HTTP_HOST=WARSZAWA)
    data = _edit_form_data(form)
    client.post(
        edit_url, {**data, "title": "Programy 2026", "action-publish": "1"}, HTTP_HOST=WARSZAWA
    )
    connection.set_tenant(city)
    assert Page.objects.get(pk=page.pk).title == "Programy 2026"
    assert "Programy 2026" in client.get("/p/", HTTP_HOST=WARSZAWA).content.decode()


@pytest.mark.django_db
def test_anonymous_visitor_gets_no_admin_and_no_drafts(city, programme_index, client):
    page = programme_index
    page.title = "Tajny szkic"
    page.save_revision()
    response = client.get(f"/admin/pages/{page.pk}/edit/", HTTP_HOST=WARSZAWA)
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    assert client.get("/admin/", HTTP_HOST=WARSZAWA).status_code == 302
    public = client.get("/p/", HTTP_HOST=WARSZAWA)
    assert public.status_code == 200 and "Tajny szkic" not in public.content.decode()
    preview = client.get(f"/admin/pages/{page.pk}/edit/preview/", HTTP_HOST=WARSZAWA)
    assert preview.status_code == 302


# --- sessions and media across cities ------------------------------------------------


@pytest.mark.django_db
def test_session_cookie_of_one_city_is_refused_by_another(cities, client):
    from django.contrib.auth import get_user_model

    connection.set_tenant(cities["warszawa"])
    admin = get_user_model().objects.create_superuser("szef@um.pl", "szef@um.pl", PASSWORD)
    client.force_login(admin)
    cookie = client.cookies["sessionid"].value
    assert client.get("/admin/", HTTP_HOST=WARSZAWA).status_code == 200
    # The very same cookie sent to Wrocław: unknown session there.
    client.cookies["sessionid"] = cookie
    response = client.get("/admin/", HTTP_HOST=WROCLAW)
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    # And a Wrocław user with the same id gains nothing from it.
    connection.set_tenant(cities["wroclaw"])
    get_user_model().objects.create_user("inny@um.pl", "inny@um.pl", PASSWORD)
    assert client.get("/admin/", HTTP_HOST=WROCLAW).status_code == 302


@pytest.fixture
def warszawa_file(cities):
    connection.set_tenant(cities["warszawa"])
    name = default_storage.save("security/plan.txt", ContentFile(b"Plan Warszawy"))
    connection.set_schema_to_public()
    yield name
    connection.set_tenant(cities["warszawa"])
    default_storage.delete(name)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "mode",
    [{"DIALOG_SERVE_MEDIA": True}, {"DIALOG_MEDIA_ACCEL_PREFIX": "/_media_internal/"}],
    ids=["served-by-django", "x-accel-redirect"],
)
def test_media_url_of_one_city_is_not_served_under_another_domain(warszawa_file, client, mode):
    url = f"/media/warszawa/{warszawa_file}"
    with override_settings(**mode):
        own = client.get(url, HTTP_HOST=WARSZAWA)
        other = client.get(url, HTTP_HOST=WROCLAW)
        traversal = client.get(f"/media/wroclaw/../warszawa/{warszawa_file}", HTTP_HOST=WROCLAW)
    assert own.status_code == 200
    if "DIALOG_MEDIA_ACCEL_PREFIX" in mode:
        assert own["X-Accel-Redirect"] == f"/_media_internal/warszawa/{warszawa_file}"
    else:
        assert b"".join(own.streaming_content) == b"Plan Warszawy"
    assert other.status_code == 404
    assert traversal.status_code == 404


# --- content -------------------------------------------------------------------------


@pytest.mark.django_db
def test_script_typed_into_rich_text_is_escaped_not_run(city, client):
    """Rich text reaches the database through the editor, which keeps only whitelisted markup.

    (Wagtail renders stored rich text as it is: HTML written by code, e.g. an
    import, is trusted and must be cleaned there.)
    """
    from django.contrib.auth import get_user_model

    from programmes.models import HomePage

    admin = get_user_model().objects.create_superuser("rt@um.pl", "rt@um.pl", PASSWORD)
    client.force_login(admin)
    home = _home()
    edit_url = f"/admin/pages/{home.pk}/edit/"
    data = _edit_form_data(client.get(edit_url, HTTP_HOST=WARSZAWA))
    block = {"key": "a1", "type": "unstyled", "depth": 0, "data": {}}
    data["intro"] = json.dumps(
        {
            "blocks": [
                {
                    **block,
                    "text": '<script>alert("xss")</script> Witamy',
                    "inlineStyleRanges": [],
                    "entityRanges": [{"offset": 0, "length": 5, "key": 0}],
                }
            ],
            # A link entity smuggling a javascript: URL.
            "entityMap": {
                "0": {
                    "type": "LINK",
                    "mutability": "MUTABLE",
                    "data": {"url": "javascript:alert(1)"},
                }
            },
        }
    )
    response = client.post(edit_url, {**data, "action-publish": "1"}, HTTP_HOST=WARSZAWA)
    assert response.status_code == 302
    connection.set_tenant(city)
    stored = HomePage.objects.get(pk=home.pk).intro
    # The text is escaped; the javascript: link lost its href.
    assert "<script" not in stored and "&lt;scri" in stored
    assert "javascript:" not in stored
    html = client.get("/", HTTP_HOST=WARSZAWA).content.decode()
    assert "Witamy" in html
    assert '<script>alert("xss")' not in html
    assert "javascript:alert" not in html


@pytest.mark.django_db
def test_admin_upload_is_checked_by_content_not_extension(city, client):
    from django.contrib.auth import get_user_model
    from django.core.files.uploadedfile import SimpleUploadedFile
    from wagtail.models import Collection

    from programmes.documents import ProgrammeDocument

    admin = get_user_model().objects.create_superuser("admin@um.pl", "admin@um.pl", PASSWORD)
    client.force_login(admin)
    collection = Collection.get_first_root_node()
    fields = {"title": "Raport", "collection": collection.pk, "kind": "report", "language": "pl"}
    disguised = SimpleUploadedFile(
        "raport.pdf", b"<html><script>alert(1)</script></html>", content_type="application/pdf"
    )
    response = client.post(
        "/admin/documents/add/",
        {**fields, "file": disguised},
        HTTP_HOST=WARSZAWA,
    )
    assert response.status_code == 200  # the form again, with an error
    assert "HTML" in response.content.decode()
    connection.set_tenant(city)
    assert not ProgrammeDocument.objects.filter(title="Raport").exists()

    from programmes.factories import pdf_bytes

    genuine = SimpleUploadedFile("raport.pdf", pdf_bytes("Raport z warsztatów"))
    response = client.post(
        "/admin/documents/add/",
        {**fields, "file": genuine},
        HTTP_HOST=WARSZAWA,
    )
    assert response.status_code == 302, response.context["form"].errors
    connection.set_tenant(city)
    assert ProgrammeDocument.objects.get(title="Raport").mime_type == "application/pdf"


# --- Content-Security-Policy -------------------------------------------------------------

_EXECUTABLE = re.compile(r"<script\b(?![^>]*\bsrc=)(?![^>]*type=\"application/(?:ld\+)?json\")")


def _csp(response) -> dict[str, str]:
    return {
        part.strip().split(" ", 1)[0]: part.strip()
        for part in response["Content-Security-Policy"].split(";")
        if part.strip()
    }


@pytest.mark.django_db
def test_public_pages_need_no_inline_script_under_the_strict_policy(city, programme_index, client):
    for path in ("/", "/p/"):
        response = client.get(path, HTTP_HOST=WARSZAWA)
        assert response.status_code == 200
        policy = _csp(response)
        assert policy["script-src"] == "script-src 'self'"
        html = response.content.decode()
        assert not _EXECUTABLE.search(html), f"inline script on {path}"
        assert not re.search(r"\son[a-z]+=", html), f"inline event handler on {path}"
        # Every script and stylesheet comes from our own origin.
        soup = BeautifulSoup(html, "html.parser")
        urls = [tag["src"] for tag in soup.find_all("script", src=True)]
        urls += [tag["href"] for tag in soup.find_all("link", rel="stylesheet", href=True)]
        assert urls
        for url in urls:
            assert url.startswith("/") and not url.startswith("//"), url


@pytest.mark.django_db
def test_admin_pages_work_under_their_policy(city, programme_index, client):
    """The admin's policy allows what Wagtail's admin markup needs, and nothing external."""
    from django.contrib.auth import get_user_model

    admin = get_user_model().objects.create_superuser("csp@um.pl", "csp@um.pl", PASSWORD)
    client.force_login(admin)
    page = programme_index
    paths = [
        "/admin/",
        f"/admin/pages/{page.pk}/",
        f"/admin/pages/{page.pk}/edit/",
        f"/admin/pages/add/programmes/programmepage/{page.pk}/",
        "/admin/documents/",
        "/admin/images/",
        "/admin/users/",
        "/admin/reports/locked/",
    ]
    for path in paths:
        response = client.get(path, HTTP_HOST=WARSZAWA)
        assert response.status_code == 200, path
        policy = _csp(response)
        assert policy["script-src"] == "script-src 'self' 'unsafe-inline'"
        assert policy["style-src"] == "style-src 'self' 'unsafe-inline'"
        html = response.content.decode()
        # No inline event handlers or javascript: URLs ('unsafe-inline' would
        # allow them, but Wagtail uses none: keep it that way).
        assert not re.search(r"\son[a-z]+=\"", html), path
        assert "javascript:" not in html, path
        for url in re.findall(r'<(?:script|link|img|iframe)[^>]+(?:src|href)="([^"]+)"', html):
            assert not re.match(r"(https?:)?//", url), f"{path} loads {url}"
