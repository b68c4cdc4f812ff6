"""A meeting moved after its kallelse went out (issue 29, 2): the secretary is told
to send it again and what it will say; the new kallelse says plainly what changed
and asks for förhinder by a day not passed; the old public address leads on."""

import datetime
import io
from unittest import mock

import pytest
from django.core import mail
from django.template.defaultfilters import date as format_date
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from meetings.actions import kallelse, services
from meetings.models import Meeting
from tests.meetings.test_handlingar import attach, send

pytestmark = pytest.mark.django_db

OLD = "/norrbotten/arbetsutskott/2021-09-27/"
NEW = "/norrbotten/arbetsutskott/2021-09-29/"


def _move(meeting, secretary, **fields):
    now = {f: getattr(meeting, f) for f in ("date", "start_time", "end_time", "place", "is_remote")}
    services.edit_meeting(meeting, by=secretary, **{**now, **fields})
    meeting.refresh_from_db()


@pytest.fixture
def called(planned, secretary):
    Meeting.objects.filter(pk=planned.pk).update(place="Kansliet, Luleå", is_remote=False)
    planned.refresh_from_db()
    send(planned, secretary)
    mail.outbox.clear()
    return planned


def test_the_secretary_is_told_what_changed_and_to_send_it_again(
    secretary_client, called, secretary
):
    url = reverse("workspace:meeting", args=[called.pk])
    with mock.patch("django.utils.timezone.localdate", return_value=datetime.date(2021, 9, 20)):
        before = secretary_client.get(url).content.decode()
        _move(
            called,
            secretary,
            date=datetime.date(2021, 9, 29),
            start_time=datetime.time(13, 0),
            end_time=datetime.time(15, 0),
        )
        after = secretary_client.get(url).content.decode()

    assert "Sammanträdet har ändrats sedan kallelsen skickades" not in before
    assert "Sammanträdet har ändrats sedan kallelsen skickades" in after
    assert (
        "<li>Ändrat datum: onsdag 29 september 2021 (tidigare måndag 27 september 2021).</li>"
        in after
    )
    assert "<li>Ändrad tid: 13.00–15.00 (tidigare 09.00–11.00).</li>" in after
    assert "Ändrad plats" not in after


def test_the_new_kallelse_says_what_changed(called, secretary):
    _move(called, secretary, place="Stadshuset, Boden", is_remote=True)
    attach(services.add_item(called, section="beslut", title="Budget 2022"), "Budgetförslag")

    send(called, secretary)

    first = called.kallelser.order_by("sent_at").first().sent_at
    sent_on = format_date(timezone.localtime(first), "j F Y")
    message = next(m for m in mail.outbox if m.to == ["annica@example.se"])
    assert message.subject == "Ändrad kallelse: Arbetsutskottet 27 september 2021"
    assert message.body.splitlines()[:5] == [
        f"Denna kallelse ersätter den som skickades {sent_on}.",
        "Ändrad plats: Stadshuset, Boden (möjligt att delta på distans) "
        "(tidigare Kansliet, Luleå).",
        "Dagordningen är ändrad.",
        "Nya handlingar har tillkommit.",
        "",
    ]
    pdf = PdfReader(io.BytesIO(message.attachments[0][1]))
    text = " ".join(pdf.pages[0].extract_text().split())
    assert f"Denna kallelse ersätter den som skickades {sent_on}." in text
    assert "Ändrad plats: Stadshuset, Boden" in text


def test_a_first_kallelse_says_nothing_changed(planned, secretary):
    send(planned, secretary)

    message = mail.outbox[0]
    assert message.subject == "Kallelse: Arbetsutskottet 27 september 2021"
    assert "ersätter" not in message.body and "Ändrad" not in message.body


def test_forhinder_is_asked_by_a_day_not_passed(planned, secretary):
    # Sent the day before the meeting (a Sunday): the working day before has passed.
    with mock.patch("django.utils.timezone.localdate", return_value=datetime.date(2021, 9, 26)):
        assert kallelse.reply_by(planned) == datetime.date(2021, 9, 26)
        kallelse.send(planned, by=secretary)
    assert "senast söndag 26 september." in mail.outbox[0].body
    with mock.patch("django.utils.timezone.localdate", return_value=datetime.date(2021, 9, 20)):
        assert kallelse.reply_by(planned) == datetime.date(2021, 9, 24)


def test_the_old_public_address_leads_to_the_new_one(client, called, secretary):
    with mock.patch("django.utils.timezone.localdate", return_value=datetime.date(2021, 9, 20)):
        _move(called, secretary, date=datetime.date(2021, 9, 29))
        send(called, secretary)

        moved = client.get(OLD)
        page = client.get(NEW)

    assert moved.status_code == 302
    assert moved["Location"] == NEW
    assert page.status_code == 200
    assert client.get("/norrbotten/arbetsutskott/2021-09-28/").status_code == 404


def test_an_address_no_kallelse_announced_stays_404(client, planned, secretary):
    # Moved before any kallelse: nobody was ever told the old day.
    _move(planned, secretary, date=datetime.date(2021, 9, 29))
    send(planned, secretary)

    assert client.get(OLD).status_code == 404


def test_a_handling_added_is_not_called_a_new_agenda(called, secretary):
    item = called.paragraphs.order_by("position").first()
    attach(item, "Sent tillagd")

    assert kallelse.changes(called, called.kallelser.get()) == ["Nya handlingar har tillkommit."]


def test_the_sent_kallelser_say_the_day_each_announced(secretary_client, called, secretary):
    with mock.patch("django.utils.timezone.localdate", return_value=datetime.date(2021, 9, 20)):
        _move(called, secretary, date=datetime.date(2021, 9, 29))
        send(called, secretary)
        page = secretary_client.get(reverse("workspace:meeting", args=[called.pk]))

    html = page.content.decode()
    assert "(till 29 september 2021 kl. 09.00)" in html
    assert "(till 27 september 2021 kl. 09.00)" in html
