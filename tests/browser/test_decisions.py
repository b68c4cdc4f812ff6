"""The secretary writes decisions that must agree with the attendance at each §
(issue 29, 1), in chromium: the reservation list of a § offers only those voting
there, and too many votes are refused at the field with everything typed kept."""

import os
from pathlib import Path

import pytest
from django.conf import settings

from meetings.models import Decision
from tests.browser.test_writing import PASSWORD, log_in
from tests.meetings.test_decisions_at_each_paragraph import _items, drafting  # noqa: F401

pytestmark = pytest.mark.browser


@pytest.fixture
def meeting(drafting, secretary):  # noqa: F811
    secretary.set_password(PASSWORD)
    secretary.save()
    return drafting


def _reservable(page) -> set[str]:
    page.locator("details summary").first.click()
    names = ("Fredrik Hansson", "Annica Alatalo", "Bengt-Åke Strand", "Lisa Persson")
    return {n for n in names if page.get_by_label(n, exact=True).count()}


def test_each_paragraph_offers_and_accepts_only_those_voting_there(
    browser_page, live_server, meeting
):
    page = browser_page
    first, second = _items(meeting)
    log_in(page, live_server.url)

    page.goto(f"{live_server.url}/arbete/sammantraden/{meeting.pk}/punkter/{first.pk}/")
    page.locator("select[name='decisions-0-kind']").select_option("beslut")
    page.locator("textarea[name='decisions-0-text']").fill("Beslutas att köpa tjänsten.")
    assert _reservable(page) == {"Fredrik Hansson", "Annica Alatalo", "Bengt-Åke Strand"}
    page.get_by_label("Text", exact=True).fill("Rekrytering av samordnare 50 %.")
    page.locator("input[name='decisions-0-votes_for']").fill("6")
    page.locator("input[name='decisions-0-votes_against']").fill("2")
    page.get_by_role("button", name="Spara", exact=True).click()

    error = page.get_by_text(
        "8 röster är angivna, men bara 3 kunde rösta vid denna paragraf (den som är jävig deltar inte)."
    )
    error.wait_for()
    folder = Path(os.environ.get("TEST_ARTIFACTS", settings.BASE_DIR / "test-artifacts"))
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(folder / "beslut-for-manga-roster.png"), full_page=True)
    assert page.get_by_label("Text", exact=True).input_value() == "Rekrytering av samordnare 50 %."
    assert page.locator("textarea[name='decisions-0-text']").input_value() == (
        "Beslutas att köpa tjänsten."
    )
    assert not Decision.objects.exists()

    page.locator("input[name='decisions-0-votes_for']").fill("2")
    page.locator("input[name='decisions-0-votes_against']").fill("1")
    page.get_by_role("button", name="Spara", exact=True).click()
    page.get_by_text("är sparad").first.wait_for()
    assert Decision.objects.get().votes_for == 2

    page.goto(f"{live_server.url}/arbete/sammantraden/{meeting.pk}/punkter/{second.pk}/")
    assert _reservable(page) == {"Fredrik Hansson", "Annica Alatalo", "Lisa Persson"}
