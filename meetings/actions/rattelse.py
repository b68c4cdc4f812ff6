"""Rättelse: correcting a justerat protocol without changing it.

The secretary writes the correction; the protocol's approvers (the chair and the
justerare) approve its exact text, each bound to its hash; when all have, the
correction is dated, rendered to its own PDF/A, sealed and stored. The protocol and
its archived PDF stay as they were.
"""

from django.contrib.auth.models import User
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from meetings.actions import notices
from meetings.actions.justering import JusteringError, approvers, check_e_legitimation, record
from meetings.actions.notices import mail
from meetings.documents import archival, public_version
from meetings.documents.pdf import render_pdf
from meetings.models import Approval, Meeting, Paragraph, Rattelse
from meetings.rules.signals import tell_the_public
from meetings.rules.stored_files import removed_on_failure
from members.models import Person
from minutes_site.links import absolute
from minutes_site.outbox import sending


def text_hash(rattelse: Rattelse) -> str:
    return rattelse.text_hash()


@transaction.atomic
def propose(meeting: Meeting, *, text: str, paragraph: Paragraph | None, by: User) -> Rattelse:
    """Write a correction to a justerat protocol and ask its approvers to approve it.

    Changes: creates a Rattelse, records an audit event, e-mails the approvers.
    """
    if not meeting.is_frozen:
        raise JusteringError(_("Only a justerat protocol is corrected by a rättelse."))
    if not text.strip():
        raise JusteringError(_("Write the correction."))
    rattelse = Rattelse.objects.create(
        meeting=meeting, paragraph=paragraph, text=text.strip(), created_by=by
    )
    record(meeting, "rattelse_proposed", user=by, version=text_hash(rattelse), rattelse=rattelse.pk)
    link = absolute(reverse("justering:protocol", args=[meeting.pk])) + f"#rattelse-{rattelse.pk}"
    sending.post(
        [
            mail(
                person.email,
                _("Correction to approve: %(meeting)s") % {"meeting": meeting},
                _(
                    "A correction of the justerat protocol awaits your approval:\n\n"
                    "%(text)s\n\nRead it, and approve it or object to it, here:\n%(link)s"
                )
                % {
                    # Which § it corrects, first: the e-mail is read without the page.
                    "text": f"{paragraph.sign}: {rattelse.text}" if paragraph else rattelse.text,
                    "link": link,
                },
            )
            for person in approvers(meeting)
            if person.email
        ],
        about=meeting,
        kind="rattelse",
    )
    return rattelse


def state(rattelse: Rattelse) -> list[dict]:
    """Each approver's answer to the correction's text: approved, or the reason of
    their objection (the latest answer counts)."""
    version = text_hash(rattelse)
    answers = {
        a.person_id: a
        for a in rattelse.approvals.filter(content_hash=version).order_by("created", "pk")
    }
    return [
        {
            "person": p,
            "approved": p.pk in answers and answers[p.pk].decision == Approval.Decision.GODKANT,
            "objection": answers[p.pk].reason
            if p.pk in answers and answers[p.pk].decision == Approval.Decision.ANDRING
            else "",
        }
        for p in approvers(rattelse.meeting)
    ]


def with_objections(meeting: Meeting) -> list[dict]:
    """The meeting's corrections ({rattelse, objections}), each with the approvers
    whose latest answer to its text objects, and why ([(person, reason)]); two
    queries."""
    corrections = list(meeting.rattelser.select_related("paragraph"))
    latest: dict[tuple[int | None, int], Approval] = {}
    for answer in (
        Approval.objects.filter(rattelse__in=corrections)
        .select_related("person")
        .order_by("created", "pk")
    ):
        latest[(answer.rattelse_id, answer.person_id)] = answer
    return [
        {
            "rattelse": r,
            "objections": [
                (a.person, a.reason)
                for (rid, _pid), a in latest.items()
                if rid == r.pk
                and a.content_hash == text_hash(r)
                and a.decision == Approval.Decision.ANDRING
            ],
        }
        for r in corrections
    ]


def _awaiting_answer(rattelse: Rattelse, person: Person) -> tuple[Rattelse, Meeting]:
    """The correction, locked, while it awaits `person`'s answer: not yet approved,
    and they one of its approvers (JusteringError says why not)."""
    rattelse = Rattelse.objects.select_for_update().get(pk=rattelse.pk)
    meeting = rattelse.meeting
    if rattelse.approved_at:
        raise JusteringError(_("The correction is already approved."))
    if person not in approvers(meeting):
        raise JusteringError(_("You are not a justerare of this protocol."))
    return rattelse, meeting


@transaction.atomic
def object_to(rattelse: Rattelse, person: Person, *, reason: str, user: User) -> None:
    """`person` objects to the correction, as a justerare asks for a change in a
    protocol: it is not approved while their objection is their latest answer.

    Changes: creates an Approval (change requested, with the reason) for the
    rättelse's text, records an audit event, e-mails the secretary.
    """
    rattelse, meeting = _awaiting_answer(rattelse, person)
    if not reason.strip():
        raise JusteringError(_("Say what should be changed."))
    version = text_hash(rattelse)
    Approval.objects.create(
        meeting=meeting,
        person=person,
        decision=Approval.Decision.ANDRING,
        content_hash=version,
        reason=reason.strip(),
        user=user,
        rattelse=rattelse,
    )
    record(
        meeting,
        "rattelse_objected",
        user=user,
        version=version,
        rattelse=rattelse.pk,
        person=person.name,
        reason=reason.strip(),
    )
    notices.rattelse_objected(rattelse, person, reason.strip())


@transaction.atomic
def approve(
    rattelse: Rattelse, person: Person, *, user: User, evidence: dict | None = None
) -> bool:
    """`person` approves the correction. Returns True when it is thereby approved by
    all, dated, sealed and stored. `evidence`: the e-legitimation it was confirmed
    with, which the organisation may require (as for the protocol itself).

    Changes: creates an Approval for the rättelse and an audit event; on the last
    approval sets approved_at, stores the sealed PDF and its SHA-256.
    """
    rattelse, meeting = _awaiting_answer(rattelse, person)
    check_e_legitimation(meeting.body.organisation, evidence)
    version = text_hash(rattelse)
    Approval.objects.create(
        meeting=meeting,
        person=person,
        decision=Approval.Decision.GODKANT,
        content_hash=version,
        user=user,
        rattelse=rattelse,
        evidence=evidence or {},
    )
    record(
        meeting,
        "rattelse_approved",
        user=user,
        version=version,
        rattelse=rattelse.pk,
        person=person.name,
    )
    if not all(row["approved"] for row in state(rattelse)):
        return False
    rattelse.approved_at = timezone.now()
    approvals = (
        rattelse.approvals.filter(decision=Approval.Decision.GODKANT, content_hash=version)
        .select_related("person")
        .order_by("created")
    )
    original = {
        "text": rattelse.text,
        "paragraph": rattelse.paragraph and f"{rattelse.paragraph.sign} {rattelse.paragraph.title}",
    }
    # Two documents, as at justering: the correction as written, and its public
    # version (public_version.public_rattelse) for the public page and /verifiera/.
    documents = (
        (original, meeting.archive.sha256, rattelse.pdf, "sha256", ()),
        (
            public_version.public_rattelse(rattelse),
            public_version.public_sha256(meeting),
            rattelse.public_pdf,
            "public_sha256",
            ("offentlig",),
        ),
    )
    with removed_on_failure() as keep:
        for shown, protocol_sha256, field, hash_field, suffix in documents:
            context = {
                "meeting": meeting,
                "organisation": meeting.body.organisation,
                "rattelse": rattelse,
                "shown": shown,
                "public": bool(suffix),
                "rattelse_approvals": approvals,
                "original_sha256": protocol_sha256,
            }
            pdf = render_pdf("meetings/pdf/rattelse.html", context, pdf_variant="pdf/a-3a")
            sealed = archival.seal(pdf, reason=_("Rättelse"), meeting=meeting)
            setattr(rattelse, hash_field, sealed.sha256)
            name = archival.file_name("rattelse", meeting, rattelse.pk, *suffix)
            archival.store(field, sealed, name, keep)
        rattelse.save()
    tell_the_public(__name__, meeting=meeting)  # its public page lists its corrections
    record(
        meeting,
        "rattelse_sealed",
        user=None,
        version=version,
        rattelse=rattelse.pk,
        sha256=rattelse.sha256,
    )
    return True
