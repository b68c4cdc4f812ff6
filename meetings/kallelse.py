"""The kallelse (notice of meeting): its PDF, and sending it to the body."""

from django.conf import settings
from django.contrib.auth.models import User
from django.core.mail import get_connection
from django.db import transaction
from django.template.defaultfilters import date as format_date
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _

from meetings.justering import mail
from meetings.models import AuditEvent, Kallelse, Meeting
from meetings.pdf import kallelse_pdf
from meetings.queries import kallelse_recipients
from meetings.services import MeetingRuleError


def render(meeting: Meeting) -> bytes:
    return kallelse_pdf(meeting)


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


@transaction.atomic
def send(meeting: Meeting, *, by: User) -> Kallelse:
    """E-mail the kallelse, PDF attached, to every member and deputy of the body
    on the meeting's day who has an address; one message each, so that no one sees
    the others' addresses.

    Changes: sends e-mail; creates a Kallelse row listing every recipient (with an
    empty address for those who had none); sets the status of a planned meeting to
    kallat. Raises MeetingRuleError (`why_not_send`) when it cannot go out.
    """
    refusal = why_not_send(meeting)
    if refusal:
        raise MeetingRuleError(refusal)
    pdf = render(meeting)
    people = kallelse_recipients(meeting)
    filename = f"kallelse-{slugify(meeting.body.name)}-{meeting.date:%Y-%m-%d}.pdf"
    with translation.override(settings.LANGUAGE_CODE):
        when = format_date(meeting.date, "j F Y")
        subject = _("Kallelse: %(body)s %(date)s") % {"body": meeting.body.name, "date": when}
        body = _(
            "You are called to the meeting of %(body)s on %(date)s at %(time)s, %(place)s.\n\n"
            "The notice with the agenda is attached.\n\n%(organisation)s"
        ) % {
            "body": meeting.body.name.lower(),
            "date": when,
            "time": meeting.start_time.strftime("%H.%M"),
            "place": meeting.place or "–",
            "organisation": meeting.body.organisation.name,
        }
    emails = []
    for person in people:
        if not person.email:
            continue
        message = mail(person.email, subject, body)
        message.attach(filename, pdf, "application/pdf")
        emails.append(message)
    get_connection().send_messages(emails)
    record = Kallelse.objects.create(
        meeting=meeting,
        sent_at=timezone.now(),
        sent_by=by,
        recipients=[{"name": p.name, "email": p.email} for p in people],
    )
    if meeting.status == Meeting.Status.PLANERAT:
        meeting.status = Meeting.Status.KALLAT
        meeting.save(update_fields=["status", "modified"])
    AuditEvent.objects.create(
        meeting=meeting, user=by, action="kallelse_sent",
        details={"recipients": len(people), "emailed": len(emails)},
    )  # fmt: skip
    return record
