"""The secretary writes a whole protocol in chromium: eight paragraphs, one with two
decisions, one with a reservation (and its motivation) and jäv, in at most twelve
page loads; a bilaga replaced, then removed; and a text typed when the session has
ended survives the new login."""

import re

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from meetings.actions import services
from meetings.models import Bilaga, Decision, Paragraph
from tests.conftest import totp_code

pytestmark = pytest.mark.browser

PASSWORD = "Ett-bra-lösen-2026"
WRITTEN = [  # (title, text, decision kind, decision)
    ("Mötets öppnande", "Ordföranden öppnar mötet.", "", ""),
    ("Fastställande av dagordningen", "", "beslut", "Dagordningen godkänns."),
    ("Val av justerare", "", "beslut", "Beslutas att välja Annica Alatalo att justera."),
    ("Rapport från förbundschefen", "Förbundschefen rapporterar.", "lagges_till_handlingarna",
     "Rapporten läggs till handlingarna."),
    ("Budget 2022", "Förslag till budget föredras.", "beslut", "Budgeten fastställs."),
    ("Tjänsteköp Samordnare", "Rekrytering av samordnare 50 %.", "beslut",
     "Arbetsutskottet beslutar att köpa tjänsten."),
    ("Övriga frågor", "Inga övriga frågor.", "", ""),
    ("Mötets avslutande", "Ordföranden avslutar mötet.", "", ""),
]  # fmt: skip


@pytest.fixture
def meeting(planned, secretary):
    services.add_item(planned, section="information", title="Rapport från förbundschefen")
    services.add_item(planned, section="beslut", title="Budget 2022")
    services.add_item(planned, section="beslut", title="Tjänsteköp Samordnare")
    services.start_protocol(planned)
    secretary.set_password(PASSWORD)
    secretary.save()
    assert planned.paragraphs.count() == 8
    return planned


def log_in(page, url):
    page.goto(f"{url}/logga-in/")
    page.get_by_label("Användarnamn").fill("asa")
    page.get_by_label("Lösenord").fill(PASSWORD)
    page.get_by_role("button", name="Logga in", exact=True).click()
    page.get_by_role("heading", name="Tvåstegsinloggning").wait_for()
    device = TOTPDevice.objects.get(user__username="asa")
    page.get_by_label("Kod från din autentiseringsapp").fill(totp_code(device))
    page.get_by_role("button", name="Bekräfta").click()
    page.get_by_role("heading", name="Att göra", level=1).wait_for()


def test_a_whole_protocol_is_written_in_at_most_twelve_page_loads(
    browser_page, live_server, meeting, bengt
):
    page = browser_page
    log_in(page, live_server.url)
    loads = []
    page.on("load", lambda: loads.append(page.url))

    page.goto(f"{live_server.url}/arbete/sammantraden/{meeting.pk}/")
    page.get_by_role("link", name="Skriv Mötets öppnande").click()
    for title, text, kind, decision in WRITTEN:
        page.get_by_role("heading", name=re.compile(re.escape(title)), level=1).wait_for()
        if text:
            page.get_by_label("Text", exact=True).fill(text)
        if kind:
            page.locator("select[name='decisions-0-kind']").select_option(kind)
            page.locator("textarea[name='decisions-0-text']").fill(decision)
        if title == "Budget 2022":  # a second decision, added on the page itself
            page.get_by_role("button", name="Lägg till ett beslut").click()
            page.locator("select[name='decisions-1-kind']").select_option("beslut")
            page.locator("textarea[name='decisions-1-text']").fill("Uppföljning sker i juni.")
        if title == "Tjänsteköp Samordnare":  # a reservation with its motivation, and jäv
            page.locator("details summary").first.click()
            page.get_by_label("Bengt-Åke Strand", exact=True).first.check()
            page.locator(f"input[name='decisions-0-motivation_{bengt.pk}']").fill(
                "Till förmån för eget yrkande om avslag."
            )
            page.locator("input[name='decisions-0-jav']").first.check()
        last = title == WRITTEN[-1][0]
        name = "Spara och tillbaka till dagordningen" if last else "Spara och nästa"
        page.get_by_role("button", name=name).click()
    page.get_by_role("heading", name="Arbetsutskottet 27 september 2021").wait_for()

    assert len(loads) <= 12, loads
    texts = dict(Paragraph.objects.filter(meeting=meeting).values_list("title", "text"))
    for title, text, _kind, _decision in WRITTEN:
        assert texts[title] == text, title
    budget = Decision.objects.filter(paragraph__title="Budget 2022").order_by("order")
    assert [d.text for d in budget] == ["Budgeten fastställs.", "Uppföljning sker i juni."]
    köp = Decision.objects.get(paragraph__title="Tjänsteköp Samordnare")
    assert [(r.person, r.motivation) for r in köp.reservations.all()] == [
        (bengt, "Till förmån för eget yrkande om avslag.")
    ]
    assert köp.jav.count() == 1
    print(f"page loads for the 8 paragraphs: {len(loads)}")


def test_a_bilaga_is_attached_replaced_and_removed(browser_page, live_server, meeting):
    page = browser_page
    log_in(page, live_server.url)
    page.goto(f"{live_server.url}/arbete/sammantraden/{meeting.pk}/bilagor/")
    budget = meeting.paragraphs.get(title="Budget 2022")
    page.get_by_label("Paragraf").select_option(label=f"{budget.sign} Budget 2022")
    page.locator("input[name=title]").fill("Budgetförslag")
    page.get_by_label("Fil").set_input_files(
        files=[{"name": "budget.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4\n% v1\n"}]
    )
    page.get_by_role("button", name="Bifoga").click()
    page.get_by_text("Bilaga 1 är bifogad.").wait_for()

    page.get_by_role("link", name="Ändra Bilaga 1").click()
    page.get_by_label("Byt filen mot").set_input_files(
        files=[
            {"name": "budget-2.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4\n% v2\n"}
        ]
    )
    page.get_by_role("button", name="Spara").click()
    page.get_by_text("Bilaga 1 är sparad.").wait_for()
    assert Bilaga.objects.get().file.open("rb").read() == b"%PDF-1.4\n% v2\n"

    page.get_by_role("link", name="Ta bort Bilaga 1").click()
    page.get_by_role("button", name="Ta bort bilagan").click()
    page.get_by_text("Bilaga 1 är borttagen").wait_for()
    assert not Bilaga.objects.exists()


def test_a_text_typed_when_the_session_has_ended_survives(browser_page, live_server, meeting):
    page = browser_page
    log_in(page, live_server.url)
    item = meeting.paragraphs.get(title="Budget 2022")
    page.goto(f"{live_server.url}/arbete/sammantraden/{meeting.pk}/punkter/{item.pk}/")
    page.get_by_label("Text", exact=True).fill("En lång text skriven under en hel förmiddag.")
    # Meanwhile the session ends (it expired, or the secretary logged out elsewhere).
    from django.contrib.sessions.models import Session

    Session.objects.all().delete()
    page.get_by_role("button", name="Spara", exact=True).click()

    page.get_by_label("Användarnamn").wait_for()  # the login page
    page.get_by_label("Användarnamn").fill("asa")
    page.get_by_label("Lösenord").fill(PASSWORD)
    page.get_by_role("button", name="Logga in", exact=True).click()
    device = TOTPDevice.objects.get(user__username="asa")
    page.get_by_label("Kod från din autentiseringsapp").fill(totp_code(device, offset=1))
    page.get_by_role("button", name="Bekräfta").click()

    page.get_by_text("Du loggades ut medan du skrev").wait_for()
    assert page.get_by_label("Text", exact=True).input_value() == (
        "En lång text skriven under en hel förmiddag."
    )
    page.get_by_role("button", name="Spara", exact=True).click()
    page.get_by_text("är sparad.").wait_for()
    item.refresh_from_db()
    assert item.text == "En lång text skriven under en hel förmiddag."


def test_the_workspace_tables_fit_a_phone(browser_page, live_server, meeting):
    """WCAG 1.4.10 (reflow), seen on a walk of issue 29: the wide tables of the
    workspace (the meetings, the attendance, the bilagor) scroll in a region of their
    own that a keyboard reaches, not the page sideways."""
    from django.urls import reverse

    page = browser_page
    log_in(page, live_server.url)
    page.set_viewport_size({"width": 390, "height": 844})
    regions = 0
    for url in (
        reverse("workspace:dashboard"),
        reverse("workspace:attendance", args=[meeting.pk]),
        reverse("workspace:bilagor", args=[meeting.pk]),
    ):
        page.goto(f"{live_server.url}{url}")
        assert page.evaluate("document.documentElement.scrollWidth") <= 390, url
        for table in page.locator("table").all():  # each in its region
            region = table.locator("xpath=..")
            assert region.get_attribute("role") == "region", url
            region.focus()
            assert page.evaluate("document.activeElement.classList.contains('table-responsive')")
            regions += 1
    assert regions >= 2  # the meetings and the attendance at least
