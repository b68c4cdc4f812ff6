"""The people's first hour, in Debian's chromium: the chair lands on "Att göra" and
justerar from there; a justerare sees what changed in a protocol sent back and out
again; the secretary hears the protocol is justerat and publishes it from her start
page; a member's start page has no dead link; a mistyped address is the site's
Swedish 404 page."""

import datetime

import pytest
from django.contrib.auth.models import User

from meetings.actions import justering, services
from members.models import Membership
from tests.conftest import SEAT_TERM, totp_code

pytestmark = pytest.mark.browser

PASSWORD = "Ett-bra-lösen-2026"


@pytest.fixture
def out(drafted, annica, fredrik, secretary):
    """The example's protocol out for justering to the chair Fredrik and Annica."""
    from meetings.documents import sealing

    sealing.create_development_certificate()
    secretary.set_password(PASSWORD)
    secretary.save()
    justering.send_for_justering(
        drafted,
        justerare=[annica],
        deadline=datetime.date.today() + datetime.timedelta(days=7),
        by=secretary,
        notify=False,
    )
    for person in (annica, fredrik):
        person.refresh_from_db()
        person.user.set_password(PASSWORD)
        person.user.save()
    return drafted


def log_in(page, url, username):
    page.goto(f"{url}/")
    page.get_by_role("link", name="Logga in", exact=True).click()
    page.get_by_label("Användarnamn").fill(username)
    page.get_by_label("Lösenord").fill(PASSWORD)
    page.get_by_role("button", name="Logga in", exact=True).click()


def test_the_chair_lands_on_att_gora_and_justerar_from_there(
    browser_page, live_server, out, fredrik
):
    page = browser_page
    log_in(page, live_server.url, fredrik.user.username)

    page.get_by_role("heading", name="Att göra", level=1).wait_for()
    assert page.url == f"{live_server.url}/start/"
    assert page.get_by_role("link", name="Arbetsyta").count() == 0  # not hers
    page.get_by_role("link", name="Läs och justera").click()
    page.get_by_role("heading", name="Protokoll: Arbetsutskottet 27 september 2021").wait_for()
    assert page.get_by_text("Tjänsteköp Samordnare").count() >= 1
    page.get_by_role("button", name="Justera").click()

    page.get_by_text("Du har justerat protokollet.").wait_for()
    assert page.get_by_text("Du justerade den här versionen").count() == 1
    assert page.get_by_role("button", name="Justera").count() == 0


def test_a_second_justerare_sees_what_changed_after_it_came_back(
    browser_page, live_server, out, annica, fredrik, asa
):
    page = browser_page
    # Annica asks for a change, in the browser.
    log_in(page, live_server.url, annica.user.username)
    page.get_by_role("link", name="Läs och justera").click()
    page.get_by_label("Vad ska ändras?").fill("Skriv beloppet i § 4.")
    page.get_by_role("button", name="Begär ändring").click()
    page.get_by_text("Protokollet är skickat tillbaka till sekreteraren.").wait_for()
    # The secretary writes the amount and sends it out again (services, as the
    # workspace's own tests walk those pages).
    item = out.paragraphs.get(title="Tjänsteköp Samordnare")
    fields = {f: getattr(item, f) for f in services.PARAGRAPH_FIELDS}
    services.save_paragraph(
        item,
        revision=item.revision,
        decisions=[],
        by=asa.user,
        fields={**fields, "text": "Tjänsteköpet omfattar 400 000 kr."},
    )
    justering.resend(out, by=asa.user)

    page.goto(f"{live_server.url}/start/")
    page.get_by_role("link", name="Läs och justera").click()

    changes = page.locator("section", has_text="Detta har ändrats sedan versionen du svarade på")
    changes.wait_for()
    assert changes.locator("ins", has_text="Tjänsteköpet omfattar 400 000 kr.").count() == 1
    assert page.get_by_text("begärde ändring i en tidigare version").count() == 1


@pytest.fixture
def justerat_out(out, annica, fredrik):
    # Before the browser starts: sealing runs its own event loop, which Playwright's
    # (in this thread) would not allow.
    for person in (fredrik, annica):
        justering.approve(out, person, version=justering.content_hash(out), user=person.user)
    return out


def test_the_secretary_is_told_it_is_justerat_and_publishes_from_her_start_page(
    justerat_out, browser_page, live_server
):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    page = browser_page
    log_in(page, live_server.url, "asa")
    page.get_by_role("heading", name="Tvåstegsinloggning").wait_for()
    device = TOTPDevice.objects.get(user__username="asa")
    page.get_by_label("Kod från din autentiseringsapp").fill(totp_code(device))
    page.get_by_role("button", name="Bekräfta").click()

    page.get_by_role("heading", name="Att göra", level=1).wait_for()
    section = page.locator("section", has_text="Justerat, klart att publicera")
    assert section.get_by_text("Arbetsutskottet 27 september 2021").count() == 1
    section.get_by_role("link", name="Publicera").click()
    # The public version is shown before it goes out.
    page.get_by_role(
        "heading", name="Den offentliga versionen, så som allmänheten läser den"
    ).wait_for()
    assert page.get_by_text("Tjänsteköp Samordnare").count() >= 1
    page.get_by_role("button", name="Publicera den offentliga versionen").click()

    page.get_by_text("Protokollet är publicerat och anslaget uppsatt.").wait_for()
    page.goto(f"{live_server.url}/norrbotten/arbetsutskott/2021-09-27/")
    page.get_by_role("heading", name="Protokoll: Arbetsutskottet 27 september 2021").wait_for()


def test_a_members_start_page_has_no_dead_link(browser_page, live_server, out, seats, au):
    deputy = seats["deputy"]
    deputy.user = User.objects.create_user("lisa", password=PASSWORD)
    deputy.save()
    assert Membership.objects.filter(person=deputy, body=au, **SEAT_TERM).exists()
    page = browser_page
    log_in(page, live_server.url, "lisa")
    page.get_by_role("heading", name="Att göra", level=1).wait_for()

    links = page.locator("main a").evaluate_all("links => links.map(a => a.href)")
    links += page.locator("header a").evaluate_all("links => links.map(a => a.href)")
    assert links
    for link in sorted(set(links)):
        response = page.goto(link)
        assert response.status == 200, link
        assert page.locator("h1").count() == 1, link


def test_a_mistyped_address_is_the_sites_swedish_404_page(browser_page, live_server):
    page = browser_page
    response = page.goto(f"{live_server.url}/norrbotten/arbetsutskot/2021-09-27/")

    assert response.status == 404
    assert page.locator("html").get_attribute("lang") == "sv"
    page.get_by_role("heading", name="Sidan finns inte").wait_for()
    page.get_by_role("link", name="Sök i protokollen").click()
    page.get_by_role("heading", name="Sök i protokollen").wait_for()
