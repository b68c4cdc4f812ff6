import io
import re

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice
from pypdf import PdfReader

from meetings.models import Attendance, Bilaga, Decision, Meeting
from tests.conftest import _secretary, totp_code

pytestmark = pytest.mark.browser

PARAGRAPHS = [
    # (title, section, text, decision kind, decision)
    ("Äskande av medel för 2022", "information",
     "Äskande har skickats in till Försäkringskassan om 3 250 000 kr.",
     "lagges_till_handlingarna", "Informationen läggs till handlingarna."),
    ("Inför verksamhetsplanering", "diskussion",
     "Idéworkshop den 5/10 på Framnäs folkhögskola.",
     "beslut", "Beslutas att förslaget presenteras vid idéworkshopen."),
    ("Tjänsteköp Samordnare", "beslut",
     "Lokala samverkansgruppen i Boden har beslutat om rekrytering av samordnare 50 %.",
     "forslag", "Arbetsutskottet föreslår styrelsen att fastställa tjänsteköpet."),
    ("Policy särskilt lönetillägg", "beslut",
     "Beslutet ska fastställa policy för hur stort lönetillägget ska vara.",
     "beslut", "Arbetsutskottet beslutar att lönetillägget är 3000 kr per månad."),
    ("Ansökan om medel", "beslut",
     "Ett förslag till ansökan om medel föredrogs.",
     "beslut", "Arbetsutskottet beslutar att skicka ut ansökan till parterna omgående."),
]  # fmt: skip


def test_a_secretary_drafts_a_whole_protocol_in_the_browser(
    browser_page, live_server, organisation, au, styrelse, seats, asa
):
    _secretary("asa", organisation, asa)
    page = browser_page

    # Log in
    page.goto(f"{live_server.url}/arbete/")
    page.get_by_label("Användarnamn").fill("asa")
    page.get_by_label("Lösenord").fill("hemligt-lösenord-1")
    page.get_by_role("button", name="Logga in", exact=True).click()
    # The first time: set up the authenticator app, confirm with its code
    page.get_by_role("heading", name="Tvåstegsinloggning").wait_for()
    device = TOTPDevice.objects.get(user__username="asa")
    page.get_by_label("Kod från din autentiseringsapp").fill(totp_code(device))
    page.get_by_role("button", name="Bekräfta").click()
    page.get_by_role("heading", name="Arbetsyta").wait_for()

    # Plan the meeting
    page.get_by_role("link", name="Planera ett sammanträde").click()
    page.get_by_label("Organ").select_option(
        label="Arbetsutskottet, Samordningsförbundet Norrbotten"
    )
    page.get_by_label("Datum").fill("2021-09-27")
    page.get_by_label("Börjar").fill("09:00")
    page.get_by_label("Slutar").fill("11:00")
    page.get_by_label("Plats").fill("Via Teams")
    page.get_by_label("Deltagande på distans").check()
    page.get_by_role("button", name="Spara").click()
    page.get_by_text("Sammanträdet är planerat med standarddagordningen.").wait_for()

    # Build the agenda: five items, then move the last decision item up once
    for title, section, *_rest in PARAGRAPHS:
        page.get_by_label("Avsnitt").select_option(section)
        page.get_by_label("Rubrik").fill(title)
        page.get_by_role("button", name="Lägg till", exact=True).click()
        page.get_by_text("Ärendet är tillagt.").wait_for()
    page.get_by_role("button", name="Flytta upp Ansökan om medel").click()

    # Start the protocol: numbers and attendance
    page.get_by_role("button", name="Börja protokollet").click()
    page.get_by_text("Ärendena har fått sina §-nummer").wait_for()
    meeting = Meeting.objects.get()
    numbers = dict(meeting.paragraphs.values_list("title", "number"))
    assert numbers["Mötets öppnande"] == 1
    assert numbers["Ansökan om medel"] == 6
    assert numbers["Policy särskilt lönetillägg"] == 7

    # Attendance: Bengt-Åke Strand arrives for the first information item
    page.get_by_role("link", name="Närvaro").click()
    bengt = page.get_by_role("row").filter(
        has=page.get_by_role("rowheader", name=re.compile("^Bengt-Åke Strand"))
    )
    bengt.locator("select[name$='-present_from']").select_option(label="§\u00a04")
    page.get_by_role("button", name="Spara närvaron").click()
    page.get_by_text("Närvaron är sparad.").wait_for()

    # Write the five paragraphs with their decisions
    for title, _section, text, kind, decision in PARAGRAPHS:
        page.get_by_role("link", name=f"Skriv {title}").click()
        page.get_by_label("Text", exact=True).fill(text)
        page.locator("select[name='decisions-0-kind']").select_option(kind)
        page.locator("textarea[name='decisions-0-text']").fill(decision)
        if kind == "forslag":
            page.locator("select[name='decisions-0-proposed_to']").select_option(label="Styrelsen")
        page.get_by_role("button", name="Spara och tillbaka till dagordningen").click()
        page.get_by_text("är sparad.").wait_for()

    # Upload a bilaga to the discussion item, Inför verksamhetsplanering
    page.get_by_role("link", name="Bilagor").click()
    workshop = numbers["Inför verksamhetsplanering"]
    page.get_by_label("Paragraf").select_option(
        label=f"§\u00a0{workshop} Inför verksamhetsplanering"
    )
    page.get_by_label("Rubrik").fill("Underlag idéworkshop")
    page.get_by_label("Fil").set_input_files(
        files=[
            {
                "name": "underlag.pdf",
                "mimeType": "application/pdf",
                "buffer": b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n",
            }
        ]
    )
    page.get_by_role("button", name="Bifoga").click()
    page.get_by_text("Bilaga 1 är bifogad.").wait_for()

    # Download the draft PDF with the browser's session and read it
    page.get_by_role("link", name="Arbetsutskottet 2021-09-27").click()
    href = page.get_by_role("link", name="Protokollsutkast (PDF)").get_attribute("href")
    response = page.request.get(f"{live_server.url}{href}")
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.body()))
    text = " ".join(" ".join(p.extract_text().split()) for p in reader.pages)

    for title, _section, body, _kind, decision in PARAGRAPHS:
        assert f"§ {numbers[title]} {title}" in text
        assert body in text
        assert decision in text
    assert "Bengt-Åke Strand, Region Norrbotten (från § 4)" in text
    assert "Förslag till styrelsen" in text
    assert "Bilaga 1: Underlag idéworkshop" in text
    assert "UTKAST" in text
    assert Decision.objects.filter(paragraph__meeting=meeting).count() == 5
    assert Bilaga.objects.get().paragraph.title == "Inför verksamhetsplanering"
    assert Attendance.objects.get(person__name="Bengt-Åke Strand").present_from.number == 4
