"""Issue 29, 3 and 5 in chromium: a justerare objects to a rättelse and then approves
it, and a citizen reads it on the § page; a justerare reads masked words marked,
never the [[ ]] syntax."""

import os
from pathlib import Path

import pytest
from django.conf import settings

from meetings.actions import justering, publication, rattelse
from meetings.models import Paragraph
from tests.browser.test_journeys import justerat_out, log_in, out  # noqa: F401

pytestmark = pytest.mark.browser


def _shot(page, name):
    folder = Path(os.environ.get("TEST_ARTIFACTS", settings.BASE_DIR / "test-artifacts"))
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(folder / name), full_page=True)


@pytest.fixture
def pending(justerat_out, secretary, fredrik):  # noqa: F811
    """Published, with a rättelse of § 4 the chair has approved and Annica not yet."""
    justerat_out.refresh_from_db()
    publication.publish(justerat_out, by=None)
    paragraph = justerat_out.paragraphs.get(number=4)
    correction = rattelse.propose(
        justerat_out, text="Rätt belopp är 120 000 kronor.", paragraph=paragraph, by=secretary
    )
    fredrik.refresh_from_db()
    rattelse.approve(correction, fredrik, user=fredrik.user)
    return correction


def test_a_justerare_objects_then_approves_and_the_public_reads_it(
    pending, annica, browser_page, live_server
):  # pending first: sealing runs its own event loop, which Playwright's would not allow
    page = browser_page
    meeting = pending.meeting
    log_in(page, live_server.url, annica.user.username)
    page.get_by_role("heading", name="Att göra", level=1).wait_for()

    page.goto(f"{live_server.url}/justera/{meeting.pk}/#rattelse-{pending.pk}")
    correction = page.locator(f"#rattelse-{pending.pk}")
    correction.get_by_text("Invänd mot rättelsen").first.click()
    correction.get_by_label("Vad är fel i den?").fill("Beloppet ska vara 125 000 kronor.")
    correction.get_by_role("button", name="Invänd mot rättelsen").click()
    page.get_by_text("Din invändning är skickad till sekreteraren.").wait_for()
    assert (
        "invänder: Beloppet ska vara 125 000 kronor."
        in page.locator(f"#rattelse-{pending.pk}").inner_text()
    )
    _shot(page, "rattelse-invandning.png")

    page.locator(f"#rattelse-{pending.pk}").get_by_role("button", name="Godkänn rättelsen").click()
    page.get_by_text("Rättelsen är godkänd och förseglad.").wait_for()
    pending.refresh_from_db()
    assert pending.approved_at is not None

    page.context.clear_cookies()  # a citizen now
    page.goto(f"{live_server.url}/norrbotten/arbetsutskott/2021-09-27/p4/")
    page.get_by_role("heading", name="Rättelser").wait_for()
    assert "Rätt belopp är 120 000 kronor." in page.locator("main").inner_text()
    _shot(page, "rattelse-paragrafsida.png")


def test_a_justerare_reads_masked_words_marked(browser_page, live_server, out, annica):  # noqa: F811
    Paragraph.objects.filter(meeting=out, title="Tjänsteköp Samordnare").update(
        title="Tjänsteköp för [[Kim Berg]]"
    )
    page = browser_page
    log_in(page, live_server.url, annica.user.username)
    page.get_by_role("heading", name="Att göra", level=1).wait_for()

    page.goto(f"{live_server.url}/justera/{out.pk}/")
    marked = page.locator("mark.masked", has_text="Kim Berg").first
    marked.wait_for()
    assert marked.get_attribute("title") == "maskeras i den offentliga versionen"
    options = page.locator("#comment-paragraph option").all_inner_texts()
    assert "§\xa04 Tjänsteköp för Kim Berg" in options
    assert "[[" not in page.content()
    _shot(page, "maskering-justerare.png")
    assert justering.approvers(out)
