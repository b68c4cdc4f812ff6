"""Every kind of public page, opened in chromium and checked with axe-core (the npm
package's axe.min.js, as shipped inside axe-playwright-python): no violation of the
WCAG 2.1 A and AA rules."""

from pathlib import Path

import axe_playwright_python
import pytest

from meetings.actions import publication
from tests.meetings import test_matters

matter_world = test_matters.matter_world  # the fixture, shared

pytestmark = pytest.mark.browser

AXE = Path(axe_playwright_python.__file__).parent / "axe.min.js"
BASE = "/norrbotten/arbetsutskott/2021-09-27/"
PAGES = [
    "/", "/norrbotten/", "/norrbotten/anslagstavla/", "/norrbotten/arbetsutskott/",
    "/norrbotten/arbetsutskott/2021/", BASE, BASE + "p4/", "/verifiera/", "/logga-in/",
    "/sok/?q=tj%C3%A4nstek%C3%B6pet", "/tillganglighet/", "/norrbotten/tillganglighet/",
]  # fmt: skip


@pytest.fixture
def published(live_server, justerat):
    # Sealing (pyHanko) runs its own event loop: it must happen before the browser's.
    publication.publish(justerat, by=None)
    return justerat


def test_public_pages_have_no_accessibility_violations(published, live_server, browser_page):
    page = browser_page
    problems = {}

    for url in PAGES:
        response = page.goto(f"{live_server.url}{url}")
        assert response.status == 200, url
        page.add_script_tag(path=str(AXE))
        result = page.evaluate(
            "axe.run(document, {runOnly: {type: 'tag', "
            "values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})"
        )
        violations = [
            f"{v['id']}: {v['help']} ({len(v['nodes'])}× e.g. {v['nodes'][0]['html'][:120]})"
            for v in result["violations"]
        ]
        if violations:
            problems[url] = violations
        assert result["passes"], url  # axe really ran

    assert problems == {}


def _axe_violations(page) -> list[str]:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "axe.run(document, {runOnly: {type: 'tag', "
        "values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})"
    )
    assert result["passes"]  # axe really ran
    return [f"{v['id']}: {v['help']} ({v['nodes'][0]['html'][:120]})" for v in result["violations"]]


def test_the_verdict_of_a_verification_passes_axe(published, live_server, browser_page, tmp_path):
    pdf = tmp_path / "protokoll.pdf"
    pdf.write_bytes(published.public_version.pdf.open("rb").read())
    page = browser_page
    page.goto(f"{live_server.url}/verifiera/")

    page.set_input_files("input[type=file]", str(pdf))
    page.locator("main button[type=submit]").click()

    assert published.public_version.sha256 in page.locator(".alert-success").inner_text()
    assert _axe_violations(page) == []


@pytest.fixture
def called(live_server, planned, secretary, week_before, settings, tmp_path):
    """The example's meeting with its kallelse out: a public and a secret item, a
    public handling and one that is not."""
    from django.core.files.base import ContentFile

    from meetings.actions import kallelse, services

    settings.MEDIA_ROOT = tmp_path
    budget = services.add_item(
        planned, section="beslut", title="Budget 2022", diarienummer="SF 2021/12"
    )
    secret = services.add_item(
        planned,
        section="beslut",
        title="Ärende om Kim Berg",
        is_confidential=True,
        public_title="Ärende enligt OSL",
    )
    for paragraph, title, public in (
        (budget, "Förslag till budget", True),
        (budget, "Underlag med namn", False),
        (secret, "Utredning", False),
    ):
        services.attach_handling(
            paragraph,
            title=title,
            file=ContentFile(b"%PDF-1.4\n", name="h.pdf"),
            filename="h.pdf",
            is_public=public,
        )
    kallelse.send(planned, by=secretary)
    return planned


def test_the_public_page_of_a_called_meeting_passes_axe_and_shows_nothing_secret(
    called, live_server, browser_page
):
    page = browser_page
    problems = {}
    for url in ("/norrbotten/", BASE):
        response = page.goto(f"{live_server.url}{url}")
        assert response.status == 200, url
        page.add_script_tag(path=str(AXE))
        result = page.evaluate(
            "axe.run(document, {runOnly: {type: 'tag', "
            "values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})"
        )
        if result["violations"]:
            problems[url] = [v["id"] for v in result["violations"]]
        assert result["passes"], url

    text = page.inner_text("main")
    assert "Förslag till budget" in text and "Ärende enligt OSL" in text
    for secret in ("Kim Berg", "Underlag med namn", "Utredning"):
        assert secret not in text
    assert problems == {}


@pytest.mark.parametrize("width", [390, 320])
def test_the_verification_page_fits_a_phone(published, live_server, browser_page, width):
    """WCAG 1.4.10 (reflow): at 320 px nothing scrolls sideways, the seal's
    fingerprint and the command included, and axe finds nothing (no scrollable region
    a keyboard cannot reach)."""
    page = browser_page
    page.set_viewport_size({"width": width, "height": 844})

    page.goto(f"{live_server.url}/verifiera/")

    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert _axe_violations(page) == []
    # Plain Swedish first (issue 29, 9): the technical checks are folded away ...
    assert not page.get_by_text("pdfdetach", exact=False).is_visible()
    for summary in (
        "Tekniska uppgifter om sigillet och tidsstämpeln",
        "Så kontrollerar du själv, med egna verktyg",
    ):
        page.get_by_text(summary).click()
    # ... and, unfolded, still fit the phone, with the command reachable by keyboard.
    assert page.get_by_text("pdfdetach", exact=False).is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    command = page.locator("pre.command")
    command.focus()
    assert page.evaluate("document.activeElement.tagName") == "PRE"
    assert _axe_violations(page) == []


WIDER_THAN_THE_SCREEN = """() => [...document.querySelectorAll('body *')]
  .filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1
               || e.scrollWidth > e.clientWidth + 1)
  .slice(-4).map(e => e.tagName + '.' + e.className + ' ' + e.scrollWidth + '/' + e.clientWidth
                      + ': ' + e.textContent.trim().slice(0, 50))"""


def _logged_in(page, live_server, user) -> None:
    """The browser with `user`'s session (staff verified by their second factor), as
    after logging in: the login pages themselves are walked in test_journeys."""
    from django.test import Client

    from tests.conftest import log_in_with_two_factor

    client = Client()
    log_in_with_two_factor(client, user)
    page.context.clear_cookies()
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )


@pytest.mark.parametrize("width", [320, 390])
def test_every_kind_of_page_fits_a_phone_and_passes_axe(
    published, live_server, browser_page, secretary, annica, width
):
    """Issue 32, WCAG 1.4.10 (reflow): at 320 and 390 px no page scrolls sideways and
    axe finds nothing: the public pages, and those a member, a justerare and the
    secretary read logged in."""
    import datetime

    from django.urls import reverse

    from meetings.actions import services
    from tests import factories

    # A meeting still being written, for the pages that edit one.
    writing = factories.meeting(published.body, datetime.date(2021, 10, 25), place="Kansliet")
    paragraph = services.add_item(writing, section="beslut", title="Budget 2022")
    page = browser_page
    page.set_viewport_size({"width": width, "height": 844})
    annica.refresh_from_db()  # her account came with the justering
    assert annica.user is not None
    who_sees = {
        None: PAGES,
        annica.user: [
            reverse("start"),
            reverse("member:meetings"),
            reverse("member:meeting", args=[published.pk]),
        ],
        secretary: [
            reverse("workspace:dashboard"),
            reverse("workspace:meeting", args=[published.pk]),
            reverse("workspace:meeting", args=[writing.pk]),
            reverse("workspace:paragraph", args=[writing.pk, paragraph.pk]),
            reverse("workspace:bilagor", args=[writing.pk]),
            reverse("workspace:legacy_uploads"),
        ],
    }
    problems, wide, seen = {}, {}, 0
    for user, urls in who_sees.items():
        if user is not None:
            _logged_in(page, live_server, user)
        for url in urls:
            response = page.goto(f"{live_server.url}{url}")
            assert response.status == 200, url
            seen += 1
            width_used = page.evaluate("document.documentElement.scrollWidth")
            if width_used > width:  # which elements reach past the screen
                wide[url] = page.evaluate(WIDER_THAN_THE_SCREEN)
            if violations := _axe_violations(page):
                problems[url] = violations

    assert wide == {}
    assert problems == {}, "\n".join(f"{u}: {v}" for u, v in problems.items())
    assert seen == len(PAGES) + 9


def test_a_matter_s_path_passes_axe(live_server, matter_world, browser_page):
    """Issue 35: the matter's page and a paragraph's page with its path."""
    matter, decided = matter_world["matter"], matter_world["decided"]
    decision = matter_world["decision"]
    decision.refresh_from_db()
    page = browser_page
    for url in (
        f"/{matter.organisation.slug}/arenden/{matter.pk}/",
        decided.paragraph_url(decision.number),
    ):
        assert page.goto(f"{live_server.url}{url}").status == 200, url
        assert page.locator("ol.gang li").count() == 3, url
        assert _axe_violations(page) == [], url
