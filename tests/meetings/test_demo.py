import datetime

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.db.models import Count

from meetings import demo
from meetings.models import ArchivedProtocol, Attendance, Decision, Meeting, Paragraph
from members.models import Membership
from tests.conftest import can_log_in
from tests.factories import row_counts

TODAY = datetime.date(2026, 11, 23)


@pytest.fixture
def seeded(db, monkeypatch):
    # The kallelse goes out only for a meeting still to come: the demo's day is today.
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: TODAY)
    demo.seed(password="demo", today=TODAY)


def test_seed_demo_twice_creates_nothing_the_second_time(db, capsys):
    call_command("seed_demo")
    first = row_counts("auth", "members", "meetings")

    call_command("seed_demo")

    assert row_counts("auth", "members", "meetings") == first
    assert first["meetings.Meeting"] == 16
    out = capsys.readouterr().out
    assert "norralv" in out
    assert out.count("norralv") == 2


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
        ("Dagordning", True), ("Verksamhetsrapport med deltagarärenden", False),
    ]  # fmt: skip
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
    assert Decision.objects.filter(uppdrag__isnull=False).count() == 2
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


def test_without_a_password_the_demo_accounts_cannot_log_in(db):
    demo.seed()

    assert not can_log_in("admin", "")
    assert not User.objects.get(username="admin").has_usable_password()


def test_the_demo_command_justeras_all_but_the_latest_protocols(db, monkeypatch):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: TODAY)
    call_command("seed_demo", "--password", "demo")

    statuses = dict(
        Meeting.objects.values_list("status").annotate(n=Count("id")).values_list("status", "n")
    )
    assert statuses == {"publicerat": 12, "under_justering": 1, "genomfort": 1, "kallat": 2}
    waiting = Meeting.objects.get(status="under_justering")
    assert waiting.approvals.count() == 1
    assert can_log_in("marialindqvist", "demo")
    assert ArchivedProtocol.objects.count() == 12
