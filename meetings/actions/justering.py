"""Justering: the chair and the justerare approve the exact protocol, online.

The protocol is sent for justering; each approver reads it and approves it, or asks
for a change (which returns it to the secretary). An approval is bound to the
SHA-256 of the protocol's content, so any later edit voids the approvals given so
far. When the chair and every justerare have approved the current version, the
protocol is justerat: frozen, rendered once to an archival PDF, sealed and stored.
"""

import datetime
import hashlib
import json
import logging
import re
import time
from typing import TYPE_CHECKING

from django.contrib.auth.models import User
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models.signals import pre_save
from django.dispatch import receiver
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from meetings.actions import background, notices
from meetings.actions.notices import mail
from meetings.documents import archival, public_version, sealing
from meetings.documents.pdf import archival_pdf
from meetings.documents.protocol_json import dumps, export_protocol
from meetings.models import (
    Approval,
    ArchivedProtocol,
    Attendance,
    AuditEvent,
    Comment,
    Decision,
    Justerare,
    Meeting,
    NotNow,
    Paragraph,
    QueuedWork,
    Rattelse,
    unchangeable_reason,
)
from meetings.rules import frozen, masking
from meetings.rules.stored_files import removed_on_failure
from members import identity
from members.accounts import account_for, set_password_link
from members.models import Person
from minutes_site.links import absolute
from minutes_site.outbox import sending

logger = logging.getLogger(__name__)

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class JusteringError(Exception):
    """A justering step that cannot be taken now; the message says why, for the user."""


def version_of(data: dict) -> str:
    """SHA-256 of what a protocol export says, without the status, which moves on
    during justering while the content must not."""
    content = {**data, "meeting": {k: v for k, v in data["meeting"].items() if k != "status"}}
    return hashlib.sha256(dumps(content).encode("utf-8")).hexdigest()


def content_hash(meeting: Meeting) -> str:
    """The version of the protocol as it stands: a justerat one's is the version it
    was justerat in (what the current code would export may differ in form)."""
    archive = ArchivedProtocol.objects.filter(meeting=meeting).only("content_hash").first()
    if archive is not None:
        return archive.content_hash
    return version_of(export_protocol(meeting))


def protocol_as_read(meeting: Meeting) -> tuple[dict, str]:
    """The protocol's export and its version, as a reader sees it now: a justerat
    protocol from its sealed record, any other from the live tables (the version is
    then exactly that of the data shown)."""
    archive = ArchivedProtocol.objects.filter(meeting=meeting).first()
    if archive is not None:
        return json.loads(archive.content), archive.content_hash
    data = export_protocol(meeting)
    return data, version_of(data)


def approvers(meeting: Meeting) -> list[Person]:
    """The chair first, then the justerare, each once."""
    people = [meeting.chair] if meeting.chair else []
    for j in meeting.justerare.select_related("person"):
        if j.person not in people:
            people.append(j.person)
    return people


def record(meeting: Meeting, action: str, *, user: User | None, version: str = "", **details):
    return AuditEvent.objects.create(
        meeting=meeting, user=user, action=action, content_hash=version, details=details
    )


def eligible_justerare(meeting: Meeting):
    """Present beslutande (members and serving deputies), the chair excepted."""
    present = Person.objects.filter(
        attendances__meeting=meeting,
        attendances__capacity__in=Attendance.VOTING,
    )
    if meeting.chair_id is not None:
        present = present.exclude(pk=meeting.chair_id)
    return present.order_by("name")


# The agenda item where the meeting chooses its justerare (protocol text, Swedish).
JUSTERARE_ITEM = "Val av justerare"


def chosen_at_the_meeting(meeting: Meeting, eligible) -> list[int]:
    """The eligible people the protocol names under "Val av justerare" (its text or
    decision): the secretary sends it to those the meeting chose, not picks again."""
    items = meeting.paragraphs.filter(title__istartswith=JUSTERARE_ITEM)
    written = [
        *items.values_list("text", flat=True),
        *Decision.objects.filter(paragraph__in=items).values_list("text", flat=True),
    ]
    if not written:
        return []
    text = " ".join(masking.as_words(" ".join(written)).casefold().split())
    # A whole name, not part of a longer one ("Ann Berg" is not "Ann Bergström").
    return [
        p.pk
        for p in eligible
        if re.search(rf"(?<!\w){re.escape(' '.join(p.name.casefold().split()))}(?!\w)", text)
    ]


def why_not_send(meeting: Meeting) -> "StrOrPromise":
    """Why the protocol cannot be sent for justering now, or "" when it can: once
    the meeting is held and its paragraphs numbered, and again (a new version)
    while it is out for justering."""
    if reason := unchangeable_reason(meeting.justerat_at, meeting.status):
        return reason
    if meeting.status not in (Meeting.Status.GENOMFORT, Meeting.Status.UNDER_JUSTERING):
        return _(
            "The protocol is sent for justering once the meeting is held and its "
            "paragraphs are numbered."
        )
    # The last approval seals the protocol: an installation that cannot seal says so
    # now, not to the last justerare.
    if problem := sealing.problem():
        return _(
            "This installation cannot seal a protocol, so none can be sent for "
            "justering: %(problem)s Ask the administrator to install the "
            "organisation's seal certificate."
        ) % {"problem": problem}
    return ""


def default_deadline(meeting: Meeting) -> datetime.date:
    """The deadline offered: the one chosen before, else the 14 days after the
    meeting, but never less than a week from today (a protocol written late still
    gives the justerare time to read it)."""
    if meeting.justering_deadline_set:
        return meeting.justering_deadline_set
    return max(meeting.justering_deadline, timezone.localdate() + datetime.timedelta(days=7))


@transaction.atomic
def send_for_justering(
    meeting: Meeting,
    *,
    justerare: list[Person],
    deadline: datetime.date,
    by: User | None,
    notify: bool = True,
) -> list[Person]:
    """Send the protocol to the chair and the chosen justerare.

    Changes: replaces the meeting's Justerare, sets the deadline and the status
    under_justering, records an audit event, creates accounts (unusable password)
    for approvers without one, and e-mails each approver a link (with a link to set
    a password for the new accounts). Returns the approvers who have no e-mail
    address, whom the secretary must reach another way. `notify=False` (the demo)
    sends no e-mail.
    """
    meeting.ensure_editable()
    if refusal := why_not_send(meeting):
        raise JusteringError(refusal)
    if meeting.chair is None:
        raise JusteringError(_("The meeting has no chair to justera the protocol."))
    allowed = set(eligible_justerare(meeting))
    if not justerare or any(p not in allowed for p in justerare):
        raise JusteringError(_("Choose the justerare among the voting members present."))
    meeting.justerare.all().delete()
    for order, person in enumerate(justerare, start=1):
        Justerare.objects.create(meeting=meeting, person=person, order=order)
    meeting.justering_deadline_set = deadline
    version = content_hash(meeting)  # of the content: the status is not part of it
    people = approvers(meeting)
    meeting.move_to(
        Meeting.Status.UNDER_JUSTERING,
        by=by,
        action="sent_for_justering",
        version=version,
        also=("justering_deadline_set",),
        approvers=[p.name for p in people],
        deadline=deadline.isoformat(),
    )
    link = absolute(reverse("justering:protocol", args=[meeting.pk]))
    messages: list[EmailMessage] = []
    with_password_link: list[EmailMessage] = []
    unreachable: list[Person] = []
    for person in people:
        user, created = account_for(person)
        if not person.email:
            unreachable.append(person)
            continue
        body = _(
            "The protocol of %(body)s of %(date)s is ready for justering. Read it and "
            "approve it, or ask for a change, by %(deadline)s:\n\n%(link)s\n"
        ) % {
            "body": meeting.body.name.lower(),
            "date": f"{meeting.date:%Y-%m-%d}",
            "deadline": f"{deadline:%Y-%m-%d}",
            "link": link,
        }
        if created:
            set_password = set_password_link(user)
            body += _(
                "\nYou have no account yet. Your user name is %(username)s; choose a "
                "password here first:\n\n%(link)s\n"
            ) % {"username": user.username, "link": set_password}
        (with_password_link if created else messages).append(
            mail(person.email, _("Justering: %(meeting)s") % {"meeting": meeting}, body)
        )
    if notify:
        sending.post(messages, about=meeting, kind="justering")
        # A link that chooses a password is a secret: its mail forgets its body once sent.
        sending.post(with_password_link, about=meeting, kind="justering", secret=True)
    return unreachable


def comments_beside(meeting: Meeting, state: list[dict]) -> list[Comment]:
    """The newest comments on the protocol, less those that only repeat the reason of
    a request for a change which `state` (approval_state) shows already:
    `request_change` writes the reason as a comment too, for the other justerare."""
    shown = {
        (row["person"].pk, row["answer"].reason)
        for row in state
        if row["current"] and row["answer"].decision == Approval.Decision.ANDRING
    }
    comments = meeting.comments.select_related("person", "paragraph").order_by("created")
    return [c for c in comments[:50] if c.paragraph_id or (c.person_id, c.text) not in shown]


def approval_state(meeting: Meeting) -> list[dict]:
    """Each approver with their latest answer and whether it still counts."""
    version = content_hash(meeting)
    latest: dict[int, Approval] = {}
    answers = meeting.approvals.filter(rattelse__isnull=True).select_related("person")
    for approval in answers.order_by("created", "pk"):
        latest[approval.person_id] = approval
    return [
        {
            "person": person,
            "is_chair": person.pk == meeting.chair_id,
            "answer": latest.get(person.pk),
            "valid": bool(
                latest.get(person.pk)
                and latest[person.pk].decision == Approval.Decision.GODKANT
                and latest[person.pk].content_hash == version
            ),
            "voided": bool(
                latest.get(person.pk)
                and latest[person.pk].decision == Approval.Decision.GODKANT
                and latest[person.pk].content_hash != version
            ),
            # An answer (a request for a change, say) to this version, not an older one.
            "current": bool(latest.get(person.pk) and latest[person.pk].content_hash == version),
        }
        for person in approvers(meeting)
    ]


def _lock(meeting: Meeting) -> Meeting:
    return Meeting.objects.select_for_update().get(pk=meeting.pk)


def answered_version(meeting: Meeting, person: Person) -> Approval | None:
    """`person`'s latest answer to the protocol (not to a rättelse), if any."""
    return (
        meeting.approvals.filter(person=person, rattelse__isnull=True)
        .order_by("-created", "-pk")
        .first()
    )


def _check_can_answer(meeting: Meeting, person: Person, version: str) -> str:
    """The protocol's content as it is now (JSON), if `person` may answer `version`."""
    if meeting.status != Meeting.Status.UNDER_JUSTERING:
        raise JusteringError(_("The protocol is not out for justering."))
    if person not in approvers(meeting):
        raise JusteringError(_("You are not a justerare of this protocol."))
    data, current = protocol_as_read(meeting)
    if version != current:
        raise JusteringError(
            _("The protocol has changed since you opened it. Read it again before you answer.")
        )
    given = answered_version(meeting, person)
    if given and given.decision == Approval.Decision.GODKANT and given.content_hash == version:
        raise JusteringError(
            _("You approved this version already, on %(date)s.")
            % {"date": f"{timezone.localtime(given.created):%Y-%m-%d %H.%M}"}
        )
    return dumps(data)


def check_e_legitimation(organisation, evidence: dict | None) -> None:
    """Where the organisation's justering asks for an e-legitimation, an approval
    comes with its evidence (members/identity.py), never with a password alone."""
    if identity.for_justering(organisation) is not None and not evidence:
        raise JusteringError(
            _("Your organisation asks for an e-legitimation to approve: sign with it.")
        )


def check_can_approve(meeting: Meeting, person: Person, version: str) -> None:
    """JusteringError if `person` may not approve `version` now (before an
    e-legitimation is asked for: nobody signs for nothing)."""
    _check_can_answer(meeting, person, version)


@transaction.atomic
def approve(
    meeting: Meeting, person: Person, *, version: str, user: User, evidence: dict | None = None
) -> bool:
    """`person` approves the version `version` of the protocol. Returns True if that
    was the last approval needed and the protocol is now justerat. `evidence`: the
    e-legitimation it was confirmed with, which the organisation may require.

    Changes: creates an Approval and an audit event; may justera (see `justera`).
    The meeting row is locked so that two last approvals cannot both justera.
    """
    meeting = _lock(meeting)
    content = _check_can_answer(meeting, person, version)
    check_e_legitimation(meeting.body.organisation, evidence)
    return _recorded(meeting, person, version, content, user=user, evidence=evidence)


def _recorded(
    meeting: Meeting,
    person: Person,
    version: str,
    content: str,
    *,
    user: User,
    evidence: dict | None,
) -> bool:
    """The approval of a meeting locked and checked (`approve`): recorded, and the
    protocol justerat if it was the last one needed."""
    Approval.objects.create(
        meeting=meeting,
        person=person,
        decision=Approval.Decision.GODKANT,
        content_hash=version,
        content=content,
        user=user,
        evidence=evidence or {},
    )
    record(
        meeting,
        "approved",
        user=user,
        version=version,
        person=person.name,
        **({"e_legitimation": identity.described(evidence)} if evidence else {}),
    )
    if all(row["valid"] for row in approval_state(meeting)):
        justera(meeting, version=version)
        notices.justerat(meeting)
        return True
    return False


@transaction.atomic
def request_change(
    meeting: Meeting, person: Person, *, version: str, reason: str, user: User
) -> None:
    """`person` sends the protocol back to the secretary with a reason.

    Changes: creates an Approval (change requested, with the content it answers) and
    a Comment with the reason, sets the status back to genomfort, records an audit
    event, e-mails the secretary.
    """
    meeting = _lock(meeting)
    content = _check_can_answer(meeting, person, version)
    if not reason.strip():
        raise JusteringError(_("Say what should be changed."))
    Approval.objects.create(
        meeting=meeting,
        person=person,
        decision=Approval.Decision.ANDRING,
        content_hash=version,
        content=content,
        reason=reason,
        user=user,
    )
    Comment.objects.create(meeting=meeting, person=person, text=reason)
    meeting.move_to(
        Meeting.Status.GENOMFORT,
        by=user,
        action="change_requested",
        version=version,
        person=person.name,
        reason=reason,
    )
    notices.change_requested(meeting, person, reason)
    _tell_the_others(meeting, person, reason)


def _tell_the_others(meeting: Meeting, person: Person, reason: str) -> None:
    """The other approvers hear that the protocol went back, and why: their answers
    wait for the version that comes out again (lost mail is logged, as a notice)."""
    link = absolute(reverse("justering:protocol", args=[meeting.pk]))
    messages = [
        mail(
            other.email,
            _("Sent back to the secretary: %(meeting)s") % {"meeting": meeting},
            _(
                "%(name)s sent the protocol back to the secretary for a change:\n\n"
                "%(reason)s\n\nYou will be asked to justera it again when it comes "
                "out again:\n%(link)s"
            )
            % {"name": person.name, "reason": reason, "link": link},
        )
        for other in approvers(meeting)
        if other != person and other.email
    ]
    sending.post(messages, about=meeting, kind="justering")


@transaction.atomic
def comment(meeting: Meeting, person: Person, *, paragraph: Paragraph | None, text: str) -> Comment:
    """A justerare's remark on a paragraph (or the whole protocol) while reading it.

    Changes: creates a Comment; e-mails the secretary.
    """
    if meeting.status != Meeting.Status.UNDER_JUSTERING:
        raise JusteringError(_("The protocol is not out for justering."))
    if not text.strip():
        raise JusteringError(_("Write the comment."))
    remark = Comment.objects.create(
        meeting=meeting, paragraph=paragraph, person=person, text=text.strip()
    )
    notices.commented(remark)
    return remark


def content_changed(meeting: Meeting, *, user: User | None) -> None:
    """Call after the secretary changed a protocol that is (or was) out for justering:
    approvals of the old version no longer count; the approvers are asked again.

    Changes: records an audit event and e-mails the approvers whose approval was
    voided. Does nothing when no approval is affected.
    """
    meeting.refresh_from_db(fields=["status"])
    if meeting.status not in (Meeting.Status.UNDER_JUSTERING, Meeting.Status.GENOMFORT):
        return
    voided = [row for row in approval_state(meeting) if row["voided"]]
    already = meeting.audit_events.filter(
        action="approvals_voided", content_hash=content_hash(meeting)
    ).exists()
    if not voided or already:
        return
    version = content_hash(meeting)
    record(
        meeting,
        "approvals_voided",
        user=user,
        version=version,
        people=[row["person"].name for row in voided],
    )
    if meeting.status == Meeting.Status.UNDER_JUSTERING:
        sending.post(
            [
                mail(
                    row["person"].email,
                    _("Justera again: %(meeting)s") % {"meeting": meeting},
                    _(
                        "The protocol was changed after you approved it, so your "
                        "approval no longer counts. Please read it again."
                    ),
                )
                for row in voided
                if row["person"].email
            ],
            about=meeting,
            kind="justering",
        )


@transaction.atomic
def resend(meeting: Meeting, *, by: User) -> list[Person]:
    """Send a protocol that came back with a change request out again, to the same
    justerare and deadline. Changes: as send_for_justering."""
    people = [j.person for j in meeting.justerare.select_related("person")]
    deadline = meeting.justering_deadline
    return send_for_justering(meeting, justerare=people, deadline=deadline, by=by)


def approve_in_background(
    meeting: Meeting, person: Person, *, version: str, user: User, evidence: dict | None = None
) -> QueuedWork | None:
    """As `approve`, for a request: an approval that leaves others to wait for is
    recorded now (None); the last one, which seals the protocol, is done by a worker
    (`seal_ordered`), approval and sealing in one transaction, and its QueuedWork comes
    back at once. Should the sealing fail (the storage, the seal), the approval is not
    recorded and the justerare is told, on the page and by e-mail.

    Raises JusteringError when `person` may not approve `version` now, or while the
    protocol is being sealed.
    """
    with transaction.atomic():
        meeting = _lock(meeting)
        if background.waiting(meeting, QueuedWork.Kind.JUSTERING):
            raise JusteringError(
                _("The protocol is being sealed just now: reload the page in a moment.")
            )
        content = _check_can_answer(meeting, person, version)
        check_e_legitimation(meeting.body.organisation, evidence)
        others = [row for row in approval_state(meeting) if row["person"] != person]
        if not all(row["valid"] for row in others):
            _recorded(meeting, person, version, content, user=user, evidence=evidence)
            return None
        return background.order(
            meeting,
            QueuedWork.Kind.JUSTERING,
            by=user,
            task=seal_ordered,
            person=person.pk,
            version=version,
            evidence=evidence or {},
        )


@task()
def seal_ordered(work_id: int) -> str:
    return background.perform(work_id, _approve_last, why_not_sealed, on_failure=_tell_not_sealed)


def _approve_last(work: QueuedWork) -> None:
    person = Person.objects.get(pk=work.params["person"])
    approve(
        work.meeting,
        person,
        version=work.params["version"],
        user=work.requested_by,  # type: ignore[arg-type]
        evidence=work.params.get("evidence") or None,
    )


def why_not_sealed(error: Exception) -> str:
    """Why the last approval is not recorded, in words for the justerare."""
    if isinstance(error, sealing.SealNotConfigured):  # the seal went after it was sent
        logger.error("a protocol cannot be justerat: %s", sealing.problem())
        return _(
            "The protocol could not be sealed, so your approval is not recorded: this "
            "installation's seal certificate is missing or unusable. Tell the secretary; "
            "the administrator must install it."
        )
    if isinstance(error, JusteringError):
        return _("Your approval is not recorded: %(reason)s") % {"reason": error}
    return _(
        "The protocol could not be sealed and stored just now, so your approval is "
        "not recorded. Try again in a while; if it fails again, tell the secretary."
    )


def _tell_not_sealed(work: QueuedWork) -> None:
    person = Person.objects.filter(pk=work.params.get("person")).first()
    if person is None or not person.email:
        return
    link = absolute(reverse("justering:protocol", args=[work.meeting_id]))
    sending.post(
        [
            mail(
                person.email,
                _("Not recorded: your approval of %(meeting)s") % {"meeting": work.meeting},
                f"{work.failure}\n\n{link}\n",
            )
        ],
        about=work.meeting,
        kind="justering",
    )


def justera(meeting: Meeting, *, version: str) -> ArchivedProtocol:
    """Freeze the protocol and make its two archival documents, once.

    Changes: sets justerat_at and the status justerat (from then on no part of the
    protocol can change); renders the original as PDF/A-3a with the JSON export
    embedded, seals it, stores it with its SHA-256 (ArchivedProtocol); makes the
    public version from that export the same way (meetings.documents.public_version); records
    an audit event. Runs inside the caller's transaction: a failure leaves the
    protocol unjusterat.
    """
    started = time.perf_counter()
    meeting.justerat_at = timezone.now()
    # Its audit event ("justerat") is recorded below, with the seal's hashes.
    meeting.move_to(Meeting.Status.JUSTERAT, also=("justerat_at",))
    data = export_protocol(meeting)
    content = dumps(data)
    approvals = public_version.approvals_for(meeting, version)
    link_key = public_version.new_link_key()
    pdf = archival_pdf(
        data,
        meeting=meeting,
        approvals=approvals,
        version=version,
        content_json=content,
        link_key=link_key,
    )
    sealed = archival.seal(pdf, reason=_("Justerat protocol"), meeting=meeting)
    archive = ArchivedProtocol(
        meeting=meeting,
        sha256=sealed.sha256,
        content=content,
        content_hash=version,
        public_link_key=link_key,
    )
    with removed_on_failure() as keep:
        archival.store(archive.pdf, sealed, archival.file_name("protokoll", meeting), keep)
        archive.save()
        public = public_version.make(archive, approvals=approvals)
        keep(public.pdf)
        archive.render_seconds = time.perf_counter() - started
        archive.save(update_fields=["render_seconds"])
        record(
            meeting,
            "justerat",
            user=None,
            version=version,
            sha256=archive.sha256,
            public_sha256=public.sha256,
            seconds=round(archive.render_seconds, 3),
        )
    return archive


def remind(*, today: datetime.date, days_before: int = 2) -> int:
    """Remind the approvers who have not approved the current version of a protocol
    whose deadline is within `days_before` days or past. Once a day per protocol.

    Changes: e-mails those approvers; records an audit event per protocol reminded.
    Returns the number of e-mails sent.
    """
    due = Meeting.objects.filter(
        status=Meeting.Status.UNDER_JUSTERING,
        justering_deadline_set__lte=today + datetime.timedelta(days=days_before),
    ).select_related("body")
    sent = 0
    for meeting in due:
        if meeting.audit_events.filter(action="reminded", details__on=today.isoformat()).exists():
            continue
        waiting = [row["person"] for row in approval_state(meeting) if not row["valid"]]
        emails = [
            mail(
                person.email,
                _("Reminder: justering of %(meeting)s") % {"meeting": meeting},
                (
                    _(
                        "The protocol of %(body)s of %(meeting_date)s was to be justerat by "
                        "%(date)s and awaits your answer:\n\n%(link)s\n"
                    )
                    if meeting.justering_deadline < today
                    else _(
                        "The protocol of %(body)s of %(meeting_date)s is to be justerat by "
                        "%(date)s and awaits your answer:\n\n%(link)s\n"
                    )
                )
                % {
                    "date": f"{meeting.justering_deadline:%Y-%m-%d}",
                    "body": meeting.body.name.lower(),
                    "meeting_date": f"{meeting.date:%Y-%m-%d}",
                    "link": absolute(reverse("justering:protocol", args=[meeting.pk])),
                },
            )
            for person in waiting
            if person.email
        ]
        if not emails:
            continue
        sending.post(emails, about=meeting, kind="reminder")
        if meeting.justering_deadline < today:
            notices.past_deadline(meeting, waiting)
        record(
            meeting, "reminded", user=None, on=today.isoformat(), people=[p.name for p in waiting]
        )
        sent += len(emails)
    return sent


@receiver(pre_save, sender=Approval, dispatch_uid="paragraf-refuse-forged-approval")
def _refuse_forged(sender, instance: Approval, raw: bool = False, **kwargs) -> None:
    """Every new answer, by whatever path (Approval.save holds the transaction): given
    to the version being read, by an approver, while it is awaited
    (frozen.APPROVAL_STATUS), as the trigger says; and, for the protocol, to its
    current version, which only Python can compute."""
    if raw or not instance._state.adding:
        return
    approval = instance
    meeting = Meeting.objects.select_for_update().get(pk=approval.meeting_id)
    if approval.person_id not in {p.pk for p in approvers(meeting)}:
        raise NotNow(_("You are not a justerare of this protocol."))
    if approval.rattelse_id is None:
        if meeting.is_frozen or meeting.status != frozen.APPROVAL_STATUS:
            raise NotNow(_("The protocol is not out for justering."))
        if approval.content_hash != content_hash(meeting):
            raise NotNow(
                _("The protocol has changed since you opened it. Read it again before you answer.")
            )
        return
    rattelse = Rattelse.objects.filter(pk=approval.rattelse_id, meeting=meeting).first()
    if (
        not meeting.is_frozen
        or rattelse is None
        or rattelse.approved_at is not None
        # Approved, or objected to (rattelse.object_to), as its text stands.
        or approval.decision not in (Approval.Decision.GODKANT, Approval.Decision.ANDRING)
        or approval.content_hash != rattelse.text_hash()
    ):
        raise NotNow(_("The correction does not await this approval."))
