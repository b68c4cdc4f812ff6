"""What a person has to do, for the start page "Att göra" (views/start.py).

Built from the state of the protocols, the same state the e-mails of
meetings.actions.notices tell of, so that a notice lost on the way is still on the page.
"""

import datetime
from dataclasses import dataclass, field

from django.contrib.auth.models import User
from django.contrib.contenttypes.prefetch import GenericPrefetch
from django.utils import timezone

from meetings.actions import followup, justering
from meetings.models import Approval, Comment, Meeting, Rattelse
from meetings.rules import frozen
from meetings.rules.permissions import approves, readable_meetings, workspace_meetings
from minutes_site.outbox import sending

LIMIT = 20  # per list; the workspace and "Mina sammanträden" have them all
RECENT = datetime.timedelta(days=14)


@dataclass
class Todo:
    to_justera: list[dict] = field(default_factory=list)
    rattelser: list[Rattelse] = field(default_factory=list)
    returned: list[dict] = field(default_factory=list)
    to_publish: list[Meeting] = field(default_factory=list)
    scheduled: list[Meeting] = field(default_factory=list)  # to be published on a later day
    overdue: list[dict] = field(default_factory=list)
    comments: list[Comment] = field(default_factory=list)
    upcoming: list[Meeting] = field(default_factory=list)
    # E-mail of the secretary's meetings that did not arrive, by meeting: [{meeting,
    # waiting, failed, mail}] (a kallelse to twelve is one line, not twelve).
    undelivered: list[dict] = field(default_factory=list)
    late_uppdrag: list[dict] = field(default_factory=list)  # past due, not done
    # The user's own uppdrag (as assignee) that are late or due within two weeks.
    my_uppdrag: list[dict] = field(default_factory=list)

    @property
    def anything(self) -> bool:
        return any(
            (
                self.to_justera,
                self.rattelser,
                self.returned,
                self.to_publish,
                self.scheduled,
                self.overdue,
                self.comments,
                self.upcoming,
                self.undelivered,
                self.late_uppdrag,
                self.my_uppdrag,
            )
        )


def _undelivered(meetings) -> list[dict]:
    rows: dict[int, dict] = {}
    mails = (
        sending.undelivered(meetings)
        .prefetch_related(GenericPrefetch("about", [Meeting.objects.select_related("body")]))
        .order_by("-created")[: LIMIT * 20]
    )
    for mail in mails:
        row = rows.setdefault(
            mail.about_id, {"meeting": mail.about, "waiting": 0, "failed": 0, "mail": mail}
        )
        row["waiting" if mail.waiting else "failed"] += 1
    return list(rows.values())[:LIMIT]


def for_user(user: User, *, staff: bool) -> Todo:
    today = timezone.localdate()
    todo = Todo()
    mine = Meeting.objects.filter(approves(user)).distinct().select_related("body__organisation")
    for meeting in mine.filter(status=Meeting.Status.UNDER_JUSTERING).order_by("date")[:LIMIT]:
        row = next(
            (r for r in justering.approval_state(meeting) if r["person"].user_id == user.pk), None
        )
        if row and not row["valid"]:
            todo.to_justera.append(
                {"meeting": meeting, "row": row, "late": meeting.justering_deadline < today}
            )
    todo.rattelser = [
        r
        for r in Rattelse.objects.filter(meeting__in=mine, approved_at__isnull=True)
        .select_related("meeting__body")
        .order_by("created")[:LIMIT]
        if not r.approvals.filter(person__user=user).exists()
    ]
    if staff:
        theirs = workspace_meetings(user)
        for meeting in theirs.filter(status=Meeting.Status.GENOMFORT).order_by("-date")[:LIMIT]:
            asked = (
                meeting.approvals.filter(decision=Approval.Decision.ANDRING, rattelse__isnull=True)
                .select_related("person")
                .order_by("-created")
                .first()
            )
            if asked:
                todo.returned.append({"meeting": meeting, "request": asked})
        todo.to_publish = list(
            theirs.filter(frozen.is_frozen(), publish_on__isnull=True).order_by("date")[:LIMIT]
        )
        todo.scheduled = list(theirs.filter(publish_on__gt=today).order_by("publish_on")[:LIMIT])
        for meeting in theirs.filter(
            status=Meeting.Status.UNDER_JUSTERING, justering_deadline_set__lt=today
        ).order_by("date")[:LIMIT]:
            waiting = [r["person"] for r in justering.approval_state(meeting) if not r["valid"]]
            todo.overdue.append({"meeting": meeting, "waiting": waiting})
        todo.comments = list(
            Comment.objects.filter(
                meeting__in=theirs.filter(status=Meeting.Status.UNDER_JUSTERING),
                created__gte=timezone.now() - RECENT,
            )
            .select_related("meeting__body", "person", "paragraph")
            .order_by("-created")[:LIMIT]
        )
        todo.undelivered = _undelivered(theirs)
        todo.late_uppdrag = followup.rows(
            followup.followed(user).filter(due_date__lt=today)[: LIMIT * 5], today, only="late"
        )[:LIMIT]
    soon = today + followup.SOON
    todo.my_uppdrag = [
        row
        for row in followup.rows(
            followup.assigned_to(user).filter(due_date__lte=soon)[: LIMIT * 5], today
        )
        if row["state"] in ("late", "soon")
    ][:LIMIT]
    todo.upcoming = list(
        readable_meetings(user)
        .filter(date__gte=today)
        .exclude(status=Meeting.Status.INSTALLT)
        .select_related("body__organisation")
        .order_by("date", "start_time")[:10]
    )
    return todo
