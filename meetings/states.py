"""What may be done with a meeting now, by its state: the workspace offers exactly
these actions (nothing that would be refused), and the views refuse the rest with
the reason. The services enforce the rules themselves; this only reads them."""

from dataclasses import dataclass

from meetings.actions import services
from meetings.models import Meeting

S = Meeting.Status


@dataclass(frozen=True)
class Controls:
    edit: bool  # time and place, agenda, attendance, bilagor, paragraphs
    send_kallelse: bool
    start_protocol: bool
    number: bool
    send_for_justering: bool
    publish: bool
    correct: bool  # a rättelse
    cancel: bool
    handlingar: bool  # add or remove a handling


def controls(meeting: Meeting) -> Controls:
    frozen = meeting.is_frozen
    return Controls(
        edit=not frozen and meeting.status != S.INSTALLT,
        send_kallelse=meeting.status in (S.PLANERAT, S.KALLAT),
        start_protocol=meeting.status in (S.PLANERAT, S.KALLAT),
        number=meeting.status == S.GENOMFORT,
        send_for_justering=meeting.status == S.GENOMFORT,
        publish=frozen and meeting.publish_on is None,
        correct=frozen,
        cancel=not services.why_not_cancel(meeting),
        handlingar=meeting.takes_handlingar,
    )
