"""The meeting's life: its protocol begins on its day (or on the day it was held,
said so), a kallelse needs a chair and people to call, and a meeting not yet held
can be cancelled, which tells those called."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from meetings.actions import kallelse, services
from meetings.models import AuditEvent, Meeting
from members.models import Membership


@pytest.fixture
def coming(au, seats, secretary):
    """A meeting ten days from now, its members seated for that day."""
    Membership.objects.filter(body=au).update(end=None)
    day = timezone.localdate() + datetime.timedelta(days=10)
    return services.plan_meeting(
        au,
        by=secretary,
        date=day,
        start_time=datetime.time(9),
        end_time=datetime.time(11),
        place="Kansliet",
    )


def test_the_protocol_of_a_meeting_still_to_come_cannot_begin(coming, secretary_client):
    response = secretary_client.post(
        reverse("workspace:protocol_start", args=[coming.pk]), follow=True
    )

    assert "protokollet börjar den dagen" in response.content.decode()
    coming.refresh_from_db()
    assert coming.status == Meeting.Status.PLANERAT
    assert not coming.paragraphs.filter(number__isnull=False).exists()
    assert not coming.attendances.exists()


def test_a_meeting_held_earlier_than_planned_begins_with_its_real_day(coming, secretary_client):
    today = timezone.localdate()
    secretary_client.post(
        reverse("workspace:protocol_start", args=[coming.pk]), {"held_on": today.isoformat()}
    )

    coming.refresh_from_db()
    assert coming.date == today
    assert coming.status == Meeting.Status.GENOMFORT
    event = AuditEvent.objects.get(meeting=coming, action="held_earlier")
    assert event.details["held"] == today.isoformat()


def test_a_meeting_cannot_have_been_held_in_the_future(coming, secretary):
    with pytest.raises(services.MeetingRuleError, match="en dag som ännu inte har kommit"):
        services.start_protocol(coming, by=secretary, held_on=coming.date)


def test_a_kallelse_needs_a_chair(coming, secretary_client):
    Meeting.objects.filter(pk=coming.pk).update(chair=None)
    url = reverse("workspace:kallelse_send", args=[coming.pk])

    page = secretary_client.get(url).content.decode()
    refused = secretary_client.post(url)

    assert "Sammanträdet har ingen ordförande" in page
    assert "<button" not in page.split("<main", 1)[1].split("</main>")[0]
    assert refused.status_code == 400
    assert mail.outbox == []
    assert Meeting.objects.get(pk=coming.pk).status == Meeting.Status.PLANERAT


def test_a_kallelse_needs_someone_to_call(coming, secretary_client):
    Membership.objects.filter(body=coming.body).update(end=coming.date - datetime.timedelta(days=1))
    # The chair stays chosen, but nobody sits in the body that day.
    with pytest.raises(services.MeetingRuleError, match="det finns ingen att kalla"):
        kallelse.send(coming, by=None)

    page = secretary_client.get(reverse("workspace:kallelse_send", args=[coming.pk]))
    assert "Lägg först till ledamöterna för den nya perioden." in page.content.decode()


def test_the_kallelse_page_says_whom_it_goes_to_before_sending(coming, secretary_client):
    page = secretary_client.get(reverse("workspace:kallelse_send", args=[coming.pk]))

    html = page.content.decode()
    for name in ("Fredrik Hansson", "Annica Alatalo", "Bengt-Åke Strand", "Lisa Persson"):
        assert name in html
    assert "Skicka till 4 personer" in html


def test_a_meeting_not_yet_held_is_cancelled_and_those_called_are_told(
    coming, secretary, secretary_client
):
    kallelse.send(coming, by=secretary)
    mail.outbox.clear()
    url = reverse("workspace:meeting_cancel", args=[coming.pk])

    asked = secretary_client.get(url)
    secretary_client.post(url, {"reason": "Ärendena flyttas till nästa möte."})

    assert "Ställ in sammanträdet?" in asked.content.decode()
    coming.refresh_from_db()
    assert coming.status == Meeting.Status.INSTALLT
    assert sorted(m.to[0] for m in mail.outbox) == [
        "annica@example.se",
        "bengt-åke@example.se",
        "fredrik@example.se",
        "lisa@example.se",
    ]
    assert "är inställt" in mail.outbox[0].body
    assert "Ärendena flyttas till nästa möte." in mail.outbox[0].body
    calendar = secretary_client.get("/norrbotten/arbetsutskott/sammantraden.ics").content
    assert b"BEGIN:VEVENT" not in calendar


def test_a_held_meeting_cannot_be_cancelled(drafted, secretary):
    with pytest.raises(
        services.MeetingRuleError, match="Bara ett sammanträde som inte har hållits"
    ):
        services.cancel_meeting(drafted, by=secretary)


def test_the_workspace_offers_what_the_day_allows(coming, secretary_client):
    page = secretary_client.get(reverse("workspace:meeting", args=[coming.pk])).content.decode()

    assert "Sammanträdet hölls den" in page  # the held-earlier choice, not a plain start
    assert reverse("workspace:meeting_cancel", args=[coming.pk]) in page


def test_a_status_moves_only_as_the_life_of_a_meeting_allows(planned, secretary):
    """Meeting.move_to is the one way a status changes: a move the table allows is
    saved, recorded as the verb's audit event and told; any other is refused and
    changes nothing."""
    from meetings.models import AuditEvent, StatusMoveRefused
    from meetings.rules.signals import status_changed

    told = []

    def listen(sender, meeting, before, after, **kwargs):
        told.append((meeting.pk, before, after))

    status_changed.connect(listen)
    try:
        with pytest.raises(StatusMoveRefused, match="kan inte bli publicerat"):
            planned.move_to(Meeting.Status.PUBLICERAT, by=secretary, action="published")
        planned.refresh_from_db()
        assert planned.status == Meeting.Status.PLANERAT
        assert not AuditEvent.objects.filter(meeting=planned, action="published").exists()

        planned.move_to(Meeting.Status.INSTALLT, by=secretary, action="cancelled", reason="Ingen")
    finally:
        status_changed.disconnect(listen)

    planned.refresh_from_db()
    assert planned.status == Meeting.Status.INSTALLT
    event = AuditEvent.objects.get(meeting=planned, action="cancelled")
    assert (event.user, event.details) == (secretary, {"reason": "Ingen"})
    assert told == [(planned.pk, "planerat", "installt")]
    assert not Meeting.Status.INSTALLT.may_become(Meeting.Status.KALLAT)
    with pytest.raises(StatusMoveRefused):
        planned.move_to(Meeting.Status.KALLAT)
