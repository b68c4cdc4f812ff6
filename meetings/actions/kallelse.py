"""The kallelse (notice of meeting): what it says, its PDF, and sending it to the body.

The kallelse goes to the members and deputies of the body on the meeting's day. It
names the time and place, the agenda by section (§ numbers to come), the handlingar
of each item, those called (ledamöter and ersättare, with the party each
represents) and whom to tell of an absence, by when. The e-mail carries the PDF, a
calendar invitation, and the public handlingar; handlingar that are not public
never travel by e-mail: the message links to them, behind the member's login.
"""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import User
from django.db import transaction
from django.template.defaultfilters import date as format_date
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import task

from meetings.actions import background
from meetings.actions.notices import mail
from meetings.actions.services import MeetingRuleError
from meetings.documents import archival, public_version
from meetings.documents import calendar as ical
from meetings.documents.document import sign, with_headings
from meetings.documents.pdf import render_pdf
from meetings.models import Handling, Kallelse, Meeting, QueuedWork
from meetings.rules import anslag
from meetings.rules.masking import as_words
from meetings.rules.queries import kallelse_recipients
from meetings.rules.signals import tell_the_public
from members.models import Membership
from minutes_site.links import absolute
from minutes_site.outbox import sending


@dataclass(frozen=True)
class Called:
    name: str
    party: str
    role: str  # "ordförande", "vice ordförande" or "" for a ledamot or ersättare


def called(meeting: Meeting) -> dict[str, list[Called]]:
    """Those the kallelse calls, as it lists them: the ledamöter (the chair first,
    then the vice chair, then by name) and the ersättare (by name)."""
    rank = {Membership.Role.ORDFORANDE: 0, Membership.Role.VICE_ORDFORANDE: 1}
    seats = sorted(
        Membership.objects.filter(body=meeting.body)
        .valid_on(meeting.date)
        .select_related("person", "party"),
        key=lambda m: (rank.get(m.role, 2), m.person.name),
    )
    role_names = {
        Membership.Role.ORDFORANDE: "ordförande",
        Membership.Role.VICE_ORDFORANDE: "vice ordförande",
    }
    groups: dict[str, list[Called]] = {"ledamoter": [], "ersattare": []}
    seen = set()
    for m in seats:
        if m.person_id in seen:
            continue
        seen.add(m.person_id)
        group = "ledamoter" if m.is_voting else "ersattare"
        groups[group].append(
            Called(m.person.name, m.party.name if m.party else "", role_names.get(m.role, ""))
        )
    return groups


def reply_by(meeting: Meeting) -> datetime.date:
    """The day by which an absence is to be reported: the working day before, or
    today when that has passed before the meeting (a kallelse sent late never asks
    for the past; one read after the meeting says what it said)."""
    before, today = anslag.working_day_before(meeting.date), timezone.localdate()
    return today if before < today <= meeting.date else before


def _hours(start: datetime.time | None, end: datetime.time | None) -> str:
    if start is None:
        return "–"
    return f"{start:%H.%M}" + (f"–{end:%H.%M}" if end else "")


def _where(place: str, is_remote: bool) -> str:
    where = place or "–"
    return f"{where} ({_('remote participation possible')})" if is_remote else where


def changes(meeting: Meeting, sent: Kallelse | None, current: dict | None = None) -> list[str]:
    """What a new kallelse says plainly has changed since the one `sent` last (the
    day, the time, the place, the agenda, new handlingar), one sentence each; none
    for a first. `current`: the meeting's public agenda, when the caller has it."""
    if sent is None:
        return []
    if current is None:
        current = public_version.public_agenda(meeting)
    said = []
    if public_version.stored_head(sent.public_agenda) is not None:
        was = public_version.called_head(sent.public_agenda, meeting)
        if was.date != meeting.date:
            said.append(
                _("Changed day: %(new)s (was %(old)s).")
                % {
                    "new": format_date(meeting.date, "l j F Y"),
                    "old": format_date(was.date, "l j F Y"),
                }
            )
        if (was.start_time, was.end_time) != (meeting.start_time, meeting.end_time):
            said.append(
                _("Changed time: %(new)s (was %(old)s).")
                % {
                    "new": _hours(meeting.start_time, meeting.end_time),
                    "old": _hours(was.start_time, was.end_time),
                }
            )
        if (was.place, was.is_remote) != (current["meeting"]["place"], meeting.is_remote):
            said.append(
                _("Changed place: %(new)s (was %(old)s).")
                % {
                    "new": _where(current["meeting"]["place"], meeting.is_remote),
                    "old": _where(was.place, was.is_remote),
                }
            )
    # The items themselves: a handling added is said below, not as a new agenda.
    if not public_version.same_items(sent.public_agenda, current, handlingar=False):
        said.append(_("The agenda has changed."))
    if meeting.handlingar.filter(created__gt=sent.sent_at).exists():
        said.append(_("Handlingar have been added."))
    return said


def agenda(meeting: Meeting) -> list[dict]:
    """The agenda as the kallelse prints it: each item with its § (or a blank to
    come), section heading and handlingar. A confidential item shows its public
    title, and its handlingar only by title (they are given out another way)."""
    handlingar: dict[int, list[Handling]] = {}
    for h in meeting.handlingar.order_by("pk"):
        handlingar.setdefault(h.paragraph_id, []).append(h)
    items = [
        {
            "section": p.section,
            "sign": sign(p.number) if p.number else "§ ___",
            "title": p.open_title,
            "is_confidential": p.is_confidential,
            "diarienummer": p.diarienummer,
            "handlingar": handlingar.get(p.pk, []),
        }
        for p in meeting.paragraphs.filter(is_struck=False).order_by("position")
    ]
    return with_headings(items)


def render(meeting: Meeting) -> bytes:
    """The kallelse as PDF: tagged, PDF/A-3a and PDF/UA-1, like every document
    Paragraf makes (a member may read it with a screen reader)."""
    sent = _last_sent(meeting)
    return _render(meeting, sent, changes(meeting, sent))


def _last_sent(meeting: Meeting) -> Kallelse | None:
    return meeting.kallelser.order_by("-sent_at", "-pk").first()


def _render(meeting: Meeting, sent: Kallelse | None, changed: list[str]) -> bytes:
    """The PDF, saying what `changed` since the kallelse `sent` (as `changes`)."""
    secretary = meeting.secretary
    return render_pdf(
        "meetings/pdf/kallelse.html",
        {
            "changes": changed,
            "replaces": replaces(sent) if sent else "",
            "meeting": meeting,
            "organisation": meeting.body.organisation,
            "agenda": agenda(meeting),
            "called": called(meeting),
            "secretary": secretary,
            "reply_by": reply_by(meeting),
        },
        pdf_variant="pdf/a-3a",
    )


def why_not_send(meeting: Meeting) -> str:
    """Why the kallelse cannot go out now, or "" when it can: a meeting still to
    come, with a chair, and people to call (memberships valid on its day)."""
    if meeting.status not in (Meeting.Status.PLANERAT, Meeting.Status.KALLAT):
        return _("The meeting is held or cancelled: its kallelse cannot be sent.")
    if meeting.date < timezone.localdate():
        return _("The meeting's day has passed.")
    if meeting.chair_id is None:
        return _(
            "The meeting has no chair: nobody is ordförande of the body on %(date)s. Give "
            "the body its ordförande for that day (memberships), or choose the chair."
        ) % {"date": f"{meeting.date:%Y-%m-%d}"}
    if not kallelse_recipients(meeting):
        return _(
            "Nobody sits in the body on %(date)s, so there is nobody to call: the "
            "memberships' terms may have ended. Add the members for the new term first."
        ) % {"date": f"{meeting.date:%Y-%m-%d}"}
    return ""


def _travels_by_mail(handling: Handling) -> bool:
    return handling.is_open_to_the_public


def replaces(sent: Kallelse) -> str:
    """The sentence that heads a changed kallelse."""
    return _("This kallelse replaces the one sent on %(date)s.") % {
        "date": format_date(timezone.localtime(sent.sent_at), "j F Y")
    }


def _message_body(
    meeting: Meeting,
    handlingar: list[Handling],
    attached: bool,
    changed: list[str],
    sent: Kallelse | None,
) -> str:
    when = format_date(meeting.date, "l j F Y")
    lines = [replaces(sent), *changed, ""] if changed and sent else []
    lines += [
        _("You are called to the meeting of %(body)s on %(date)s at %(time)s, %(place)s.")
        % {
            "body": meeting.body.name.lower(),
            "date": when,
            "time": meeting.start_time.strftime("%H.%M"),
            "place": meeting.place or "–",
        },
        "",
        _("The notice with the agenda is attached, with a calendar invitation."),
    ]
    if handlingar:
        lines += ["", _("Handlingar:")]
        for h in handlingar:
            link = absolute(reverse("member:handling", args=[meeting.pk, h.pk]))
            if not _travels_by_mail(h):
                note = _("not public: log in to read it")
            elif attached:
                note = _("attached")
            else:
                note = _("too large to attach all: log in to read it")
            # Plain text: a masked span reads as its words (the members may read them).
            item, title = as_words(h.paragraph.open_title), as_words(h.title)
            lines.append(f"– {item}: {title} ({note})\n  {link}")
    secretary = meeting.secretary
    if secretary:
        contact = ", ".join(x for x in (secretary.name, secretary.email, secretary.phone) if x)
        lines += [
            "",
            _("Report an absence to %(contact)s by %(date)s.")
            % {"contact": contact, "date": format_date(reply_by(meeting), "l j F")},
        ]
    lines += ["", meeting.body.organisation.name]
    return "\n".join(lines)


@transaction.atomic
def send(meeting: Meeting, *, by: User) -> Kallelse:
    """E-mail the kallelse to every member and deputy of the body on the meeting's
    day who has an address; one message each, so that no one sees the others'
    addresses. Each carries the PDF, a calendar invitation (a second kallelse
    updates the same event) and the public handlingar, when together they are
    within KALLELSE_ATTACHMENTS_MAX_BYTES (else the message links to them).

    Changes: sends e-mail; creates a Kallelse row listing every recipient (with an
    empty address for those who had none) and the agenda the public may read; sets
    the status of a planned meeting to kallat; empties the public page cache (the
    organisation's page lists the meeting). Raises MeetingRuleError
    (`why_not_send`) when it cannot go out.
    """
    refusal = why_not_send(meeting)
    if refusal:
        raise MeetingRuleError(refusal)
    people = kallelse_recipients(meeting)
    handlingar = list(
        meeting.handlingar.select_related("paragraph").order_by("paragraph__position", "pk")
    )
    mailed = [h for h in handlingar if _travels_by_mail(h)]
    attach = sum(h.file.size for h in mailed) <= settings.KALLELSE_ATTACHMENTS_MAX_BYTES
    files = []
    for h in mailed if attach else []:
        with h.file.open("rb") as f:
            files.append((h.filename or h.file.name.rsplit("/", 1)[-1], f.read()))
    sequence = meeting.kallelser.count()
    with translation.override(settings.LANGUAGE_CODE):
        before = _last_sent(meeting)
        changed = changes(meeting, before)
        pdf = _render(meeting, before, changed)  # what changed, read once for both
        when = format_date(meeting.date, "j F Y")
        subject = (
            _("Changed kallelse: %(body)s %(date)s")
            if changed
            else _("Kallelse: %(body)s %(date)s")
        ) % {"body": meeting.body.name, "date": when}
        body = _message_body(meeting, handlingar, attach, changed, before)
        summary = f"{meeting.body.name}, {meeting.body.organisation.name}"
    filename = archival.file_name("kallelse", meeting)
    organizer = (meeting.secretary.email if meeting.secretary else "") or (
        settings.DEFAULT_FROM_EMAIL
    )
    emails = []
    for person in people:
        if not person.email:
            continue
        message = mail(person.email, subject, body)
        message.attach(filename, pdf, "application/pdf")
        invitation = ical.calendar(
            [
                ical.event(
                    meeting,
                    summary=summary,
                    sequence=sequence,
                    organizer=organizer,
                    attendee=person.email,
                )
            ],
            method="REQUEST",
        )
        message.attach("kallelse.ics", invitation, "text/calendar; method=REQUEST")
        for name, content in files:
            message.attach(name, content)
        emails.append(message)
    record = Kallelse.objects.create(
        meeting=meeting,
        sent_at=timezone.now(),
        sent_by=by,
        recipients=[{"name": p.name, "email": p.email} for p in people],
        public_agenda=public_version.public_agenda(meeting),
    )
    # An earlier kallelse's mails not yet sent never go: they would arrive after this
    # one, saying what it corrects.
    sending.withdraw(
        sending.of(meeting, kind="kallelse"),
        _("Replaced by the kallelse of %(when)s.")
        % {"when": f"{timezone.localtime(record.sent_at):%Y-%m-%d %H.%M}"},
    )
    # Recorded here, sent by the outbox: a mail server that is down delays the
    # kallelse, and the meeting page shows each recipient's mail as it goes.
    sending.post(emails, about=meeting, kind="kallelse", batch=batch(record))
    # Kallat (a second kallelse leaves it so, and is recorded all the same).
    meeting.move_to(
        Meeting.Status.KALLAT,
        by=by,
        action="kallelse_sent",
        recipients=len(people),
        emailed=len(emails),
        handlingar_attached=len(files),
        attachments_size=filesizeformat(sum(len(c) for _n, c in files)),
    )
    tell_the_public(__name__, meeting=meeting)  # its public agenda is out
    return record


def order(meeting: Meeting, *, by: User) -> QueuedWork:
    """The secretary sends the kallelse: it is made and sent by a worker (`send`),
    and the request answers at once. Asked twice while it waits, it is sent once.
    Raises MeetingRuleError (`why_not_send`) when it cannot go out."""
    refusal = why_not_send(meeting)
    if refusal:
        raise MeetingRuleError(refusal)
    return background.waiting(meeting, QueuedWork.Kind.KALLELSE) or background.order(
        meeting, QueuedWork.Kind.KALLELSE, by=by, task=send_ordered
    )


@task()
def send_ordered(work_id: int) -> str:
    return background.perform(work_id, _send, _why_not_sent)


def _send(work: QueuedWork) -> None:
    send(work.meeting, by=work.requested_by)  # type: ignore[arg-type]  # None: account gone


def _why_not_sent(error: Exception) -> str:
    if isinstance(error, MeetingRuleError):
        return _("The kallelse was not sent: %(reason)s") % {"reason": error}
    return _(
        "The kallelse could not be made just now (%(error)s); nothing was sent. Send it "
        "again in a while; if it fails again, tell the administrator."
    ) % {"error": type(error).__name__}


def retry(sent: Kallelse) -> int:
    """ "Försök igen" for every recipient of the kallelse whose mail did not arrive."""
    mails = sending.of(sent.meeting, kind="kallelse", batch=batch(sent))
    return sum(sending.retry(m) for m in mails if m.may_try_again)


def batch(sent: Kallelse) -> str:
    """The outbox's name for the mails of one kallelse."""
    return f"kallelse:{sent.pk}"


def deliveries(sent: Kallelse) -> list[dict]:
    """Each recipient of a kallelse with the state of their mail: sent, waiting (with
    the server's last answer), failed or bounced; no mail for those without an
    address. In the order of the kallelse's list."""
    mails: dict[str, list] = {}
    for m in sending.of(sent.meeting, kind="kallelse", batch=batch(sent)).order_by("pk"):
        for to in m.to:
            mails.setdefault(to.lower(), []).append(m)
    rows = []
    for recipient in sent.recipients:
        address = (recipient.get("email") or "").lower()
        found = mails.get(address, [])
        rows.append(
            {
                "name": recipient["name"],
                "email": recipient.get("email") or "",
                "mail": found[0] if found else None,
            }
        )
    return rows
