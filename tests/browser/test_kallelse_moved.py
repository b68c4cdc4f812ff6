"""Issue 29, 2 in chromium: the secretary moves a called meeting, is told what
changed, sends the kallelse again (it says what changed), and a citizen following
the old address lands on the new one."""

import os
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core import mail

from tests.browser.test_writing import PASSWORD, log_in
from tests.meetings.test_kallelse_moved import NEW, OLD
from tests.meetings.test_kallelse_moved import called as called

pytestmark = pytest.mark.browser


def _shot(page, name):
    folder = Path(os.environ.get("TEST_ARTIFACTS", settings.BASE_DIR / "test-artifacts"))
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(folder / name), full_page=True)


def test_a_moved_meeting_is_called_again_and_its_old_address_leads_on(
    browser_page, live_server, called, secretary, week_before
):
    secretary.set_password(PASSWORD)
    secretary.save()
    page = browser_page
    log_in(page, live_server.url)

    page.goto(f"{live_server.url}/arbete/sammantraden/{called.pk}/andra/")
    page.get_by_label("Datum").fill("2021-09-29")
    page.get_by_role("button", name="Spara").click()
    notice = page.get_by_text("Sammanträdet har ändrats sedan kallelsen skickades")
    notice.wait_for()
    assert page.get_by_text(
        "Ändrat datum: onsdag 29 september 2021 (tidigare måndag 27 september 2021)."
    ).is_visible()
    _shot(page, "kallelse-andrad-notis.png")

    mail.outbox.clear()
    page.locator(".alert-info").get_by_role("link", name="Skicka kallelsen").click()
    page.get_by_role("button", name=re.compile("Skicka till")).click()
    page.get_by_text("Sammanträdet har ändrats sedan kallelsen skickades").wait_for(
        state="detached"
    )
    assert mail.outbox and all(
        m.subject == "Ändrad kallelse: Arbetsutskottet 29 september 2021" for m in mail.outbox
    )
    assert "Ändrat datum: onsdag 29 september 2021" in mail.outbox[0].body

    page.context.clear_cookies()  # a citizen now
    page.goto(f"{live_server.url}{OLD}")
    assert page.url == f"{live_server.url}{NEW}"
    page.get_by_role("heading", level=1).wait_for()
    assert "29 september 2021" in page.locator("main").inner_text()
    _shot(page, "kallelse-flyttad-adress.png")
