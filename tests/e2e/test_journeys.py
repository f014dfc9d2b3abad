"""The product as people use it, in a real browser: an editor, a resident, two cities."""

from __future__ import annotations

import datetime
import json
import re
import secrets
import string
import zoneinfo
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django_tenants.utils import schema_context
from playwright.sync_api import expect

from .conftest import run_worker

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


# --- Editor -----------------------------------------------------------------------

WARSAW = zoneinfo.ZoneInfo("Europe/Warsaw")
# The admin form (Wagtail 8) autosaves in the background: a submit sent while an
# autosave is pending races it (on the create view both would create a page).
# Settled = nothing pending and the form's data equals what was last saved.
AUTOSAVE_SETTLED = """() => {
  const form = document.getElementById('page-edit-form');
  const app = window.wagtail && window.wagtail.app;
  if (!form || !app) return false;
  const unsaved = app.getControllerForElementAndIdentifier(form, 'w-unsaved');
  const autosave = app.getControllerForElementAndIdentifier(form, 'w-autosave');
  if (!unsaved || !autosave) return true;  // autosave switched off
  return autosave.submitPromise === null && !autosave.retryTimeout
    && unsaved.initialFormData !== undefined && unsaved.initialFormData === unsaved.formData;
}"""


def unique_word(prefix: str) -> str:
    """A made-up word (letters only, so every analyzer keeps it whole)."""
    return prefix + "".join(secrets.choice(string.ascii_lowercase) for _ in range(8))


def wait_for_autosave(page) -> None:
    page.wait_for_function(AUTOSAVE_SETTLED, polling=100)


def open_actions_and_click(page, button_selector: str) -> None:
    """A button of the footer's action menu (behind its dropdown toggle)."""
    button = page.locator(button_selector)
    menu = page.locator("footer .w-dropdown").filter(has=button)
    menu.locator("button.w-dropdown__toggle").click()
    expect(button).to_be_visible()
    button.click()


def fill_datetime(page, selector: str, value: datetime.datetime) -> None:
    field = page.locator(selector)
    field.fill(value.strftime("%Y-%m-%d %H:%M"))
    field.press("Tab")  # closes the date picker, which keeps the typed value
    expect(field).to_have_value(value.strftime("%Y-%m-%d %H:%M"))


def fetch(page, path: str) -> dict:
    """GET through the page's browser (same host mapping), bypassing its HTTP cache."""
    return page.evaluate(
        """async (path) => {
            const r = await fetch(path, {cache: 'no-store', credentials: 'omit'});
            return {status: r.status, type: r.headers.get('content-type') || '',
                    body: await r.text()};
        }""",
        path,
    )


def log_out(page) -> None:
    page.locator(".sidebar-footer__account").click()
    page.get_by_role("button", name="Wyloguj się").click()
    expect(page).to_have_url(re.compile(r"/admin/login/"))
    expect(page.locator("body")).to_contain_text("wylogowany")


def test_editor_creates_a_meeting_moderator_publishes_it_everywhere(
    site, new_context, accounts, e2e_cities, artifacts, tmp_path
):
    """Issue 10's editor journey, through the Polish admin, then as residents see it.

    What keeps the end deterministic: the submit waits until the admin's
    autosave has nothing pending (else the create view's autosave and the
    submit race, possibly making two pages); each check waits for the
    server's answer (messages) before reading the database; the API and the
    feed are fetched without the browser's HTTP cache; and search is checked
    before and after running the worker in-process (extraction, then the
    search outbox, then an index refresh), since nothing indexes it otherwise.
    """
    import icalendar

    from programmes.demo.files import pdf_bytes
    from programmes.documents import ProgrammeDocument
    from programmes.models import MeetingPage, ProgrammePage
    from programmes.snippets import Venue

    schema = e2e_cities["warszawa"].schema_name
    with schema_context(schema):
        programme = ProgrammePage.objects.live().filter(locale__language_code="pl").first()
        programme_url = programme.url
        venue = Venue.objects.filter(locale__language_code="pl").order_by("name").first()
    pdf_word = unique_word("kwiatostan")  # only inside the PDF
    title = f"Warsztat e2e {unique_word('')}"
    doc_title = f"Notatka e2e {unique_word('')}"
    pdf = tmp_path / "notatka.pdf"
    pdf.write_bytes(pdf_bytes("Notatka ze spotkania", [f"Omówiono {pdf_word} na skwerze."]))
    day = (datetime.datetime.now(WARSAW) + datetime.timedelta(days=40)).replace(
        hour=17, minute=0, second=0, microsecond=0
    )
    sessions = [
        (day, day + datetime.timedelta(hours=2)),
        (day + datetime.timedelta(days=7, minutes=30), day + datetime.timedelta(days=7, hours=2)),
    ]

    context = new_context()
    page = context.new_page()
    try:
        # --- The editor: a meeting with two sessions and a PDF, sent to moderation.
        log_in(page, site.warszawa(), accounts["editor"])
        expect(page.locator("body")).to_contain_text("Strony")
        page.goto(site.warszawa(f"/admin/pages/{programme.pk}/"))
        page.get_by_role("link", name="Dodaj stronę podrzędną", exact=True).click()
        page.locator("a[href*='/add/programmes/meetingpage/']").click()
        expect(page.locator("h1")).to_contain_text("spotkanie", ignore_case=True)
        page.locator("input[name=title]").fill(title)
        page.locator("textarea[name=intro]").fill("Spotkanie o zieleni osiedlowej.")

        page.get_by_role("tab", name="Harmonogram").click()
        fill_datetime(page, "input[name=sessions-0-start]", sessions[0][0])
        fill_datetime(page, "input[name=sessions-0-end]", sessions[0][1])
        first = page.locator("#inline_child_sessions-0")
        first.locator("button.chooser__choose-button").click()
        modal = page.locator(".modal.fade.in, .modal.show").last
        modal.locator("a[data-chooser-modal-choice]", has_text=venue.name).first.click()
        expect(modal).to_be_hidden()
        expect(page.locator("input[name=sessions-0-venue]")).to_have_value(str(venue.pk))
        page.locator("#id_sessions-ADD").click()
        fill_datetime(page, "input[name=sessions-1-start]", sessions[1][0])
        fill_datetime(page, "input[name=sessions-1-end]", sessions[1][1])
        page.locator("input[name=sessions-1-online_url]").fill("https://spotkania.example.org/e2e")

        page.get_by_role("tab", name="Dokumenty").click()
        page.locator("#id_outcome_documents-ADD").click()
        page.locator("#inline_child_outcome_documents-0 button.chooser__choose-button").click()
        modal = page.locator(".modal.fade.in, .modal.show").last
        modal.get_by_role("tab", name="Prześlij").click()
        modal.locator("input[name=document-chooser-upload-title]").fill(doc_title)
        modal.locator("input[name=document-chooser-upload-file]").set_input_files(str(pdf))
        modal.locator("select[name=document-chooser-upload-kind]").select_option("minutes")
        modal.locator("select[name=document-chooser-upload-programme]").select_option(
            str(programme.pk)
        )
        modal.locator("form button[type=submit]").click()
        expect(modal).to_be_hidden()
        document_input = page.locator("input[name=outcome_documents-0-document]")
        expect(document_input).to_have_value(re.compile(r"^\d+$"))
        chosen_document = document_input.input_value()

        wait_for_autosave(page)
        open_actions_and_click(page, "button[name=action-submit]")
        expect(page.locator(".messages")).to_contain_text(
            re.compile(r"przekazana do (moderacji|przeglądu)")
        )
        with schema_context(schema):
            meeting = MeetingPage.objects.get(title=title)
            assert not meeting.live and meeting.workflow_in_progress
            document = ProgrammeDocument.objects.get(title=doc_title)
        assert chosen_document == str(document.pk)
        log_out(page)

        # --- The moderator approves: the workflow's last step publishes.
        log_in(page, site.warszawa(), accounts["moderator"])
        page.goto(site.warszawa(f"/admin/pages/{meeting.pk}/edit/"))
        open_actions_and_click(
            page,
            "button[data-workflow-action-name=approve]:not([data-workflow-action-modal-url])",
        )
        expect(page.locator(".messages")).to_contain_text(title)
        with schema_context(schema):
            meeting = MeetingPage.objects.get(pk=meeting.pk)
            assert meeting.live and not meeting.workflow_in_progress
            assert [d.document_id for d in meeting.outcome_documents.all()] == [document.pk]
            assert meeting.sessions.count() == 2

        # --- Residents see it: programme page, API, calendar feed.
        public = new_context().new_page()
        public.goto(site.warszawa(programme_url))
        expect(public.get_by_role("link", name=title)).to_be_visible()

        # The browser's own fetch (its host mapping; no HTTP cache, so no stale
        # ETag revalidation can hide the new meeting).
        api = fetch(public, f"/api/v1/meetings/?programme={programme.slug}&limit=100")
        assert api["status"] == 200, api
        listed = [m for m in json.loads(api["body"])["results"] if m["id"] == meeting.pk]
        assert len(listed) == 1 and listed[0]["title"] == title, api["body"][:2000]
        assert len(listed[0]["sessions"]) == 2

        feed = fetch(public, f"/feeds/programmes/{programme.slug}/calendar.ics")
        assert feed["status"] == 200 and feed["type"].startswith("text/calendar"), feed
        events = [
            e
            for e in icalendar.Calendar.from_ical(feed["body"]).walk("VEVENT")
            if str(e["uid"]).startswith(f"meeting-{meeting.pk}-session-")
        ]
        assert sorted((e.decoded("dtstart"), e.decoded("dtend")) for e in events) == sessions
        assert any(venue.name in str(e.get("location", "")) for e in events)
        assert all(title in str(e["summary"]) for e in events)

        # --- Search: the word inside the PDF, once the worker has run.
        search_url = site.warszawa(f"/search/?q={pdf_word}")
        public.goto(search_url)
        expect(public.locator("#results-heading")).to_be_visible()
        expect(public.locator("ol.result-list li.result")).to_have_count(0)
        run_worker()
        with schema_context(schema):
            document.refresh_from_db()
            assert document.extraction_status == "done", document.extraction_error
        public.goto(search_url)
        found = public.locator("ol.result-list li.result")
        expect(found).to_have_count(1)
        expect(found.locator("h3 a")).to_have_text(doc_title)
        expect(found.locator(".result-file")).to_contain_text("PDF")
    except Exception:
        page.screenshot(path=str(artifacts / "editor-journey-failure.png"), full_page=True)
        raise
    finally:
        with schema_context(schema):
            for made in MeetingPage.objects.filter(title=title):
                made.delete()
            for made in ProgrammeDocument.objects.filter(title=doc_title):
                made.delete()
        run_worker()  # removes them from the search index too


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
