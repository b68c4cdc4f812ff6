"""`manage.py seed_demo` as `make run` calls it, run once for this module on a fixed
day (the statuses depend on where the day falls in the demo's year): seeding is the
slowest thing a test can do, so every test here reads the one seeded demo: the
command's work, and the demo's beslutsuppföljning and ärendens gång (issue 35; where
an uppdrag stands depends on where the day falls in the demo's year)."""

import datetime
import io
from collections import Counter
from unittest import mock

from django.core.management import call_command
from django.db.models import Count

from meetings.actions import followup
from meetings.models import ArchivedProtocol, FollowUp, Matter, Meeting, Uppdrag
from tests.conftest import can_log_in, shared_rows
from tests.factories import row_counts

TODAY = datetime.date(2026, 11, 23)


def _seed_on_a_fixed_day() -> str:
    out = io.StringIO()
    with mock.patch("django.utils.timezone.localdate", lambda *a, **k: TODAY):
        call_command("seed_demo", "--password", "demo", stdout=out)
    return out.getvalue()


_seeded_built, seeded = shared_rows("seeded", _seed_on_a_fixed_day)


def test_seed_demo_twice_creates_nothing_the_second_time(seeded):
    first = row_counts("auth", "members", "meetings")
    out = io.StringIO()

    call_command("seed_demo", stdout=out)

    assert row_counts("auth", "members", "meetings") == first
    assert first["meetings.Meeting"] == 16
    assert seeded == "Demodata skapade: norralv.\n"
    assert out.getvalue() == "Demodata finns redan (norralv); inget har ändrats.\n"


def test_the_demo_command_justeras_all_but_the_latest_protocols(seeded):
    statuses = dict(
        Meeting.objects.values_list("status").annotate(n=Count("id")).values_list("status", "n")
    )
    assert statuses == {"publicerat": 12, "under_justering": 1, "genomfort": 1, "kallat": 2}
    waiting = Meeting.objects.get(status="under_justering")
    assert waiting.approvals.count() == 1
    assert can_log_in("marialindqvist", "demo")
    assert ArchivedProtocol.objects.count() == 12


# --- Beslutsuppföljning and ärendens gång in the seeded demo ---------------------


def _uppdrag():
    return Uppdrag.objects.select_related(
        "decision__paragraph__meeting__body", "assignee", "follow_up__report__meeting__body"
    ).order_by("due_date", "pk")


def _status(uppdrag: Uppdrag) -> str:
    follow_up = getattr(uppdrag, "follow_up", None)
    return follow_up.status if follow_up else FollowUp.Status.EJ_PABORJAD


def test_a_year_of_uppdrag_in_every_follow_up_state(seeded):
    everything = list(_uppdrag())
    followed = [u for u in everything if u.decision.paragraph.meeting.is_frozen]

    # The one of the protocol out for justering is followed once it is justerat.
    assert [
        (u.decision.paragraph.meeting.status, str(u.due_date))
        for u in everything
        if u not in followed
    ] == [("under_justering", "2027-12-10")]
    assert len(followed) == 13
    assert Counter(_status(u) for u in followed) == {
        "ej_paborjad": 4,
        "pagar": 3,
        "klar": 3,
        "aterrapporterad": 3,
    }
    assert Counter(followup.state(u, TODAY) for u in followed) == {
        "done": 6,
        "late": 3,
        "soon": 2,
        "open": 2,
    }
    # Two weeks on (the day the reminders go out for the December meetings).
    assert Counter(followup.state(u, datetime.date(2026, 12, 7)) for u in followed) == {
        "done": 6,
        "late": 3,
        "soon": 3,
        "open": 1,
    }
    assert [
        (str(u.due_date), _status(u)) for u in followed if followup.state(u, TODAY) == "late"
    ] == [
        ("2026-09-21", "ej_paborjad"),
        ("2026-09-30", "pagar"),
        ("2026-10-30", "ej_paborjad"),
    ]
    assert sorted(
        (str(u.due_date), _status(u)) for u in followed if followup.state(u, TODAY) == "soon"
    ) == [
        ("2026-12-07", "ej_paborjad"),
        ("2026-12-07", "pagar"),
    ]


def test_the_uppdrag_go_to_different_people_and_to_no_one(seeded):
    assignees = Counter(u.assignee.name if u.assignee else None for u in _uppdrag())

    assert assignees == {
        "Helena Strand": 9,
        "Jonas Almqvist": 2,
        "Karin Holmström": 1,
        None: 2,
    }


def test_each_status_but_not_started_has_its_note_date_and_the_secretary(seeded):
    follow_ups = FollowUp.objects.select_related("uppdrag__decision__paragraph__meeting")

    assert follow_ups.count() == 10  # the other three not started were never touched
    for follow_up in follow_ups:
        assert follow_up.note, follow_up
        assert follow_up.changed_by.username == "sekreterare"
        assert follow_up.uppdrag.decision.paragraph.meeting.date < follow_up.status_date <= TODAY
    # The history keeps each step, on its day.
    signed = FollowUp.objects.get(
        uppdrag__description__startswith="Förbundschefen får i uppdrag att teckna avtal"
    )
    assert [
        (h.status, str(h.history_date.date())) for h in signed.history.order_by("history_date")
    ] == [
        ("pagar", "2026-05-04"),
        ("klar", "2026-05-27"),
    ]


def test_the_reported_back_uppdrag_are_linked_to_a_later_paragraph(seeded):
    reported = [u for u in _uppdrag() if _status(u) == "aterrapporterad"]

    assert [
        (
            u.decision.paragraph.meeting.body.slug,
            str(u.decision.paragraph.meeting.date),
            u.follow_up.report.meeting.body.slug,
            str(u.follow_up.report.meeting.date),
            u.follow_up.report.title,
            str(u.follow_up.status_date),
        )
        for u in reported
    ] == [
        (
            "styrelse",
            "2026-02-06",
            "styrelse",
            "2026-04-24",
            "Återrapportering: revisorernas granskning av årsredovisning 2025",
            "2026-04-24",
        ),
        (
            "arbetsutskott",
            "2026-02-23",
            "styrelse",
            "2026-06-12",
            "Återrapportering: reviderat avtal för insatsen Steget vidare",
            "2026-06-12",
        ),
        (
            "arbetsutskott",
            "2026-09-21",
            "arbetsutskott",
            "2026-11-16",
            "Återrapportering: översyn av attestordningen",
            "2026-11-16",
        ),
    ]
    for u in reported:
        assert u.follow_up.report.diarienummer == u.decision.paragraph.diarienummer
        assert u.follow_up.note  # the note of its progress is kept
    # The latest is linked in the protocol still being written; the others in
    # protocols justerat since, which keep the link.
    assert [u.follow_up.report.meeting.status for u in reported] == [
        "publicerat",
        "publicerat",
        "genomfort",
    ]


def _path(matter: Matter) -> list[tuple[str, str, int | None]]:
    return [
        (link.paragraph.meeting.body.slug, str(link.paragraph.meeting.date), link.paragraph.number)
        for link in matter.links.select_related("paragraph__meeting__body").order_by(
            "paragraph__meeting__date", "paragraph__position"
        )
    ]


def test_matters_run_through_both_bodies(seeded):
    both = {
        m.reference: [(body, date) for body, date, _number in _path(m)]
        for m in Matter.objects.order_by("key")
        if {body for body, *_rest in _path(m)} == {"arbetsutskott", "styrelse"}
    }

    assert both == {
        "SF 2026/3": [
            ("arbetsutskott", "2026-01-19"),
            ("styrelse", "2026-02-06"),
            ("styrelse", "2026-04-24"),
        ],
        "SF 2026/7": [("arbetsutskott", "2026-02-23"), ("styrelse", "2026-06-12")],
        "SF 2026/11": [("arbetsutskott", "2026-03-23"), ("styrelse", "2026-04-24")],
        "SF 2026/22": [
            ("arbetsutskott", "2026-05-18"),
            ("arbetsutskott", "2026-08-24"),
            ("styrelse", "2026-09-25"),
        ],
        "SF 2026/27": [("arbetsutskott", "2026-10-19"), ("styrelse", "2026-10-30")],
    }
    assert Matter.objects.count() == 12


def test_the_public_reads_the_path_of_a_matter_through_both_bodies(seeded, client):
    matter = Matter.objects.get(reference="SF 2026/3")

    html = client.get(f"/norralv/arenden/{matter.pk}/").content.decode()

    steps = [
        "2026-01-19, Arbetsutskottet:</strong> <a",
        "2026-02-06, Styrelsen:</strong> <a",
        "2026-04-24, Styrelsen:</strong> <a",
    ]
    assert [html.count(step) for step in steps] == [1, 1, 1]
    assert [html.index(step) for step in steps] == sorted(html.index(step) for step in steps)
    assert "Återrapportering: revisorernas granskning av årsredovisning 2025" in html
