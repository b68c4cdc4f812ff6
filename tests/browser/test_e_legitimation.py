"""Issue 33 in chromium: the chair and the justerare each approve with a fresh
e-legitimation at a real OpenID provider on loopback (tests/identity.py), and the
sealed protocol's signature block says how each of them justerade."""

import subprocess
from pathlib import Path

import pytest
from django.urls import reverse

from meetings.actions import justering
from meetings.models import ArchivedProtocol
from members import identity
from members.models import IdentityProvider
from tests.identity import LOA3, openid_provider  # noqa: F401

pytestmark = pytest.mark.browser
PASSWORD = "Ett-bra-lösen-2026"
SHOTS = Path(__file__).parents[2] / "test-artifacts" / "e-legitimation"


@pytest.fixture
def out_for_justering(drafted, annica, secretary, openid_provider, live_server, settings):  # noqa: F811
    settings.SITE_URL = live_server.url  # the address the provider sends people back to
    client_id, secret = openid_provider.register(live_server.url + "/logga-in/svar/")
    IdentityProvider.objects.create(
        organisation=drafted.body.organisation,
        purpose=IdentityProvider.Purpose.E_LEGITIMATION,
        name="Test-e-legitimation",
        issuer=openid_provider.issuer,
        client_id=client_id,
        client_secret=secret,
        scopes="openid profile https://id.oidc.se/scope/naturalPersonNumber",
        acr=LOA3,
        match_by=IdentityProvider.MatchBy.PERSONNUMMER,
        required_for_justering=True,
    )
    justering.send_for_justering(
        drafted, justerare=[annica], deadline=drafted.date, by=secretary, notify=False
    )
    people = justering.approvers(drafted)
    for person, number in zip(people, ("198001011234", "197505059876"), strict=True):
        person.refresh_from_db()
        person.personnummer_hash = identity.personnummer_hash(number)
        person.save()
        person.user.set_password(PASSWORD)
        person.user.save()
    return drafted, people


def _approve(page, base, meeting, person, *, login, shots):
    page.goto(f"{base}/logga-in/")
    page.get_by_label("Användarnamn").fill(person.user.username)
    page.get_by_label("Lösenord").fill(PASSWORD)
    page.get_by_role("button", name="Logga in", exact=True).click()
    page.goto(base + reverse("justering:protocol", args=[meeting.pk]))
    button = page.get_by_role("button", name="Justera med Test-e-legitimation")
    button.scroll_into_view_if_needed()
    page.screenshot(path=str(SHOTS / f"{shots}-1-justera.png"))
    button.click()
    page.get_by_role("heading", name="Test-e-legitimation").wait_for()
    assert "loa3" in page.content()  # the level asked for
    page.get_by_label("Konto").fill(login)
    page.get_by_label("Tillitsnivå").select_option(LOA3)
    page.screenshot(path=str(SHOTS / f"{shots}-2-e-legitimation.png"))
    page.get_by_role("button", name="Legitimera").click()
    page.get_by_role("heading", level=1).first.wait_for()
    page.screenshot(path=str(SHOTS / f"{shots}-3-tillbaka.png"), full_page=True)
    return page.locator("main").inner_text()


def test_each_approves_with_e_legitimation_and_the_seal_says_so(
    browser_page, live_server, out_for_justering
):
    SHOTS.mkdir(parents=True, exist_ok=True)
    meeting, (chair, other) = out_for_justering
    first = _approve(browser_page, live_server.url, meeting, chair, login="anna", shots="1-ordf")
    assert "Du har justerat protokollet." in first

    # (A browser that keeps the site's CSP: the first bypasses it for axe.)
    second_page = browser_page.context.browser.new_context(locale="sv-SE").new_page()
    second = _approve(second_page, live_server.url, meeting, other, login="bo", shots="2-just")
    assert "Protokollet är justerat." in second

    archive = ArchivedProtocol.objects.get(meeting=meeting)
    pdf = SHOTS / "protokoll.pdf"
    pdf.write_bytes(archive.pdf.read())
    text = subprocess.run(
        ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    said = " ".join(text.split())
    for person in (chair, other):
        assert f"{person.name}, " in said
    assert said.count("Justerat elektroniskt med Test-e-legitimation, tillitsnivå 3,") == 2
    subprocess.run(["pdftoppm", "-r", "60", "-png", str(pdf), str(SHOTS / "protokoll")], check=True)
