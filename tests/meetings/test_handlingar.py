"""Handlingar: attached to agenda items before the meeting, sent with the kallelse,
listed on the public page of a called meeting (the public ones only), made bilagor
after the meeting with one action."""

import datetime
import email
import hashlib
from pathlib import Path
from unittest import mock

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from meetings.actions import kallelse, services
from meetings.models import Bilaga, Handling, Kallelse
from tests.meetings.test_workspace_files import PDF, pdf_text

OTHER_PDF = b"%PDF-1.4\n% the budget\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PUBLIC = "/norrbotten/arbetsutskott/2021-09-27/"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def items(planned):
    """A called meeting's agenda: a public decision item with a diarienummer, and a
    confidential one."""
    budget = services.add_item(
        planned, section="beslut", title="Budget 2022", diarienummer="SF 2021/12"
    )
    secret = services.add_item(
        planned,
        section="beslut",
        title="Ärende om deltagare Kim Berg",
        is_confidential=True,
        public_title="Ärende enligt OSL 26 kap.",
    )
    return {"budget": budget, "secret": secret}


def attach(paragraph, title, content=PDF, *, is_public=True, name=None):
    return services.attach_handling(
        paragraph,
        title=title,
        file=ContentFile(content, name=name or "h.pdf"),
        filename=name or f"{title.lower().replace(' ', '-')}.pdf",
        is_public=is_public,
    )


@pytest.fixture
def handlingar(items):
    return {
        "budget": attach(items["budget"], "Förslag till budget", OTHER_PDF),
        "underlag": attach(items["budget"], "Underlag med namn", is_public=False),
        "secret": attach(items["secret"], "Utredning", is_public=False),
    }


def post_handling(
    client,
    meeting,
    paragraph,
    *,
    title="Förslag till budget",
    content=PDF,
    name="budget.pdf",
    public=True,
):
    data = {"paragraph": paragraph.pk, "title": title, "file": SimpleUploadedFile(name, content)}
    if public:
        data["is_public"] = "on"
    return client.post(reverse("workspace:handlingar", args=[meeting.pk]), data)


# --- The secretary's page ---------------------------------------------------------


def test_the_secretary_attaches_a_handling_and_downloads_it(secretary_client, planned, items):
    response = post_handling(secretary_client, planned, items["budget"], content=OTHER_PDF)

    assert response.status_code == 302
    handling = Handling.objects.get()
    assert (handling.paragraph, handling.title, handling.filename, handling.is_public) == (
        items["budget"],
        "Förslag till budget",
        "budget.pdf",
        True,
    )
    assert handling.sha256 == hashlib.sha256(OTHER_PDF).hexdigest()
    page = secretary_client.get(reverse("workspace:handlingar", args=[planned.pk]))
    assert "Förslag till budget" in page.content.decode()
    download = secretary_client.get(
        reverse("workspace:handling_download", args=[planned.pk, handling.pk])
    )
    assert b"".join(download.streaming_content) == OTHER_PDF
    assert download["Content-Disposition"] == 'attachment; filename="budget.pdf"'


def test_a_handling_is_checked_by_its_content_and_nothing_typed_is_lost(
    secretary_client, planned, items
):
    response = post_handling(
        secretary_client,
        planned,
        items["budget"],
        title="Mitt underlag",
        content=b"MZ\x90\x00 not a pdf",
        name="underlag.pdf",
    )

    assert response.status_code == 400
    html = response.content.decode()
    assert "Filens innehåll är inte en PDF-, Word-, Excel-, PNG- eller JPEG-fil" in html
    assert 'value="Mitt underlag"' in html
    assert Handling.objects.count() == 0


def test_a_handling_of_a_confidential_item_cannot_be_public(secretary_client, planned, items):
    response = post_handling(secretary_client, planned, items["secret"], public=True)

    assert response.status_code == 400
    assert "En handling till ett ärende med sekretess kan inte vara offentlig." in (
        response.content.decode()
    )
    assert Handling.objects.count() == 0
    # Whatever path saves one, it is not public.
    forced = Handling(
        meeting=planned,
        paragraph=items["secret"],
        title="x",
        is_public=True,
        file=ContentFile(PDF, name="x.pdf"),
    )
    with pytest.raises(ValidationError):
        forced.clean()
    forced.save()
    assert Handling.objects.get(pk=forced.pk).is_public is False


def test_handlingar_are_added_before_the_meeting_only(secretary_client, drafted, annica):
    from tests.conftest import justera

    paragraph = drafted.paragraphs.first()
    attach(paragraph, "Före justeringen")  # held, not yet sent: still possible
    justera(drafted, justerare=[annica], by=None)

    with pytest.raises(services.MeetingRuleError):
        attach(paragraph, "Efteråt")
    response = post_handling(secretary_client, drafted, paragraph)

    assert response.status_code == 302
    assert list(Handling.objects.values_list("title", flat=True)) == ["Före justeringen"]


def test_after_the_meeting_a_handling_becomes_a_bilaga_with_one_action(secretary_client, drafted):
    paragraph = drafted.paragraphs.get(position=4)
    handling = attach(paragraph, "Förslag till budget", OTHER_PDF)
    url = reverse("workspace:handling_to_bilaga", args=[drafted.pk, handling.pk])
    number = drafted.bilagor.count() + 1

    response = secretary_client.post(url, follow=True)

    handling.refresh_from_db()
    bilaga = handling.bilaga
    assert (bilaga.number, bilaga.title, bilaga.paragraph, bilaga.is_public) == (
        number,
        "Förslag till budget",
        paragraph,
        True,
    )
    assert bilaga.file.read() == OTHER_PDF
    assert bilaga.sha256 == handling.sha256
    assert f"”Förslag till budget” är Bilaga {number} till protokollet." in (
        response.content.decode()
    )
    # A second click makes no second bilaga.
    response = secretary_client.post(url, follow=True)
    assert f"Handlingen är redan Bilaga {number}." in response.content.decode()
    assert Bilaga.objects.count() == number


def test_removing_a_handling_asks_first_and_deletes_its_file(
    secretary_client, planned, items, django_capture_on_commit_callbacks
):
    handling = attach(items["budget"], "Fel fil")
    stored = Path(handling.file.path)
    url = reverse("workspace:handling_remove", args=[planned.pk, handling.pk])

    asked = secretary_client.get(url)
    assert "Ta bort handlingen ”Fel fil”?" in asked.content.decode()
    assert Handling.objects.count() == 1 and stored.exists()

    with django_capture_on_commit_callbacks(execute=True):
        response = secretary_client.post(url)

    assert response.status_code == 302
    assert Handling.objects.count() == 0
    assert not stored.exists()


def test_another_organisations_secretary_cannot_reach_a_handling(
    other_secretary_client, planned, items
):
    handling = attach(items["budget"], "Förslag till budget")

    for name in ("handlingar", "handling_download", "handling_remove"):
        args = [planned.pk] if name == "handlingar" else [planned.pk, handling.pk]
        assert (
            other_secretary_client.get(reverse(f"workspace:{name}", args=args)).status_code == 404
        )


# --- The kallelse -----------------------------------------------------------------


def test_the_kallelse_reads_as_a_swedish_kallelse(secretary_client, planned, handlingar, asa):
    asa.email, asa.phone = "asa@example.se", "0920-123 45"
    asa.save()
    planned.secretary = asa
    planned.save()

    text = pdf_text(secretary_client.get(reverse("workspace:kallelse_pdf", args=[planned.pk])))
    flat = " ".join(text.split())

    assert "Kallelse" in text
    assert "Arbetsutskottet, Samordningsförbundet Norrbotten" in flat
    assert "Tid Måndag 27 september 2021 kl. 09.00–11.00" in flat
    assert "Plats Via Teams (möjligt att delta på distans)" in flat
    assert "Beslutsärenden" in text
    assert "§ ___ Budget 2022 Dnr SF 2021/12" in flat
    assert "Handling: Förslag till budget" in flat
    assert "Handling: Underlag med namn (ej offentlig: ledamöterna läser den inloggade)" in flat
    # A confidential item by its public title only, in the kallelse too.
    assert "§ ___ Ärende enligt OSL 26 kap. (sekretess)" in flat
    assert "Kim Berg" not in flat
    assert "Ledamöter Fredrik Hansson (ordförande), Luleå kommun" in flat
    assert "Annica Alatalo, Försäkringskassan" in flat
    assert "Ersättare Lisa Persson, Luleå kommun" in flat
    assert (
        "Förhinder anmäls till Åsa Snårbacka, asa@example.se, telefon 0920-123 45, "
        "senast fredag 24 september 2021." in flat
    )


def test_the_kallelse_mail_carries_the_pdf_an_invitation_and_the_public_handlingar(
    secretary_client, planned, handlingar, week_before
):
    response = secretary_client.post(reverse("workspace:kallelse_send", args=[planned.pk]))

    assert response.status_code == 302
    message = next(m for m in mail.outbox if m.to == ["annica@example.se"])
    names = [a[0] for a in message.attachments]
    assert names == [
        "kallelse-arbetsutskott-2021-09-27.pdf",
        "kallelse.ics",
        "förslag-till-budget.pdf",
    ]
    assert message.attachments[2][1] == OTHER_PDF
    ics = message.attachments[1][1]
    assert message.attachments[1][2] == "text/calendar; method=REQUEST"
    assert "METHOD:REQUEST" in ics
    assert "BEGIN:VTIMEZONE\r\nTZID:Europe/Stockholm" in ics
    assert "DTSTART;TZID=Europe/Stockholm:20210927T090000" in ics
    assert "DTEND;TZID=Europe/Stockholm:20210927T110000" in ics
    assert f"UID:meeting-{planned.pk}@testserver" in ics
    assert "ATTENDEE;ROLE=REQ-PARTICIPANT;RSVP=FALSE:mailto:annica@example.se" in ics
    assert "SEQUENCE:0" in ics
    body = message.body
    assert "– Budget 2022: Förslag till budget (bifogad)" in body
    member_link = reverse("member:handling", args=[planned.pk, handlingar["underlag"].pk])
    assert "– Budget 2022: Underlag med namn (ej offentlig: logga in för att läsa den)" in body
    assert f"http://testserver{member_link}" in body
    assert "– Ärende enligt OSL 26 kap.: Utredning (ej offentlig" in body
    assert "Kim Berg" not in body
    # The mail, as a mail server gets it, holds no byte of the files that are not public.
    raw = email.message_from_bytes(message.message().as_bytes())
    assert [p.get_filename() for p in raw.walk() if p.get_filename()] == names
    assert Kallelse.objects.get().public_agenda["format"] == "paragraf.agenda"


def test_a_second_kallelse_updates_the_same_calendar_event(
    planned, handlingar, secretary, week_before
):
    kallelse.send(planned, by=secretary)
    kallelse.send(planned, by=secretary)

    first, second = (m.attachments[1][1] for m in mail.outbox if m.to == ["annica@example.se"])
    assert "SEQUENCE:0" in first and "SEQUENCE:1" in second
    uid = f"UID:meeting-{planned.pk}@testserver"
    assert uid in first and uid in second


def test_handlingar_too_large_together_are_linked_not_attached(
    planned, handlingar, secretary, settings, week_before
):
    settings.KALLELSE_ATTACHMENTS_MAX_BYTES = 10

    kallelse.send(planned, by=secretary)

    message = mail.outbox[0]
    assert [a[0] for a in message.attachments] == [
        "kallelse-arbetsutskott-2021-09-27.pdf",
        "kallelse.ics",
    ]
    assert "Förslag till budget (för stora för att bifoga alla: logga in för att läsa den)" in (
        message.body
    )


def test_a_member_reads_every_handling_an_outsider_none(
    client, planned, handlingar, annica, other_organisation
):
    from django.contrib.auth.models import User

    annica.user = User.objects.create_user("annica")
    annica.save()
    client.force_login(annica.user)
    url = reverse("member:handling", args=[planned.pk, handlingar["underlag"].pk])

    response = client.get(url)

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    page = client.get(reverse("member:meeting", args=[planned.pk])).content.decode()
    assert "Underlag med namn" in page
    # Before the meeting the member reads its kallelse, not a "draft protocol".
    assert "Kallelse: Arbetsutskottet 27 september 2021" in page
    assert "Utkast" not in page and "utkast" not in page
    assert "Kallelsen är inte skickad än" in page
    assert f'href="{url}"' in page
    pdf = client.get(reverse("member:kallelse_pdf", args=[planned.pk]))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    client.force_login(User.objects.create_user("utomstaende"))
    assert client.get(url).status_code in (403, 404)
    assert client.get(reverse("member:kallelse_pdf", args=[planned.pk])).status_code in (403, 404)


# --- The public ---------------------------------------------------------------------


def send(meeting, by):
    with mock.patch("django.utils.timezone.localdate", return_value=datetime.date(2021, 9, 20)):
        return kallelse.send(meeting, by=by)


def test_before_the_kallelse_the_public_sees_nothing_of_the_meeting(client, planned, handlingar):
    assert client.get(PUBLIC).status_code == 404
    assert "Budget 2022" not in client.get("/norrbotten/").content.decode()


def test_a_called_meeting_shows_its_public_agenda_and_nothing_else(
    client, planned, handlingar, secretary, django_assert_max_num_queries
):
    send(planned, secretary)

    with django_assert_max_num_queries(5):
        response = client.get(PUBLIC)

    assert response.status_code == 200
    html = response.content.decode()
    assert "Sammanträde: Arbetsutskottet 27 september 2021" in html
    assert "Via Teams" in html
    assert "Budget 2022" in html and "SF 2021/12" in html
    assert f'href="{PUBLIC}handling-{handlingar["budget"].pk}/"' in html
    assert "Förslag till budget" in html
    assert "Ärende enligt OSL 26 kap." in html
    for secret in (
        "Kim Berg",
        "Underlag med namn",
        "Utredning",
        f"handling-{handlingar['underlag'].pk}/",
        f"handling-{handlingar['secret'].pk}/",
    ):
        assert secret not in html
    assert "Arbetsutskottet 27 september 2021, 09.00" in _organisation_page(client)


def _organisation_page(client):
    with mock.patch("django.utils.timezone.localdate", return_value=datetime.date(2021, 9, 20)):
        return client.get("/norrbotten/").content.decode()


def test_the_public_opens_the_public_handlingar_only(client, planned, handlingar, secretary):
    send(planned, secretary)
    base = PUBLIC + "handling-"

    response = client.get(f"{base}{handlingar['budget'].pk}/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == OTHER_PDF
    assert client.get(f"{base}{handlingar['underlag'].pk}/").status_code == 404
    assert client.get(f"{base}{handlingar['secret'].pk}/").status_code == 404


def test_the_public_page_shows_the_agenda_as_sent_not_the_draft_after_it(
    client, planned, items, handlingar, secretary
):
    send(planned, secretary)
    later = attach(items["budget"], "Sent tillagd")
    items["budget"].title = "Ändrad efter kallelsen"
    items["budget"].save()

    html = client.get(PUBLIC).content.decode()

    assert "Budget 2022" in html
    assert "Ändrad efter kallelsen" not in html and "Sent tillagd" not in html
    assert client.get(f"{PUBLIC}handling-{later.pk}/").status_code == 404


def test_a_handling_made_secret_after_the_kallelse_is_no_longer_public(
    client, planned, items, handlingar, secretary
):
    send(planned, secretary)
    budget = handlingar["budget"]
    url = f"{PUBLIC}handling-{budget.pk}/"
    assert client.get(url).status_code == 200

    budget.is_public = False
    budget.save()

    assert client.get(url).status_code == 404
    # Nor is it offered on the meeting's page.
    assert url not in client.get(PUBLIC).content.decode()


def test_masked_words_in_an_agenda_title_never_reach_the_public(client, planned, secretary):
    item = services.add_item(planned, section="beslut", title="Anställning av [[Kim Berg]]")
    attach(item, "Avtal med [[Kim Berg]]")

    send(planned, secretary)

    html = client.get(PUBLIC).content.decode()
    assert "Anställning av [uppgift borttagen]" in html
    assert "Avtal med [uppgift borttagen]" in html
    assert "Kim Berg" not in html
    assert "Kim Berg" not in str(Kallelse.objects.get().public_agenda)


def test_a_cancelled_meeting_says_so_in_public(client, planned, handlingar, secretary):
    send(planned, secretary)
    with mock.patch("django.utils.timezone.localdate", return_value=datetime.date(2021, 9, 20)):
        services.cancel_meeting(planned, by=secretary)

    assert "Sammanträdet är inställt." in client.get(PUBLIC).content.decode()


def test_a_public_handling_is_named_by_its_title_not_by_the_uploaded_file(
    client, planned, items, secretary
):
    handling = attach(items["budget"], "Förslag till budget", name="Kim Bergs utkast.pdf")
    send(planned, secretary)

    response = client.get(f"{PUBLIC}handling-{handling.pk}/")

    assert response.status_code == 200
    assert 'filename="forslag-till-budget.pdf"' in response["Content-Disposition"]
    assert "Kim" not in response["Content-Disposition"]


def test_cancelling_takes_the_meeting_out_of_calendars_and_off_the_kept_pages(
    client, planned, handlingar, secretary, settings, fredrik
):
    from meetings.documents import calendar as ical

    settings.PUBLIC_PAGE_CACHE_SECONDS = 300
    send(planned, secretary)
    assert "inställt" not in client.get(PUBLIC).content.decode()
    assert "inställt" not in client.get(PUBLIC).content.decode()  # now a kept page
    mail.outbox.clear()

    with mock.patch("django.utils.timezone.localdate", return_value=datetime.date(2021, 9, 20)):
        services.cancel_meeting(planned, by=secretary)

    assert "Sammanträdet är inställt." in client.get(PUBLIC).content.decode()
    message = next(m for m in mail.outbox if m.to == [fredrik.email])
    ((name, ics, mimetype),) = message.attachments
    assert (name, mimetype) == ("installt.ics", "text/calendar; method=CANCEL")
    for line in (
        "METHOD:CANCEL",
        f"UID:{ical.uid(planned)}",
        "SEQUENCE:1",
        "STATUS:CANCELLED",
        f"ATTENDEE;ROLE=REQ-PARTICIPANT;RSVP=FALSE:mailto:{fredrik.email}",
    ):
        assert line in ics.split("\r\n"), line


def test_the_public_calendar_carries_the_sequence_of_the_last_invitation(
    client, planned, secretary
):
    send(planned, secretary)
    send(planned, secretary)  # sent again: the e-mailed invitation had SEQUENCE:1

    with mock.patch("django.utils.timezone.localdate", return_value=datetime.date(2021, 9, 20)):
        ics = client.get("/norrbotten/arbetsutskott/sammantraden.ics").content.decode()

    assert "SEQUENCE:1" in ics.split("\r\n")


def test_the_secretary_is_told_when_the_agenda_changed_after_the_kallelse(
    secretary_client, planned, items, handlingar, secretary
):
    send(planned, secretary)
    page = secretary_client.get(reverse("workspace:meeting", args=[planned.pk]))
    assert "har ändrats sedan kallelsen skickades" not in page.content.decode()

    attach(items["budget"], "Sent tillagd")

    with mock.patch("django.utils.timezone.localdate", return_value=datetime.date(2021, 9, 20)):
        page = secretary_client.get(reverse("workspace:meeting", args=[planned.pk]))
    html = page.content.decode()
    assert "Sammanträdet har ändrats sedan kallelsen skickades" in html
    assert "<li>Nya handlingar har tillkommit.</li>" in html
