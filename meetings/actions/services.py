"""What the secretary does to a meeting and its protocol, as verbs.

Views validate input with forms and call these; each runs in one transaction and
says in its docstring what it changes. § numbers always go through
`meetings.rules.numbering`.
"""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import User
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Exists, F, Max, OuterRef, Q, QuerySet
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils import timezone
from django.utils.translation import gettext as _

from meetings.actions import justering, notices
from meetings.documents import calendar as ical
from meetings.models import (
    Attendance,
    AuditEvent,
    Bilaga,
    CoSecretary,
    Decision,
    Handling,
    Jav,
    Meeting,
    Paragraph,
    Reservation,
    Uppdrag,
)
from meetings.rules import attendance_rules, numbering
from meetings.rules.masking import has_masks
from meetings.rules.signals import tell_the_public
from members.models import Body, Membership, Person
from minutes_site.outbox import sending

# The items every meeting opens and closes with, in the order and words of the
# förbund's protocols (DOMAIN.md, shared/examples). They are protocol text, written
# in Swedish whatever the UI language; the demo builds its meetings from them too.
OPENING, DAGORDNING, JUSTERARE = (
    "Mötets öppnande",
    "Fastställande av dagordningen",
    justering.JUSTERARE_ITEM,
)
OVRIGA_FRAGOR, AVSLUTNING = "Övriga frågor", "Mötets avslutande"
STANDARD_AGENDA = [
    (Paragraph.Section.INLEDNING, OPENING),
    (Paragraph.Section.INLEDNING, DAGORDNING),
    (Paragraph.Section.INLEDNING, JUSTERARE),
    (Paragraph.Section.OVRIGT, OVRIGA_FRAGOR),
    (Paragraph.Section.AVSLUTNING, AVSLUTNING),
]
SECTION_ORDER = [value for value, _label in Paragraph.Section.choices]


class MeetingRuleError(Exception):
    """A step the meeting's life does not allow now; the message says why, in Swedish."""


def person_for(user: User, organisation_id: int) -> Person | None:
    return Person.objects.filter(user=user, organisation_id=organisation_id).first()


@transaction.atomic
def plan_meeting(body: Body, *, by: User, co_secretary: Person | None = None, **fields) -> Meeting:
    """Create a planned meeting with the standard agenda.

    Changes: creates a Meeting (chair: the body's ordförande on that day; secretary:
    the one given, else the planning user's person, if any; maybe a second person
    vid protokollet) and its five standard agenda items.
    """
    fields.setdefault("secretary", None)
    fields["secretary"] = fields["secretary"] or person_for(by, body.organisation_id)
    meeting = Meeting.objects.create(body=body, chair=chair_on(body, fields["date"]), **fields)
    _set_co_secretaries(meeting, [co_secretary] if co_secretary else [])
    for section, title in STANDARD_AGENDA:
        numbering.add_paragraph(meeting, section=section, title=title)
    return meeting


def chair_on(body: Body, day: datetime.date) -> Person | None:
    """The body's ordförande on `day`, from its seats: a meeting's chair unless
    someone else is chosen to chair it."""
    seat = (
        Membership.objects.filter(body=body, role=Membership.Role.ORDFORANDE)
        .valid_on(day)
        .select_related("person")
        .first()
    )
    return seat.person if seat else None


@receiver(post_save, sender=Membership, dispatch_uid="paragraf-chair-follows-the-seats")
@receiver(post_delete, sender=Membership, dispatch_uid="paragraf-chair-follows-the-seats-gone")
def _chair_follows_the_seats(sender, instance: Membership, raw: bool = False, **kwargs) -> None:
    """A meeting still to be held takes its chair from the seats on its day (issue
    29, 8): when the body's ordförande changes (a new mandatperiod, a seat ended), a
    planned or called meeting without a chair, or chaired by an ordförande whose
    seat no longer covers its day, gets the ordförande of that day. A chair chosen
    from outside the ordförande's seats (a vice ordförande, say) stays."""
    if raw or instance.role != Membership.Role.ORDFORANDE:
        return
    coming = Meeting.objects.filter(
        body_id=instance.body_id,
        status__in=[Meeting.Status.PLANERAT, Meeting.Status.KALLAT],
        date__gte=timezone.localdate(),
    )
    for meeting in coming.select_related("body"):
        derived = chair_on(meeting.body, meeting.date)
        if meeting.chair_id == (derived.pk if derived else None):
            continue
        was_ordforande = (
            meeting.chair_id is not None
            and Membership.objects.filter(
                body_id=meeting.body_id, person_id=meeting.chair_id, role=Membership.Role.ORDFORANDE
            ).exists()
        )
        if meeting.chair_id is None or was_ordforande:
            meeting.chair = derived
            meeting.save(update_fields=["chair", "modified"])


def _set_co_secretaries(meeting: Meeting, people: list[Person]) -> None:
    current = [c.person for c in meeting.co_secretaries.all()]
    if current == people:
        return
    meeting.co_secretaries.all().delete()
    for order, person in enumerate(people, start=1):
        CoSecretary.objects.create(meeting=meeting, person=person, order=order)


def _changed(meeting: Meeting, by: User | None) -> None:
    """After every change to a protocol's content: approvals given to an earlier
    version no longer count (they are bound to its hash); this records it and tells
    the approvers (meetings.actions.justering.content_changed). Every service that changes
    content calls it, so that no path can forget."""
    justering.content_changed(meeting, user=by)


@transaction.atomic
def add_item(
    meeting: Meeting, *, section: str, title: str, by: User | None = None, **fields
) -> Paragraph:
    """Add an agenda item at the end of its section (before Övriga frågor and the
    closing items when it is a decision, say).

    Changes: creates a Paragraph, moves the items after it down one place, and
    numbers it if the meeting is numbered (NumberingError if that cannot be done);
    voids approvals of the earlier version (`_changed`).
    """
    paragraph = numbering.add_paragraph(meeting, section=section, title=title, **fields)
    rank = SECTION_ORDER.index(section)
    later = [
        p.position
        for p in meeting.paragraphs.exclude(pk=paragraph.pk)
        if SECTION_ORDER.index(p.section) > rank
    ]
    if later:
        numbering.move_paragraph(paragraph, min(later))
    _changed(meeting, by)
    return paragraph


@transaction.atomic
def section_boundary(paragraph: Paragraph, step: int) -> Paragraph | None:
    """The neighbour of another section that a move by `step` would pass, if any."""
    neighbour = Paragraph.objects.filter(
        meeting_id=paragraph.meeting_id, position=paragraph.position + step
    ).first()
    return neighbour if neighbour and neighbour.section != paragraph.section else None


def move_item(
    paragraph: Paragraph, step: int, *, by: User | None = None, change_section: bool = False
) -> None:
    """Move an item one place up (step -1) or down (+1) within its section. At the
    edge of its section it moves only when `change_section` says so, into the
    neighbouring section (as its last or first item: its place stays, its section
    changes), so that no section's heading comes twice.

    Changes: positions and, if numbered, the numbers of the meeting's items, or the
    item's section; voids earlier approvals. Raises MeetingRuleError at an edge.
    """
    boundary = section_boundary(paragraph, step)
    if boundary is not None:
        if not change_section:
            raise MeetingRuleError(
                _("%(title)s is at the edge of its section; moving it changes its section.")
                % {"title": paragraph.title}
            )
        paragraph.section = boundary.section
        paragraph.save()
    else:
        numbering.move_paragraph(paragraph, paragraph.position + step)
    _changed(paragraph.meeting, by)


@transaction.atomic
def remove_item(paragraph: Paragraph, *, by: User | None = None) -> None:
    """Delete an unnumbered item, or strike a numbered one (its number stays).
    Changes: deletes the Paragraph, or sets is_struck; voids earlier approvals."""
    meeting = paragraph.meeting
    if paragraph.number is None:
        numbering.remove_paragraph(paragraph)
    else:
        numbering.strike_paragraph(paragraph)
    _changed(meeting, by)


def pending_proposals(body: Body, *, by_day: datetime.date | None = None) -> QuerySet[Decision]:
    """Proposals other bodies made to `body` that no paragraph has taken up yet; with
    `by_day`, only those made at a meeting held by then (a meeting cannot take up
    what a later one proposes)."""
    answered = Paragraph.objects.filter(responds_to=OuterRef("paragraph"))
    proposals = Decision.objects.filter(kind=Decision.Kind.FORSLAG, proposed_to=body)
    if by_day is not None:
        proposals = proposals.filter(paragraph__meeting__date__lte=by_day)
    return (
        proposals.exclude(Exists(answered))
        .select_related("paragraph__meeting__body")
        .order_by("paragraph__meeting__date", "paragraph__number")
    )


@transaction.atomic
def take_up_proposal(meeting: Meeting, proposal: Decision, *, by: User | None = None) -> Paragraph:
    """Put another body's proposal on this meeting's agenda as a decision item.

    Changes: creates a Paragraph that responds to the proposing paragraph, with its
    title, diarienummer, and the proposal as the opening text.
    """
    source = proposal.paragraph
    text = f"{source.meeting.body.name} {source.sign}: {proposal.text}"
    return add_item(
        meeting,
        section=Paragraph.Section.BESLUT,
        title=source.title,
        diarienummer=source.diarienummer,
        text=text,
        responds_to=source,
        by=by,
    )


@transaction.atomic
def start_protocol(
    meeting: Meeting, *, by: User | None = None, held_on: datetime.date | None = None
) -> str:
    """Begin the protocol: give the items their § numbers, fill in attendance from the
    memberships valid on the day, and mark the meeting held.

    A meeting is held on its day: its protocol cannot begin before it. If it was
    held earlier than planned, `held_on` says when, and the meeting's date becomes it.

    Changes: Meeting.date (with `held_on`), Paragraph.number, creates Attendance rows
    (if there are none yet), Meeting.status, and audit events. Returns what it did:
    "started" (the protocol begun, or its attendance filled in), "renumbered" (a
    begun protocol's § numbers put in agenda order again) or "" (nothing: every item
    had its number). Raises MeetingRuleError or NumberingError with the reason.
    """
    today = timezone.localdate()
    if meeting.status == Meeting.Status.INSTALLT:
        raise MeetingRuleError(_("The meeting is cancelled."))
    if held_on is not None:
        if held_on > today:
            raise MeetingRuleError(_("A meeting cannot have been held on a day still to come."))
        if held_on != meeting.date:
            planned = meeting.date
            numbering.refuse_move(meeting, held_on, meeting.start_time)
            meeting.date = held_on
            meeting.save(update_fields=["date", "modified"])
            tell_the_public(__name__, meeting=meeting)  # its public page moves with the date
            AuditEvent.objects.create(
                meeting=meeting,
                user=by,
                action="held_earlier",
                details={"planned": planned.isoformat(), "held": held_on.isoformat()},
            )
    elif meeting.date > today:
        raise MeetingRuleError(
            _(
                "The meeting is planned for %(date)s: its protocol begins on that day. If it "
                "was held earlier than planned, say on which day."
            )
            % {"date": f"{meeting.date:%Y-%m-%d}"}
        )
    numbers = dict(meeting.paragraphs.values_list("pk", "number"))
    renumbered = any(numbers[p.pk] != p.number for p in numbering.number_paragraphs(meeting))
    unfilled = not meeting.attendances.exists()
    started = unfilled or meeting.is_before_meeting
    if unfilled:
        prefill_attendance(meeting)
    if meeting.is_before_meeting:
        meeting.move_to(Meeting.Status.GENOMFORT, by=by, action="protocol_started")
    _changed(meeting, by)
    return "started" if started else "renumbered" if renumbered else ""


def why_not_cancel(meeting: Meeting) -> str:
    """Why the meeting cannot be cancelled, or "" when it can: only one not yet
    held (nor begun) whose day has not passed."""
    if meeting.status == Meeting.Status.INSTALLT:
        return _("The meeting is already cancelled.")
    if meeting.status not in (Meeting.Status.PLANERAT, Meeting.Status.KALLAT):
        return _("Only a meeting not yet held can be cancelled.")
    if meeting.date < timezone.localdate():
        return _("The meeting's day has passed.")
    return ""


def cancel_meeting(meeting: Meeting, *, by: User | None, reason: str = "") -> int:
    """Cancel (ställ in) a meeting before it is held, and tell those called.

    Changes: the status installt; an audit event; e-mails everyone the kallelse went
    to (when it was sent). Returns how many were told. Raises MeetingRuleError after
    the meeting's day or once the protocol is begun.
    """
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if refusal := why_not_cancel(meeting):
        raise MeetingRuleError(refusal)
    meeting.move_to(Meeting.Status.INSTALLT, by=by, action="cancelled", reason=reason)
    tell_the_public(__name__, meeting=meeting)  # the public pages say it is cancelled
    called = meeting.kallelser.order_by("-sent_at").first()
    addresses = sorted({r["email"] for r in (called.recipients if called else []) if r["email"]})
    body = _("The meeting of %(body)s on %(date)s at %(time)s is cancelled.") % {
        "body": meeting.body.name.lower(),
        "date": f"{meeting.date:%Y-%m-%d}",
        "time": meeting.start_time.strftime("%H.%M"),
    }
    if reason:
        body += "\n\n" + reason
    # The invitation sent with the kallelse is taken out of the calendars: the same
    # event, a later sequence, cancelled.
    sequence = meeting.kallelser.count()
    organizer = (meeting.secretary.email if meeting.secretary else "") or (
        settings.DEFAULT_FROM_EMAIL
    )
    messages = []
    for a in addresses:
        message = notices.mail(a, _("Cancelled: %(meeting)s") % {"meeting": meeting}, body)
        message.attach(
            "installt.ics",
            ical.calendar(
                [
                    ical.event(
                        meeting,
                        summary=f"{meeting.body.name}, {meeting.body.organisation.name}",
                        sequence=sequence,
                        cancelled=True,
                        organizer=organizer,
                        attendee=a,
                    )
                ],
                method="CANCEL",
            ),
            "text/calendar; method=CANCEL",
        )
        messages.append(message)
    # The kallelse not yet sent is not to arrive after its cancellation.
    sending.withdraw(sending.of(meeting, kind="kallelse"), _("The meeting is cancelled."))
    sending.post(messages, about=meeting, kind="cancellation")
    return len(messages)


def prefill_attendance(meeting: Meeting) -> list[Attendance]:
    """Attendance as the memberships say: members as beslutande, deputies as
    ersättare, those vid protokollet as övriga deltagare; chair first.

    Changes: creates Attendance rows for the meeting.
    """
    meeting.ensure_editable()
    rank = {Membership.Role.ORDFORANDE: 0, Membership.Role.VICE_ORDFORANDE: 1}
    seats = sorted(
        Membership.objects.filter(body=meeting.body)
        .valid_on(meeting.date)
        .select_related("person", "party"),
        key=lambda m: (not m.is_voting, rank.get(m.role, 2), m.person.name),
    )
    rows = [
        Attendance(
            meeting=meeting,
            person=m.person,
            party=m.party,
            capacity=(
                Attendance.Capacity.BESLUTANDE if m.is_voting else Attendance.Capacity.ERSATTARE
            ),
        )
        for m in seats
    ]
    seated = {m.person_id for m in seats}
    for person in meeting.secretaries():  # those vid protokollet are there too
        if person.pk not in seated:
            rows.append(
                Attendance(
                    meeting=meeting,
                    person=person,
                    capacity=Attendance.Capacity.OVRIG,
                    role_title=person.title,
                )
            )
    for order, row in enumerate(rows):
        row.order = order
    return Attendance.objects.bulk_create(rows)


@transaction.atomic
def add_participant(
    meeting: Meeting, *, name: str, role_title: str, by: User | None = None
) -> Attendance:
    """Add a person (staff, a guest) as övrig deltagare, creating the person if new.

    Changes: may create a Person; creates an Attendance row at the end of the list;
    voids earlier approvals.
    """
    organisation_id = meeting.body.organisation_id
    person = Person.objects.filter(organisation_id=organisation_id, name=name).first()
    if person is None:
        # The register keeps the title only when it masks nothing: the register
        # shows it as written, the protocol's copy is masked in the public version.
        title = "" if has_masks(role_title) else role_title
        person = Person.objects.create(organisation_id=organisation_id, name=name, title=title)
    last = meeting.attendances.aggregate(n=Max("order"))["n"]
    attendance, _created = Attendance.objects.get_or_create(
        meeting=meeting,
        person=person,
        defaults={
            "capacity": Attendance.Capacity.OVRIG,
            "role_title": role_title,
            "order": (last or 0) + 1,
        },
    )
    _changed(meeting, by)
    return attendance


class AttendanceError(Exception):
    """Attendance that breaks a rule of the meeting (attendance_rules); one message
    per problem, in Swedish."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__(" ".join(problems))


def attendance_findings(
    meeting: Meeting, rows: list[Attendance], paragraphs: list[Paragraph] | None = None
) -> attendance_rules.Found:
    """The attendance rules applied to `rows` (as edited, not yet saved), at each of
    `paragraphs` (the meeting's numbered ones, in order; read when not given)."""
    memberships = list(
        Membership.objects.filter(body=meeting.body)
        .valid_on(meeting.date)
        .only("person_id", "party_id", "role")
    )
    if paragraphs is None:
        paragraphs = list(meeting.paragraphs.filter(number__isnull=False).order_by("position"))
    return attendance_rules.check(
        rows,
        paragraphs,
        seats=sum(1 for m in memberships if m.is_voting),
        same_party=meeting.body.organisation.deputy_same_party,
        party_of={m.person_id: m.party_id for m in memberships},
        # Without memberships that day (not kept up), whom a deputy serves for is not checked.
        seat_holders={m.person_id for m in memberships if m.is_voting} or None,
        justerare={*meeting.justerare.values_list("person_id", flat=True), meeting.chair_id},
    )


def serving_for_choices(meeting: Meeting):
    """Whom a deputy may be recorded serving for: the body's ordinary members that
    day (everyone recorded, when the body's memberships are not kept)."""
    seats = (
        Membership.objects.filter(body=meeting.body)
        .valid_on(meeting.date)
        .exclude(role=Membership.Role.ERSATTARE)
    )
    if not seats.exists():
        return Person.objects.filter(attendances__meeting=meeting)
    return Person.objects.filter(memberships__in=seats).distinct().order_by("name")


@transaction.atomic
def save_attendance(
    meeting: Meeting,
    rows: list[Attendance],
    *,
    by: User | None = None,
    new_participant: tuple[str, str] | None = None,
) -> list[str]:
    """Save the attendance as edited (each row checked by its form), and add a
    participant if one is given, all at once. Returns the warnings (quorum).

    Changes: the Attendance rows; maybe a new participant (`add_participant`);
    voids earlier approvals. Raises AttendanceError, changing nothing, when the
    rows break a rule.
    """
    meeting.ensure_editable()
    found = attendance_findings(meeting, rows)
    # The decisions already written hold the attendance to what they record.
    decided = list(
        Decision.objects.filter(paragraph__meeting=meeting)
        .filter(Q(votes_for__isnull=False) | Q(reservations__isnull=False) | Q(jav__isnull=False))
        .distinct()
        .select_related("paragraph")
        .prefetch_related("reservations__person", "jav__person")
    )
    errors = found.errors + attendance_rules.decisions_against(rows, decided)
    if errors:
        raise AttendanceError(errors)
    for row in rows:
        row.save()
    if new_participant and new_participant[0].strip():
        add_participant(
            meeting, name=new_participant[0].strip(), role_title=new_participant[1].strip(), by=by
        )
    _changed(meeting, by)
    return found.warnings


@transaction.atomic
def edit_meeting(
    meeting: Meeting, *, by: User | None = None, co_secretary: Person | None = None, **fields
) -> None:
    """Change the meeting's time and place, and who keeps its protocol.

    Changes: the Meeting (NumberingError if a numbered meeting would move past
    another's numbers), its second person vid protokollet; voids earlier approvals.
    """
    numbering.refuse_move(meeting, fields["date"], fields["start_time"])
    for name, value in fields.items():
        setattr(meeting, name, value)
    meeting.save()
    _set_co_secretaries(meeting, [co_secretary] if co_secretary else [])
    _changed(meeting, by)
    if meeting.kallelser.exists():
        tell_the_public(__name__, meeting=meeting)  # its public address moves with its date


class EditConflict(Exception):
    """Someone saved the paragraph after the revision this edit started from."""

    def __init__(self, current: Paragraph):
        self.current = current
        super().__init__(f"paragraph {current.pk} is at revision {current.revision}")


class DecisionRefused(Exception):
    """A decision records what the attendance at its § makes impossible
    (attendance_rules.decision_errors): `order` is its place among the decisions
    written (from 0), `errors` the messages by field. Nothing was written."""

    def __init__(self, order: int, errors: dict[str, str]):
        self.order, self.errors = order, errors
        super().__init__("; ".join(errors.values()))


@dataclass(frozen=True)
class TaskData:
    """An uppdrag a decision gives: what, to whom, by when."""

    description: str
    assignee: Person | None = None
    due: datetime.date | None = None


@dataclass(frozen=True)
class DecisionData:
    """A decision as written (in the editor, an imported file, the demo); the one
    shape every path writes decisions through (`write_decisions`)."""

    kind: str
    text: str
    proposed_to: Body | None = None
    votes_for: int | None = None
    votes_against: int | None = None
    votes_abstaining: int | None = None
    vote_result: str = ""
    uppdrag: tuple[TaskData, ...] = ()
    reservations: tuple[tuple[Person, str], ...] = ()  # (who, their motivation)
    jav: tuple[Person, ...] = ()

    def held(self) -> dict:
        """What the decision holds in rows of its own, comparable: the uppdrag in their
        order (the protocol keeps it), the reservations and jäv whatever their order."""
        return {
            "uppdrag": [
                (t.description, t.assignee.pk if t.assignee else None, t.due) for t in self.uppdrag
            ],
            "reservations": sorted((p.pk, m) for p, m in self.reservations),
            "jav": sorted(p.pk for p in self.jav),
        }

    def same_as(self, other: "DecisionData") -> bool:
        """The same decision, whatever order its people were listed in."""

        def key(d):
            return (
                d.kind,
                d.text,
                d.proposed_to.pk if d.proposed_to else None,
                d.votes_for,
                d.votes_against,
                d.votes_abstaining,
                d.vote_result,
                d.held(),
            )

        return key(self) == key(other)


def decision_data(decision: Decision) -> DecisionData:
    """A stored decision (with its uppdrag, reservations and jav prefetched or not)."""
    return DecisionData(
        kind=decision.kind,
        text=decision.text,
        proposed_to=decision.proposed_to,
        votes_for=decision.votes_for,
        votes_against=decision.votes_against,
        votes_abstaining=decision.votes_abstaining,
        vote_result=decision.vote_result,
        uppdrag=tuple(
            TaskData(u.description, u.assignee, u.due_date) for u in decision.uppdrag.all()
        ),
        reservations=tuple((r.person, r.motivation) for r in decision.reservations.all()),
        jav=tuple(j.person for j in decision.jav.all()),
    )


def write_decisions(paragraph: Paragraph, decisions: list[DecisionData]) -> bool:
    """Make the paragraph's decisions these, in this order, touching only what
    differs (so the audit trail shows real changes, not a rewrite). Returns whether
    anything changed. For callers inside a transaction that holds the protocol's
    lock (save_paragraph, the importer, the demo). Raises DecisionRefused, before
    writing anything, for a decision the attendance at its § makes impossible."""
    _check_against_attendance(paragraph, decisions)
    existing = list(
        paragraph.decisions.select_related("proposed_to").prefetch_related(
            "uppdrag__assignee", "reservations__person", "jav__person"
        )
    )
    changed = False
    for order, wanted in enumerate(decisions, start=1):
        decision = existing[order - 1] if order <= len(existing) else None
        if (
            decision is not None
            and decision.order == order
            and decision_data(decision).same_as(wanted)
        ):
            continue
        changed = True
        held = _held_changes(decision_data(decision) if decision else None, wanted)
        if decision is None:
            decision = Decision(paragraph=paragraph)
        # The audit trail names what changed in the rows a decision holds
        # (django-simple-history reads the attribute when it records the save).
        decision._change_reason = ",".join(held)  # type: ignore[attr-defined]
        decision.order = order
        decision.kind, decision.text = wanted.kind, wanted.text
        decision.proposed_to = wanted.proposed_to if wanted.kind == Decision.Kind.FORSLAG else None
        decision.votes_for, decision.votes_against = wanted.votes_for, wanted.votes_against
        decision.votes_abstaining, decision.vote_result = (
            wanted.votes_abstaining,
            wanted.vote_result,
        )
        decision.save()
        if "uppdrag" in held:
            decision.uppdrag.all().delete()
            for task in wanted.uppdrag:
                Uppdrag.objects.create(
                    decision=decision,
                    description=task.description,
                    assignee=task.assignee,
                    due_date=task.due,
                )
        if "reservations" in held:
            decision.reservations.all().delete()
            for person, motivation in wanted.reservations:
                Reservation.objects.create(decision=decision, person=person, motivation=motivation)
        if "jav" in held:
            decision.jav.all().delete()
            for person in wanted.jav:
                Jav.objects.create(decision=decision, person=person)
    for decision in existing[len(decisions) :]:
        decision.delete()
        changed = True
    return changed


def _held_changes(before: DecisionData | None, wanted: DecisionData) -> list[str]:
    """Which rows the decision holds differ from what is stored: "uppdrag",
    "reservations", "jav" (all that are wanted, for a new decision)."""
    new = wanted.held()
    old = before.held() if before else {part: [] for part in new}
    return [part for part in new if old[part] != new[part]]


def _check_against_attendance(paragraph: Paragraph, decisions: list[DecisionData]) -> None:
    """The one place every path's decisions meet the attendance at their §."""
    if not any(d.votes_for is not None or d.reservations or d.jav for d in decisions):
        return  # nothing to hold against the attendance (and no query for it)
    voting = attendance_rules.voting_at(paragraph)
    for order, d in enumerate(decisions):
        errors = attendance_rules.decision_errors(
            voting,
            votes=(d.votes_for, d.votes_against, d.votes_abstaining),
            reservations=[person for person, _motivation in d.reservations],
            jav=d.jav,
        )
        if errors:
            raise DecisionRefused(order, errors)


PARAGRAPH_FIELDS = (
    "section",
    "title",
    "text",
    "diarienummer",
    "is_confidential",
    "public_title",
)


@transaction.atomic
def save_paragraph(
    paragraph: Paragraph,
    *,
    revision: int,
    fields: dict,
    decisions: list[DecisionData],
    by: User | None = None,
) -> Paragraph:
    """Save the paragraph's text and decisions, unless someone saved it since
    `revision` was read: then nothing is written and EditConflict carries the
    current version. A save that changes nothing writes nothing.

    Changes: the Paragraph's changed fields and revision (+1); its decisions as
    `write_decisions` makes them (with their uppdrag, reservationer and jäv); a
    confidential paragraph's bilagor become non-public; the audit trail records the
    change as made by `by`; voids earlier approvals.
    """
    paragraph.meeting.ensure_editable()
    current = Paragraph.objects.select_for_update().get(pk=paragraph.pk)
    if current.revision != revision:
        raise EditConflict(current)
    changes = {n: fields[n] for n in PARAGRAPH_FIELDS if getattr(current, n) != fields[n]}
    decided = write_decisions(current, decisions)
    if not changes and not decided:
        return current
    # A guarded UPDATE: a save based on an older revision changes nothing.
    Paragraph.objects.filter(pk=current.pk, revision=revision).update(
        **changes, revision=F("revision") + 1, modified=timezone.now()
    )
    current.refresh_from_db()
    if changes:  # the UPDATE bypasses save(), so the history record is written here
        Paragraph.history.bulk_history_create([current], update=True, default_user=by)
    if current.is_confidential:  # its bilagor cannot be public (Bilaga.clean) either
        for bilaga in current.bilagor.filter(is_public=True):
            bilaga.is_public = False
            bilaga.save()
    _changed(current.meeting, by)
    return current


SHIFT = 10000  # above any meeting's count of bilagor, below the column's limit


@transaction.atomic
def attach_bilaga(
    paragraph: Paragraph,
    *,
    title: str,
    file,
    filename: str,
    is_public: bool,
    title_is_public: bool = False,
    by: User | None = None,
) -> Bilaga:
    """Attach a file to an item as a bilaga numbered in the protocol's order: after
    the bilagor of this item and the items before it, so that a reader meets Bilaga
    1, 2, 3 … in turn (issue 29, 14); the later ones move up by one.

    Changes: stores the file; creates a Bilaga and renumbers those after it (the
    meeting row is locked so two uploads never share a number).
    Raises ValidationError for a bilaga the model refuses.
    """
    meeting = Meeting.objects.select_for_update().get(pk=paragraph.meeting_id)
    before = meeting.bilagor.filter(paragraph__position__lte=paragraph.position)
    number = (before.aggregate(n=Max("number"))["n"] or 0) + 1
    later = meeting.bilagor.filter(number__gte=number)
    # Two steps, each row out of the others' way: the numbers are unique per meeting.
    # One UPDATE each, as numbering moves §: the move is no edit of those bilagor.
    later.update(number=F("number") + SHIFT)
    meeting.bilagor.filter(number__gte=SHIFT).update(number=F("number") - SHIFT + 1)
    bilaga = Bilaga(
        meeting=meeting,
        paragraph=paragraph,
        number=number,
        title=title,
        file=file,
        filename=filename,
        is_public=is_public,
        title_is_public=title_is_public,
    )
    bilaga.clean()  # e.g. a bilaga of a confidential paragraph is not public
    bilaga.save()
    _changed(meeting, by)
    return bilaga


@transaction.atomic
def edit_bilaga(
    bilaga: Bilaga,
    *,
    title: str,
    is_public: bool,
    title_is_public: bool,
    file=None,
    filename: str = "",
    by: User | None = None,
) -> Bilaga:
    """Change a bilaga's title and public flags, or replace its file, before justering.

    Changes: the Bilaga (the audit trail records it; a new file gets its SHA-256);
    voids earlier approvals.
    """
    bilaga.meeting.ensure_editable()
    bilaga.title, bilaga.is_public, bilaga.title_is_public = title, is_public, title_is_public
    if file is not None:
        bilaga.file, bilaga.filename = file, filename
    bilaga.clean()
    bilaga.save()
    _changed(bilaga.meeting, by)
    return bilaga


@transaction.atomic
def remove_bilaga(bilaga: Bilaga, *, by: User | None = None) -> None:
    """Take a bilaga out of the protocol before justering; the later ones move up a
    number, so that they stay Bilaga 1, 2, 3 … without a gap.

    Changes: deletes the Bilaga (and, once committed, its file); renumbers the later
    bilagor; voids earlier approvals.
    """
    meeting = bilaga.meeting
    meeting.ensure_editable()
    number, stored = bilaga.number, bilaga.file
    bilaga.delete()
    for later in meeting.bilagor.filter(number__gt=number).order_by("number"):
        later.number -= 1
        later.save()
    if stored:
        transaction.on_commit(lambda: stored.storage.delete(stored.name))
    _changed(meeting, by)


@transaction.atomic
def move_bilaga(bilaga: Bilaga, step: int, *, by: User | None = None) -> None:
    """Swap a bilaga with the one before (step -1) or after (+1) it.

    Changes: the two bilagor's numbers; voids earlier approvals.
    """
    meeting = bilaga.meeting
    meeting.ensure_editable()
    other = meeting.bilagor.filter(number=bilaga.number + step).first()
    if other is None:
        return
    free = (meeting.bilagor.aggregate(n=Max("number"))["n"] or 0) + 1
    mine, theirs = bilaga.number, other.number
    bilaga.number = free  # out of the way of the unique number
    bilaga.save()
    other.number = mine
    other.save()
    bilaga.number = theirs
    bilaga.save()
    _changed(meeting, by)


def _ensure_takes_handlingar(meeting: Meeting) -> None:
    if not meeting.takes_handlingar:
        raise MeetingRuleError(
            _("Handlingar are added before the meeting; this one is %(status)s.")
            % {"status": meeting.get_status_display()}
        )


@transaction.atomic
def attach_handling(
    paragraph: Paragraph, *, title: str, file, filename: str, is_public: bool
) -> Handling:
    """Attach a document the members read before the meeting to an agenda item; it
    goes out with the kallelse. Not part of the protocol, so it does not touch the
    approvals.

    Changes: stores the file; creates a Handling. Raises MeetingRuleError once the
    meeting takes no handlingar (Meeting.takes_handlingar), ValidationError for one
    the model refuses (public on a confidential item).
    """
    _ensure_takes_handlingar(paragraph.meeting)
    handling = Handling(
        meeting_id=paragraph.meeting_id,
        paragraph=paragraph,
        title=title,
        file=file,
        filename=filename,
        is_public=is_public,
    )
    handling.clean()
    handling.save()
    return handling


@transaction.atomic
def remove_handling(handling: Handling) -> None:
    """Changes: deletes the Handling and, once committed, its file. Raises
    MeetingRuleError once the meeting takes no handlingar."""
    _ensure_takes_handlingar(handling.meeting)
    stored = handling.file
    handling.delete()
    if stored:
        transaction.on_commit(lambda: stored.storage.delete(stored.name))


@transaction.atomic
def handling_to_bilaga(handling: Handling, *, by: User | None = None) -> Bilaga:
    """Make a handling one of the protocol's bilagor, with one action after the
    meeting: its own copy of the file, the same title, item and public flag.

    Changes: a new Bilaga (`attach_bilaga`, numbered next); the handling remembers
    it. Raises MeetingRuleError if it already is one.
    """
    already = handling.bilaga if handling.bilaga_id else None
    if already is not None:
        raise MeetingRuleError(
            _("The handling is already Bilaga %(number)s.") % {"number": already.number}
        )
    with handling.file.open("rb") as f:
        copy = ContentFile(f.read(), name=handling.filename or "handling")
    bilaga = attach_bilaga(
        handling.paragraph,
        title=handling.title,
        file=copy,
        filename=handling.filename,
        is_public=handling.is_open_to_the_public,
        by=by,
    )
    handling.bilaga = bilaga
    handling.save(update_fields=["bilaga", "modified"])
    return bilaga
