"""Reusable questions about meetings, for services, documents and views alike."""

from meetings.models import Meeting
from members.models import Membership, Person


def kallelse_recipients(meeting: Meeting) -> list[Person]:
    """The members and deputies of the body on the meeting's day."""
    seats = (
        Membership.objects.filter(body=meeting.body)
        .valid_on(meeting.date)
        .select_related("person")
        .order_by("person__name")
    )
    people = {m.person_id: m.person for m in seats}
    return list(people.values())
