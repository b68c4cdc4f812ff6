"""What the secretary is told about her protocols, by e-mail (and, from the same
state, on her start page): a request for a change, a comment, the protocol
justerat and ready to publish, a justerare past the deadline.

"The secretary" is everyone vid protokollet (the meeting's secretaries) and whoever
sent the protocol for justering, each once, where they have an e-mail address.
"""

from django.core.mail import EmailMessage
from django.urls import reverse
from django.utils.translation import gettext as _

from meetings.models import Comment, Meeting, Rattelse
from members.models import Person
from minutes_site.links import absolute
from minutes_site.outbox import sending


def secretary_addresses(meeting: Meeting) -> list[str]:
    addresses = [p.email for p in meeting.secretaries() if p.email]
    sent = (
        meeting.audit_events.filter(action="sent_for_justering", user__isnull=False)
        .select_related("user")
        .order_by("-created")
        .first()
    )
    sender = sent.user if sent else None
    if sender and sender.email and sender.email not in addresses:
        addresses.append(sender.email)
    return addresses


def mail(to: str, subject: str, body: str) -> EmailMessage:
    """A message to one address. The subject is made one line: it holds names typed
    by people, and a line break in a header is refused (or worse)."""
    return EmailMessage(" ".join(subject.split()), body, to=[to])


def _tell(meeting: Meeting, subject: str, body: str, also: tuple[str, ...] = ()) -> int:
    link = absolute(reverse("workspace:meeting", args=[meeting.pk]))
    addresses = secretary_addresses(meeting)
    addresses += [a for a in also if a and a not in addresses]
    messages = [mail(to, subject, f"{body}\n\n{link}\n") for to in addresses]
    # Recorded with what it tells of, and sent by the outbox: a mail server that is
    # down delays the notice, never undoes the justering it tells of.
    sending.post(messages, about=meeting, kind="notice")
    return len(messages)


def change_requested(meeting: Meeting, person: Person, reason: str) -> int:
    return _tell(
        meeting,
        _("Change requested: %(meeting)s") % {"meeting": meeting},
        _("%(name)s asks for a change in the protocol:\n\n%(reason)s")
        % {"name": person.name, "reason": reason},
    )


def rattelse_objected(rattelse: Rattelse, person: Person, reason: str) -> int:
    return _tell(
        rattelse.meeting,
        _("Objection to a correction: %(meeting)s") % {"meeting": rattelse.meeting},
        _(
            "%(name)s objects to the correction:\n\n%(text)s\n\nTheir reason:\n%(reason)s\n\n"
            "It is not approved while they object. Write a new correction if it needs one."
        )
        % {"name": person.name, "text": rattelse.text, "reason": reason},
        # Whoever wrote the correction hears of it too.
        also=(rattelse.created_by.email,) if rattelse.created_by else (),
    )


def commented(comment: Comment) -> int:
    where = comment.paragraph.sign if comment.paragraph else _("the whole protocol")
    return _tell(
        comment.meeting,
        _("Comment on %(meeting)s") % {"meeting": comment.meeting},
        _("%(name)s comments on %(where)s:\n\n%(text)s")
        % {"name": comment.person.name, "where": where, "text": comment.text},
    )


def justerat(meeting: Meeting) -> int:
    return _tell(
        meeting,
        _("Justerat, ready to publish: %(meeting)s") % {"meeting": meeting},
        _(
            "Everyone has approved the protocol: it is justerat and sealed. Publish it "
            "now (or choose the day), so that the anslag is posted and the appeal "
            "period begins."
        ),
    )


def past_deadline(meeting: Meeting, waiting: list[Person]) -> int:
    return _tell(
        meeting,
        _("Justering overdue: %(meeting)s") % {"meeting": meeting},
        _("The protocol was to be justerat by %(date)s. Not yet approved by: %(names)s.")
        % {
            "date": f"{meeting.justering_deadline:%Y-%m-%d}",
            "names": ", ".join(p.name for p in waiting),
        },
    )
