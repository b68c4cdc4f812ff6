"""The secretary brings in a legacy protocol in chromium: uploads it, sees it beside
its text with the unsure fields marked, corrects one, imports it, and finds it
published with its own dates."""

from pathlib import Path

import pytest

from meetings.models import ArchivedProtocol, Meeting
from tests.browser.test_writing import PASSWORD, log_in

pytestmark = pytest.mark.browser

FILE = Path(__file__).parents[1] / "meetings" / "data" / "legacy" / "au-2020-03-09.txt"


@pytest.fixture
def ready(secretary, au):
    secretary.set_password(PASSWORD)
    secretary.save()
    return au


def test_upload_review_correct_import_and_find_it_published(browser_page, live_server, ready):
    page = browser_page
    log_in(page, live_server.url)
    page.goto(f"{live_server.url}/arbete/")
    page.get_by_role("link", name="Importera protokoll").click()
    page.get_by_label("Protokoll (PDF eller text, eller en zip med dem)").set_input_files(str(FILE))
    page.get_by_role("button", name="Läs filerna").click()

    page.get_by_role("heading", name="Granska: au-2020-03-09.txt").wait_for()
    assert "§ 12 Ansökan om medel för Unga in" in page.locator(".legacy-source").inner_text()
    # The text gives no day of justering: that field is marked for checking.
    marked = page.locator(".legacy-unsure", has=page.get_by_label("Justerat den"))
    assert marked.get_by_text("Kontrollera").is_visible()
    page.screenshot(path="/tmp/legacy-review.png", full_page=True)

    page.get_by_label("Justerat den").fill("2020-03-12")
    page.get_by_label("Anslaget den").fill("2020-03-13")
    page.get_by_role("button", name="Spara och importera").click()

    page.get_by_role("heading", name="Protokoll: Arbetsutskottet 9 mars 2020").wait_for()
    text = page.locator("main").inner_text()
    assert "Justerat 2020-03-12." in text
    assert "Originalprotokollet (text, importerat)" in text
    assert "Ansökan om medel för Unga in" in text
    meeting = Meeting.objects.get(date="2020-03-09")
    assert (meeting.status, f"{meeting.publish_on}") == ("publicerat", "2020-03-13")
    assert ArchivedProtocol.objects.get(meeting=meeting).pdf.read() == FILE.read_bytes()
