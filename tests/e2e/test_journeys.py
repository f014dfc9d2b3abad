"""The product as people use it, in a real browser: an editor, a resident, two cities."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django_tenants.utils import schema_context
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e

PASSWORD = "e2e-Haslo-2026!"  # noqa: S105


@pytest.fixture(scope="module")
def accounts(e2e_cities, django_db_blocker):
    """An editor and a moderator of Warszawa (created as the provisioning command does)."""
    from tenants.provisioning import create_city_editor

    with django_db_blocker.unblock():
        editor, _ = create_city_editor(
            e2e_cities["warszawa"].slug, "redaktor@e2e.example.org", PASSWORD
        )
        moderator, _ = create_city_editor(
            e2e_cities["warszawa"].slug, "moderator@e2e.example.org", PASSWORD, moderator=True
        )
    return {"editor": editor.username, "moderator": moderator.username}


def log_in(page, url: str, username: str) -> None:
    """The Wagtail login form, in Polish."""
    page.goto(url + "admin/login/")
    expect(page.locator("html")).to_have_attribute("lang", re.compile(r"^pl"))
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill(PASSWORD)
    page.get_by_role("button", name=re.compile("Zaloguj", re.I)).click()
    expect(page).to_have_url(re.compile(r"/admin/$"))


# --- Resident ---------------------------------------------------------------------


def test_resident_finds_the_open_space_without_diacritics_and_downloads_the_report(site, page):
    page.goto(site.wroclaw("/"))
    search = page.get_by_role("searchbox")
    search.fill("open space zajezdnia")
    search.press("Enter")
    expect(page).to_have_url(re.compile(r"/search/\?q=open\+space\+zajezdnia"))
    # The session's page (the report PDF is found too: it is a result with a file type).
    result = (
        page.locator("ol.result-list li.result")
        .filter(has_not=page.locator(".result-file"))
        .filter(has_text="Open Space")
        .locator("h3 a")
        .first
    )
    expect(result).to_be_visible()
    result.click()
    expect(page.locator("h1")).to_contain_text("Open Space")

    report = page.locator("#report-heading + p a[download]")
    expect(report).to_be_visible()
    with page.expect_download() as download_info:
        report.click()
    download = download_info.value
    assert download.suggested_filename.endswith(".pdf")
    with open(download.path(), "rb") as file:
        assert file.read(5) == b"%PDF-"
    # The response itself, as the browser gets it (same origin, same cookies).
    content_type = page.evaluate(
        "async (a) => (await fetch(a.href)).headers.get('content-type')",
        report.element_handle(),
    )
    assert content_type.startswith("application/pdf")


def test_resident_registers_for_a_warsaw_meeting_and_cancels_by_the_mail_link(
    site, page, e2e_cities
):
    from programmes.models import MeetingPage
    from programmes.registration.models import Registration

    schema = e2e_cities["warszawa"].schema_name
    with schema_context(schema):
        meeting = MeetingPage.objects.live().filter(registration_mode="form").first()
        url = meeting.url
    mail.outbox.clear()

    page.goto(site.warszawa(url))
    form = page.locator("form.registration-form")
    form.locator("input[name=name]").fill("Ala Przeglądarka")
    form.locator("input[name=email]").fill("ala.e2e@example.org")
    sessions = form.locator("input[name=sessions]")
    if sessions.count():  # a one-session meeting has no choice to make
        sessions.first.check()
    form.locator("input[name=consent]").check()
    form.get_by_role("button").click()
    expect(page.locator("main#main")).to_contain_text("Dziękujemy za zapis")

    # The live server runs in this process: its mail lands in the locmem outbox.
    assert len(mail.outbox) == 1, [m.subject for m in mail.outbox]
    message = mail.outbox[0]
    assert message.to == ["ala.e2e@example.org"] and meeting.title in message.subject
    link = re.search(r"https?://\S+(/udzial/cancel/[^/\s]+/)", message.body)
    assert link, message.body
    host = urlsplit(re.search(r"https?://[^/\s]+", link.group(0)).group(0)).hostname
    assert host == "e2e-warszawa.localhost"
    with schema_context(schema):
        assert Registration.objects.filter(email="ala.e2e@example.org").exists()

    page.goto(site.warszawa(link.group(1)))
    page.locator("form[data-action=cancel] button[type=submit]").click()
    # The confirmation page (without the cancel form) means the POST was answered.
    expect(page.locator("form[data-action=cancel]")).to_have_count(0)
    with schema_context(schema):
        assert not Registration.objects.filter(email="ala.e2e@example.org").exists()


# --- Isolation --------------------------------------------------------------------


def test_warszawa_editor_session_does_not_open_wroclaw_admin(site, new_context, accounts):
    context = new_context()
    page = context.new_page()
    log_in(page, site.warszawa(), accounts["editor"])
    expect(page.locator("body")).to_contain_text("Strony")  # Polish admin menu

    # Same browser, same cookies jar: Wrocław's admin asks for a login.
    page.goto(site.wroclaw("/admin/"))
    expect(page).to_have_url(re.compile(r"e2e-wroclaw\.localhost:\d+/admin/login/"))
    expect(page.locator("input[name=password]")).to_be_visible()
    # Even the session cookie carried over by hand is unknown in Wrocław's schema.
    cookies = {c["name"]: c for c in context.cookies(site.warszawa())}
    assert "sessionid" in cookies
    context.add_cookies(
        [
            {
                "name": "sessionid",
                "value": cookies["sessionid"]["value"],
                "domain": "e2e-wroclaw.localhost",
                "path": "/",
            }
        ]
    )
    page.goto(site.wroclaw("/admin/"))
    expect(page).to_have_url(re.compile(r"/admin/login/"))
    page.goto(site.warszawa("/admin/"))
    expect(page).to_have_url(re.compile(r"e2e-warszawa\.localhost:\d+/admin/$"))
