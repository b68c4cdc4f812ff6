"""Beslutsuppföljning: the uppdrag of justerat protocols, followed to done.

An uppdrag (a task a decision gives, with its assignee and due date) is followed up
once its protocol is justerat: its FollowUp says how it stands (ej påbörjad, pågår,
klar, återrapporterad) with a note and a date, and never touches the sealed
protocol. Where it stands against its due date (open, due soon, late, done) is said
here, once, for the list, the CSV and the start page. The assignee says how it
stands too (on their own page) and is reminded by e-mail before and after the due
date (`remind`, from the daily job).
"""

import datetime

from django.contrib.auth.models import User
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.db.models import F, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from meetings.actions.notices import mail
from meetings.models import FollowUp, FollowUpReminder, Paragraph, Uppdrag
from meetings.rules import frozen
from meetings.rules.masking import as_words
from meetings.rules.permissions import workspace_meetings
from minutes_site.links import absolute
from minutes_site.outbox import sending

SOON = datetime.timedelta(days=14)

# Where an uppdrag stands, for the filters (the key) and the page (the words).
STATES = {
    "open": gettext_lazy("open"),
    "soon": gettext_lazy("due soon"),
    "late": gettext_lazy("late"),
    "done": gettext_lazy("done"),
}


class FollowUpError(Exception):
    pass


def followed(user: User) -> QuerySet[Uppdrag]:
    """The uppdrag of the justerat protocols in the user's workspace, oldest due first."""
    return (
        Uppdrag.objects.filter(
            frozen.is_frozen("decision__paragraph__meeting__"),
            decision__paragraph__meeting__in=workspace_meetings(user),
        )
        .select_related(
            "decision__paragraph__meeting__body",
            "assignee",
            "follow_up__report__meeting__body",
        )
        .order_by("due_date", "decision__paragraph__meeting__date", "pk")
    )


def assigned_to(user: User) -> QuerySet[Uppdrag]:
    """The uppdrag of justerat protocols given to the user (to the person their
    account is, in any organisation): the nearest due first, those without a due
    date last."""
    if not user.is_authenticated:
        return Uppdrag.objects.none()
    return (
        Uppdrag.objects.filter(
            frozen.is_frozen("decision__paragraph__meeting__"), assignee__user=user
        )
        .select_related("decision__paragraph__meeting__body", "assignee", "follow_up")
        .order_by(F("due_date").asc(nulls_last=True), "decision__paragraph__meeting__date", "pk")
    )


def state(uppdrag: Uppdrag, today: datetime.date) -> str:
    follow_up = getattr(uppdrag, "follow_up", None)
    if follow_up is not None and follow_up.finished:
        return "done"
    if uppdrag.due_date and uppdrag.due_date < today:
        return "late"
    if uppdrag.due_date and uppdrag.due_date <= today + SOON:
        return "soon"
    return "open"


def status_of(uppdrag: Uppdrag) -> str:
    follow_up = getattr(uppdrag, "follow_up", None)
    return str(follow_up.get_status_display() if follow_up else FollowUp.Status.EJ_PABORJAD.label)


def rows(
    uppdrag: QuerySet[Uppdrag] | list[Uppdrag], today: datetime.date, *, only: str = ""
) -> list[dict]:
    """Each uppdrag with its meeting, where it stands and its follow-up; with `only`
    (a key of STATES), those alone."""
    found = []
    for u in uppdrag:
        where = state(u, today)
        if only and where != only:
            continue
        found.append(
            {
                "uppdrag": u,
                "meeting": u.decision.paragraph.meeting,
                "paragraph": u.decision.paragraph,
                "state": where,
                "state_label": STATES[where],
                "status": status_of(u),
                "follow_up": getattr(u, "follow_up", None),
            }
        )
    return found


def record(
    uppdrag: Uppdrag,
    *,
    status: str,
    note: str = "",
    as_of: datetime.date | None = None,
    by: User,
) -> FollowUp:
    """How the uppdrag stands now. Changes: creates or updates its FollowUp (its
    history keeps every earlier state); the sealed protocol is not touched.
    Raises FollowUpError for an uppdrag of a protocol not yet justerat, or a status
    that does not exist."""
    meeting = uppdrag.decision.paragraph.meeting
    if not meeting.is_frozen:
        raise FollowUpError(_("An uppdrag is followed up once its protocol is justerat."))
    if status not in FollowUp.Status.values:
        raise FollowUpError(_("Choose a status."))
    report = getattr(getattr(uppdrag, "follow_up", None), "report", None)
    if report is not None and status != FollowUp.Status.ATERRAPPORTERAD:
        raise FollowUpError(
            _("The uppdrag is reported back in %(sign)s of %(date)s.")
            % {"sign": report.sign, "date": f"{report.meeting.date:%Y-%m-%d}"}
        )
    today = timezone.localdate()
    if as_of and as_of > today:
        raise FollowUpError(_("The date cannot be in the future."))
    if as_of and as_of < meeting.date:
        raise FollowUpError(
            _("The date cannot be before the decision, %(date)s.")
            % {"date": f"{meeting.date:%Y-%m-%d}"}
        )
    follow_up, _created = FollowUp.objects.update_or_create(
        uppdrag=uppdrag,
        defaults={
            "status": status,
            "note": note.strip(),
            "status_date": as_of or today,
            "changed_by": by,
        },
    )
    return follow_up


# How many uppdrag the secretary chooses among when linking a report back: the most
# recent first (an older one is found in the follow-up list and linked from there).
REPORTABLE_SHOWN = 200


def reportable(paragraph: Paragraph) -> QuerySet[Uppdrag]:
    """The uppdrag a paragraph may report back: those not yet reported back of the
    organisation's justerat protocols held before its meeting (or that day), newest
    first."""
    meeting = paragraph.meeting
    return (
        Uppdrag.objects.filter(
            frozen.is_frozen("decision__paragraph__meeting__"),
            decision__paragraph__meeting__body__organisation_id=meeting.body.organisation_id,
            decision__paragraph__meeting__date__lte=meeting.date,
        )
        .exclude(decision__paragraph__meeting=meeting)
        # Done (klart) is what is usually reported back; reported back is closed.
        .exclude(follow_up__status=FollowUp.Status.ATERRAPPORTERAD)
        .select_related("decision__paragraph__meeting__body", "assignee")
        .order_by("-decision__paragraph__meeting__date", "-decision__paragraph__position", "pk")
    )


def report_back(uppdrag: Uppdrag, paragraph: Paragraph, *, by: User) -> FollowUp:
    """Links the later paragraph as the report back of the uppdrag
    ("Återrapportering av uppdrag från § 23/2026"), which closes it: återrapporterad
    as of that meeting's day. The link is made while the later protocol is written
    and stays with it once justerat. Raises FollowUpError when the paragraph's
    protocol is justerat, or the uppdrag is not one it may report back."""
    if paragraph.meeting.is_frozen:
        raise FollowUpError(
            _("The protocol is justerat: a report back is linked while it is written.")
        )
    if not reportable(paragraph).filter(pk=uppdrag.pk).exists():
        raise FollowUpError(
            _(
                "Choose an uppdrag of an earlier justerat protocol of the organisation "
                "that is not yet reported back."
            )
        )
    kept = getattr(uppdrag, "follow_up", None)
    follow_up, _created = FollowUp.objects.update_or_create(
        uppdrag=uppdrag,
        defaults={
            "status": FollowUp.Status.ATERRAPPORTERAD,
            "report": paragraph,
            "note": kept.note if kept else "",
            "status_date": paragraph.meeting.date,
            "changed_by": by,
        },
    )
    return follow_up


def withdraw_report(follow_up: FollowUp, *, by: User) -> FollowUp:
    """Undoes a link made by mistake, while the reporting protocol is written: the
    uppdrag is in progress again. Raises FollowUpError once that protocol is
    justerat."""
    report = follow_up.report
    if report is None or report.meeting.is_frozen:
        raise FollowUpError(_("The report back is part of a justerat protocol and stays."))
    follow_up.report = None
    follow_up.status = FollowUp.Status.PAGAR
    follow_up.status_date = timezone.localdate()
    follow_up.changed_by = by
    follow_up.save()
    return follow_up


def reported_here(paragraph: Paragraph) -> QuerySet[FollowUp]:
    """The follow-ups the paragraph reports back."""
    return FollowUp.objects.filter(report=paragraph).select_related(
        "uppdrag__decision__paragraph__meeting__body", "uppdrag__assignee"
    )


FINISHED = (FollowUp.Status.KLAR, FollowUp.Status.ATERRAPPORTERAD)
# A late reminder goes out the day after the due date; a daily job that did not run
# for some days still sends it within this window, but an uppdrag long past its day
# (e.g. from before reminders existed) is not suddenly mailed about.
LATE_WINDOW = datetime.timedelta(days=7)


def remind(*, today: datetime.date, days_before: int = 7) -> int:
    """Remind each assignee with an e-mail address of their unfinished uppdrag of a
    justerat protocol: once when the due date is `days_before` days away (or nearer,
    if the job did not run that day), once when it has passed. Each kind at most once
    per uppdrag, however often this runs.

    Changes: posts the e-mails to the outbox; records a FollowUpReminder for each.
    Returns the number of e-mails sent."""
    waiting = (
        Uppdrag.objects.filter(
            frozen.is_frozen("decision__paragraph__meeting__"),
            due_date__isnull=False,
            assignee__isnull=False,
        )
        .exclude(assignee__email="")
        .exclude(follow_up__status__in=FINISHED)
        .select_related("decision__paragraph__meeting__body", "assignee")
        .order_by("due_date", "pk")
    )
    due_soon = waiting.filter(
        due_date__gte=today, due_date__lte=today + datetime.timedelta(days=days_before)
    ).exclude(reminders__kind=FollowUpReminder.Kind.DUE_SOON)
    late = waiting.filter(due_date__lt=today, due_date__gte=today - LATE_WINDOW).exclude(
        reminders__kind=FollowUpReminder.Kind.LATE
    )
    sent = 0
    for kind, found in (
        (FollowUpReminder.Kind.DUE_SOON, due_soon),
        (FollowUpReminder.Kind.LATE, late),
    ):
        for uppdrag in found:
            sent += _remind_once(uppdrag, kind, today)
    return sent


def _remind_once(uppdrag: Uppdrag, kind: str, today: datetime.date) -> int:
    try:
        # The record and the mail in one transaction: a mail is posted with the row
        # that says it was sent, or neither (two jobs at once: the second is refused
        # by the unique constraint and mails nothing).
        with transaction.atomic():
            FollowUpReminder.objects.create(uppdrag=uppdrag, kind=kind, sent_on=today)
            sending.post([_reminder(uppdrag, kind)], about=uppdrag, kind="follow_up_reminder")
    except IntegrityError:
        return 0
    return 1


def _reminder(uppdrag: Uppdrag, kind: str) -> EmailMessage:
    assert uppdrag.assignee is not None  # remind() reads those with an assignee alone
    paragraph = uppdrag.decision.paragraph
    meeting = paragraph.meeting
    due = f"{uppdrag.due_date:%Y-%m-%d}"
    if kind == FollowUpReminder.Kind.LATE:
        subject = _("Reminder: an uppdrag that was due %(date)s") % {"date": due}
        lead = _("The uppdrag below was due %(date)s and is not yet marked as done.") % {
            "date": due
        }
    else:
        subject = _("Reminder: an uppdrag due %(date)s") % {"date": due}
        lead = _("The uppdrag below, given to you, is due %(date)s.") % {"date": due}
    decided = f"{meeting.body.name} {meeting.date:%Y-%m-%d}"
    if paragraph.number:
        decided += f", § {paragraph.number} {as_words(paragraph.title)}"
    body = _(
        "%(lead)s\n\n%(task)s\n\nDecided: %(decided)s\nDue: %(date)s\n\n"
        "Say how it stands (not started, in progress, done, reported back) here:\n%(link)s\n"
    ) % {
        "lead": lead,
        "task": as_words(uppdrag.description),
        "decided": decided,
        "date": due,
        "link": absolute(reverse("member:uppdrag_edit", args=[uppdrag.pk])),
    }
    return mail(uppdrag.assignee.email, subject, body)
