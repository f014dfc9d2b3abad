"""WCAG 2.1 AA on the public pages of the demo: axe-core, keyboard, mobile width.

Every checked page gets a screenshot (desktop and 390×844) under
test-artifacts/e2e/, and axe's findings go to test-artifacts/e2e/axe/*.json;
test-artifacts/e2e/axe-summary.txt lists each page with its violation counts.
English versions are checked where the demo has them (the language switcher
links them); a page without a translation is checked in Polish only.
"""

from __future__ import annotations

import json
import re

import pytest
from django_tenants.utils import schema_context
from playwright.sync_api import expect

from .conftest import TIMEOUT_MS

pytestmark = pytest.mark.e2e

AA_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BLOCKING = {"serious", "critical"}
MOBILE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


def _urls(model, schema, **filters) -> tuple[str, str | None]:
    """The Polish page's URL, and its live English translation's URL if the demo has one."""
    with schema_context(schema):
        page = model.objects.live().filter(locale__language_code="pl", **filters).first()
        assert page is not None, f"the demo has no {model.__name__} {filters}"
        english = page.get_translations().live().filter(locale__language_code="en").first()
        return page.url, (english.url if english else None)


@pytest.fixture(scope="module")
def pages(e2e_cities, django_db_blocker):
    """name -> (city, Polish path, English path or None); found in the demo content."""
    from programmes import models as m

    waw = e2e_cities["warszawa"].schema_name
    wro = e2e_cities["wroclaw"].schema_name
    with django_db_blocker.unblock():
        found = {
            "home": ("warszawa", *_urls(m.HomePage, waw)),
            "programme": ("warszawa", *_urls(m.ProgrammePage, waw, slug="program-dialog")),
            "meeting": ("warszawa", *_urls(m.MeetingPage, waw, slug="spotkanie-inaugurujace")),
            "open-space": ("wroclaw", *_urls(m.OpenSpaceSessionPage, wro)),
            "consultation": ("warszawa", *_urls(m.ConsultationPage, waw)),
            "documents": ("warszawa", *_urls(m.DocumentLibraryPage, waw)),
            "registration-form": (
                "warszawa",
                *_urls(m.MeetingPage, waw, registration_mode="form"),
            ),
        }
    # Search results are not a page and have no English URL of their own.
    found["search"] = ("warszawa", "/search/?q=spotkanie", None)
    return found


def run_axe(page, axe_source: str) -> list[dict]:
    page.add_script_tag(content=axe_source)
    result = page.evaluate(
        """async (tags) => {
            const r = await axe.run(document, {runOnly: {type: 'tag', values: tags}});
            return r.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.map(n => ({target: n.target, summary: n.failureSummary})),
            }));
        }""",
        AA_TAGS,
    )
    return result


def _check(page, url, name, axe_source, artifacts, summary):
    """axe on the desktop page, then the same page at 390×844; screenshots of both."""
    page.set_viewport_size(DESKTOP)
    response = page.goto(url)
    assert response is not None and response.status == 200, f"{name}: {url}"
    expect(page.locator("main#main")).to_be_visible()
    violations = run_axe(page, axe_source)
    page.screenshot(path=str(artifacts / f"{name}.png"))
    (artifacts / "axe").mkdir(exist_ok=True)
    (artifacts / "axe" / f"{name}.json").write_text(
        json.dumps(violations, ensure_ascii=False, indent=1), encoding="utf-8"
    )
    counts = dict.fromkeys(("critical", "serious", "moderate", "minor"), 0)
    for violation in violations:
        counts[violation["impact"] or "minor"] += len(violation["nodes"])
    # Mobile: the same document re-laid out at the phone's width.
    page.set_viewport_size(MOBILE)
    expect(page.locator("main#main")).to_be_visible()
    width = page.evaluate("document.documentElement.scrollWidth")
    page.screenshot(path=str(artifacts / f"{name}-mobile.png"))
    summary.append(
        f"{name}\t{url}\t"
        + " ".join(f"{k}={v}" for k, v in counts.items())
        + f"\tscrollWidth@390={width}"
    )
    blocking = [v for v in violations if v["impact"] in BLOCKING]
    return blocking, width


@pytest.fixture(scope="module")
def summary(artifacts):
    lines: list[str] = []
    yield lines
    (artifacts / "axe-summary.txt").write_text("\n".join(sorted(lines)) + "\n", encoding="utf-8")


CHECKED = [
    "home",
    "programme",
    "meeting",
    "open-space",
    "consultation",
    "documents",
    "search",
    "registration-form",
]


@pytest.mark.parametrize("name", CHECKED)
def test_axe_and_mobile_width(name, pages, site, page, browser_tools, artifacts, summary):
    """Zero serious/critical axe violations (Polish, and English where it exists);
    no horizontal scrolling at 390 px."""
    city, path, english = pages[name]
    versions = [(f"{name}-pl", path)]
    if english:
        versions.append((f"{name}-en", english))
    problems = []
    for label, url_path in versions:
        blocking, width = _check(
            page, getattr(site, city)(url_path), label, browser_tools, artifacts, summary
        )
        if label.endswith("-en"):
            expect(page.locator("html")).to_have_attribute("lang", "en")
        problems += blocking
        assert width <= MOBILE["width"], f"{label} is {width}px wide at 390px"
    assert not problems, json.dumps(problems, ensure_ascii=False, indent=1)


def _tab_until(page, predicate_js: str, limit: int = 80) -> int:
    """Press Tab until the focused element matches; returns the number of presses."""
    page.locator("body").focus()
    for presses in range(1, limit + 1):
        page.keyboard.press("Tab")
        if page.evaluate(predicate_js):
            return presses
    raise AssertionError(f"not reached with {limit} Tab presses")


def test_keyboard_reaches_the_search_box_and_searches(pages, site, page):
    page.goto(site.warszawa("/"))
    _tab_until(page, "document.activeElement && document.activeElement.type === 'search'")
    page.keyboard.type("spotkanie")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/search/\?q=spotkanie"), timeout=TIMEOUT_MS)
    expect(page.locator("main#main")).to_contain_text("spotkanie", ignore_case=True)


def test_keyboard_reaches_the_registration_submit(pages, site, page):
    path = pages["registration-form"][1]
    page.goto(site.warszawa(path))
    submit = page.locator("form.registration-form button[type=submit]")
    expect(submit).to_be_visible()
    _tab_until(
        page,
        "document.activeElement && document.activeElement.matches("
        "'form.registration-form button[type=submit]')",
        limit=200,
    )
    expect(submit).to_be_focused()
