"""Reminders of uppdrag by the daily job: the assignee of an unfinished uppdrag of a
justerat protocol is mailed once a week before its due date and once the day after
it, through the outbox, each at most once however often the job runs."""

import datetime
import io

import pytest
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.utils.translation import gettext as _

from meetings.actions import followup, services
from meetings.models import Decision, FollowUpReminder, Uppdrag
from minutes_site.outbox.models import Mail
from tests.conftest import justera

DUE = datetime.date(2022, 3, 15)


def _daily(monkeypatch, day: datetime.date, *options: str) -> str:
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: day)
    out = io.StringIO()
    call_command("daily", *options, stdout=out)
    return out.getvalue().strip()


def _sent() -> list[tuple]:
    return [
        (m.kind, m.to, m.subject, m.about_type.model, m.about_id)
        for m in Mail.objects.order_by("pk")
    ]


@pytest.fixture
def uppdrag(drafted, annica, secretary):
    """Annica's uppdrag (she has an e-mail address), due 2022-03-15, of the
    arbetsutskott's justerat protocol."""
    decision = Decision.objects.filter(paragraph__meeting=drafted).first()
    made = Uppdrag.objects.create(
        decision=decision, description="Ta fram en budget för 2022", assignee=annica, due_date=DUE
    )
    justera(drafted, justerare=[annica], by=secretary)
    Mail.objects.all().delete()  # the justering's own notices, none of this test's
    return made


def _subject(kind: str) -> str:
    if kind == "late":
        return _("Reminder: an uppdrag that was due %(date)s") % {"date": "2022-03-15"}
    return _("Reminder: an uppdrag due %(date)s") % {"date": "2022-03-15"}


def test_a_reminder_a_week_before_and_one_the_day_after_the_due_date(uppdrag, monkeypatch):
    paragraph = uppdrag.decision.paragraph
    _daily(monkeypatch, DUE - datetime.timedelta(days=8))
    assert _sent() == []

    _daily(monkeypatch, DUE - datetime.timedelta(days=7))

    upp = ("follow_up_reminder", ["annica@example.se"])
    assert _sent() == [(*upp, _subject("due_soon"), "uppdrag", uppdrag.pk)]
    lead = _("The uppdrag below, given to you, is due %(date)s.") % {"date": "2022-03-15"}
    assert Mail.objects.get().body == _(
        "%(lead)s\n\n%(task)s\n\nDecided: %(decided)s\nDue: %(date)s\n\n"
        "Say how it stands (not started, in progress, done, reported back) here:\n%(link)s\n"
    ) % {
        "lead": lead,
        "task": "Ta fram en budget för 2022",
        "decided": f"Arbetsutskottet 2021-09-27, § {paragraph.number} Tjänsteköp Samordnare",
        "date": "2022-03-15",
        "link": f"{settings.SITE_URL}/ledamot/uppdrag/{uppdrag.pk}/",
    }

    for day in (DUE - datetime.timedelta(days=6), DUE):
        _daily(monkeypatch, day)
    assert len(_sent()) == 1

    _daily(monkeypatch, DUE + datetime.timedelta(days=1))

    assert _sent()[1:] == [(*upp, _subject("late"), "uppdrag", uppdrag.pk)]
    late = Mail.objects.order_by("pk").last().body
    assert late.startswith(
        _("The uppdrag below was due %(date)s and is not yet marked as done.")
        % {"date": "2022-03-15"}
        + "\n\nTa fram en budget för 2022\n\n"
    )
    assert f"{settings.SITE_URL}/ledamot/uppdrag/{uppdrag.pk}/\n" in late
    assert sorted(FollowUpReminder.objects.values_list("kind", "sent_on")) == [
        ("due_soon", DUE - datetime.timedelta(days=7)),
        ("late", DUE + datetime.timedelta(days=1)),
    ]

    _daily(monkeypatch, DUE + datetime.timedelta(days=2))
    assert len(_sent()) == 2


def test_the_daily_job_twice_on_one_day_sends_nothing_twice(uppdrag, monkeypatch):
    week_before = DUE - datetime.timedelta(days=7)
    line = "Publicerade: 0. Påminnelser skickade: 0. " + _(
        "Reminders of uppdrag sent: %(followed_up)s."
    )

    assert _daily(monkeypatch, week_before) == line % {"followed_up": 1}
    assert _daily(monkeypatch, week_before) == line % {"followed_up": 0}
    assert _daily(monkeypatch, DUE + datetime.timedelta(days=1)) == line % {"followed_up": 1}
    assert _daily(monkeypatch, DUE + datetime.timedelta(days=1)) == line % {"followed_up": 0}

    assert [s[2] for s in _sent()] == [_subject("due_soon"), _subject("late")]
    assert FollowUpReminder.objects.count() == 2


def test_the_days_before_are_an_option(uppdrag, monkeypatch):
    _daily(monkeypatch, DUE - datetime.timedelta(days=4), "--follow-up-days-before", "3")
    assert _sent() == []

    _daily(monkeypatch, DUE - datetime.timedelta(days=3), "--follow-up-days-before", "3")
    assert [s[2] for s in _sent()] == [_subject("due_soon")]


def test_a_missed_day_still_reminds_but_not_of_what_is_long_past(uppdrag, monkeypatch):
    # The job did not run a week before: two days before, the reminder still goes.
    _daily(monkeypatch, DUE - datetime.timedelta(days=2))
    assert [s[2] for s in _sent()] == [_subject("due_soon")]

    # Past the due date by more than a week (say, reminders came after it): no mail.
    assert followup.remind(today=DUE + datetime.timedelta(days=8)) == 0
    assert len(_sent()) == 1


@pytest.mark.parametrize("status", ["klar", "aterrapporterad"])
def test_a_finished_uppdrag_is_not_reminded(uppdrag, monkeypatch, secretary, status):
    followup.record(uppdrag, status=status, by=secretary)

    _daily(monkeypatch, DUE - datetime.timedelta(days=7))
    _daily(monkeypatch, DUE + datetime.timedelta(days=1))

    assert _sent() == []
    assert FollowUpReminder.objects.count() == 0


def test_an_uppdrag_in_progress_is_reminded(uppdrag, monkeypatch, secretary):
    followup.record(uppdrag, status="pagar", note="Påbörjat", by=secretary)

    _daily(monkeypatch, DUE + datetime.timedelta(days=1))

    assert [s[2] for s in _sent()] == [_subject("late")]


def test_an_assignee_without_an_e_mail_address_is_not_reminded(uppdrag, monkeypatch, annica):
    annica.email = ""
    annica.save()

    _daily(monkeypatch, DUE - datetime.timedelta(days=7))
    _daily(monkeypatch, DUE + datetime.timedelta(days=1))

    assert _sent() == []
    assert FollowUpReminder.objects.count() == 0


def test_an_uppdrag_of_a_protocol_not_justerat_is_not_reminded(
    au, seats, secretary, annica, monkeypatch
):
    meeting = services.plan_meeting(
        au, by=secretary, date=datetime.date(2022, 2, 1), start_time=datetime.time(9)
    )
    item = services.add_item(meeting, section="beslut", title="Budget")
    services.start_protocol(meeting)
    decision = Decision.objects.create(paragraph=item, kind="beslut", text="Beslutas att …")
    Uppdrag.objects.create(
        decision=decision, description="Ta fram en budget", assignee=annica, due_date=DUE
    )

    _daily(monkeypatch, DUE - datetime.timedelta(days=7))
    _daily(monkeypatch, DUE + datetime.timedelta(days=1))

    assert _sent() == []
    assert FollowUpReminder.objects.count() == 0


def test_the_reminder_is_about_the_uppdrag_alone(uppdrag, monkeypatch):
    _daily(monkeypatch, DUE - datetime.timedelta(days=7))

    (sent,) = Mail.objects.all()
    assert sent.about_type == ContentType.objects.get_for_model(Uppdrag)
    assert sent.about == uppdrag
    assert sent.to == ["annica@example.se"]  # no copy to anyone
