"""The demo's year, as `make run` seeds it (once for the module: each test runs in
its own savepoint of the seeded database)."""

import datetime
from unittest import mock

import pytest
from django.contrib.auth.models import User

from meetings import demo
from meetings.models import Attendance, Decision, FollowUp, Meeting, Paragraph
from members.models import Membership
from tests.conftest import can_log_in, shared_rows

TODAY = datetime.date(2026, 11, 23)


def _seed():
    # The kallelse goes out only for a meeting still to come: the demo's day is today.
    with mock.patch("django.utils.timezone.localdate", lambda *a, **k: TODAY):
        demo.seed(password="demo", today=TODAY)


_demo_built, demo_rows = shared_rows("demo_rows", _seed)


@pytest.fixture
def seeded(demo_rows, monkeypatch):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: TODAY)


def test_held_meetings_are_numbered_on_through_the_year_without_gaps(seeded):
    for body in ("arbetsutskott", "styrelse"):
        held = Meeting.objects.filter(body__slug=body, status="genomfort").order_by("date")
        numbers = [
            n
            for m in held
            for n in m.paragraphs.order_by("position").values_list("number", flat=True)
        ]
        assert numbers == list(range(1, len(numbers) + 1)), body


def test_planned_meetings_have_an_agenda_but_no_numbers_yet(seeded):
    planned = Meeting.objects.filter(status__in=["planerat", "kallat"]).order_by("date")

    assert [str(m.date) for m in planned] == ["2026-12-07", "2026-12-11"]
    assert set(Paragraph.objects.filter(meeting__in=planned).values_list("number", flat=True)) == {
        None
    }
    assert Decision.objects.filter(paragraph__meeting__in=planned).count() == 0


def test_the_next_meetings_are_called_with_their_handlingar(seeded, client):
    called = Meeting.objects.filter(status="kallat").order_by("date")

    assert [str(m.date) for m in called] == ["2026-12-07", "2026-12-11"]
    styrelse = called[1]
    assert list(styrelse.handlingar.values_list("title", "is_public")) == [
        ("Dagordning", True),
        ("Verksamhetsrapport med deltagarärenden", False),
    ]
    assert styrelse.kallelser.count() == 1
    html = client.get("/norralv/styrelse/2026-12-11/").content.decode()
    assert "Förbundschefens rapport" in html and "Dagordning" in html
    assert "Verksamhetsrapport" not in html


def test_the_styrelse_decides_on_the_proposals_of_the_arbetsutskott(seeded):
    answers = Paragraph.objects.filter(responds_to__isnull=False).select_related(
        "responds_to__meeting", "meeting"
    )

    assert answers.count() == 4
    for paragraph in answers:
        proposal = paragraph.responds_to.decisions.get()
        assert proposal.kind == "forslag"
        assert proposal.proposed_to == paragraph.meeting.body
        assert paragraph.responds_to.meeting.date < paragraph.meeting.date


def test_the_demo_has_what_real_protocols_have(seeded):
    assert Attendance.objects.filter(present_from__isnull=False).count() >= 3
    assert Attendance.objects.filter(capacity="tjanstgorande_ersattare").count() == 5
    assert Decision.objects.filter(votes_for__isnull=False, reservations__isnull=False).count() == 1
    assert Decision.objects.filter(jav__isnull=False).count() == 1
    assert Paragraph.objects.filter(is_confidential=True).count() == 1
    assert Decision.objects.filter(uppdrag__isnull=False).count() == 14
    # Followed up once justerat: without justering (no `justera`) none is.
    assert FollowUp.objects.count() == 0
    held = Meeting.objects.filter(status="genomfort")
    assert all(m.bilagor.filter(number=1, title="Dagordning").exists() for m in held)


def test_attendance_matches_the_memberships_valid_on_the_day(seeded):
    for meeting in Meeting.objects.filter(status="genomfort"):
        seats = Membership.objects.filter(body=meeting.body).valid_on(meeting.date)
        members = {m.person_id for m in seats}
        present = set(
            meeting.attendances.exclude(capacity="ovrig").values_list("person", flat=True)
        )
        assert present == members, meeting


def test_the_demo_accounts_log_in_with_the_given_password(seeded):
    assert can_log_in("sekreterare", "demo")
    assert can_log_in("admin", "demo")
    assert User.objects.get(username="admin").is_superuser
