"""Plain functions that build valid objects with realistic defaults."""

import datetime

from django.apps import apps

from meetings.models import Meeting, Paragraph
from meetings.rules import numbering
from members.models import Body, Organisation, Person


def organisation(
    name="Samordningsförbundet Norrbotten", slug="norrbotten", number="222000-1234"
) -> Organisation:
    return Organisation.objects.create(name=name, slug=slug, organisation_number=number)


def body(organisation, name, slug, *, kind="styrelse", prepares_for=None) -> Body:
    return Body.objects.create(
        organisation=organisation, name=name, slug=slug, kind=kind, prepares_for=prepares_for
    )


def person(organisation, name, **fields) -> Person:
    return Person.objects.create(organisation=organisation, name=name, **fields)


def meeting(body, date, *, start=datetime.time(9, 0), **fields) -> Meeting:
    fields.setdefault("end_time", datetime.time(11, 0))
    return Meeting.objects.create(body=body, date=date, start_time=start, **fields)


def called(meeting) -> Meeting:
    """The meeting as if its kallelse went out now (the Kallelse row with its public
    agenda and time and place, kallelse.send's record), without the e-mail."""
    from django.utils import timezone

    from meetings.documents import public_version
    from meetings.models import Kallelse

    Kallelse.objects.create(
        meeting=meeting, sent_at=timezone.now(), public_agenda=public_version.public_agenda(meeting)
    )
    if meeting.status == Meeting.Status.PLANERAT:
        meeting.status = Meeting.Status.KALLAT
        meeting.save(update_fields=["status"])
    return meeting


def agenda(meeting, *titles, section="beslut") -> list[Paragraph]:
    """Add items to the meeting's agenda through the numbering service."""
    return [numbering.add_paragraph(meeting, section=section, title=t) for t in titles]


def numbered_meeting(body, date, count, **fields) -> Meeting:
    m = meeting(body, date, **fields)
    agenda(m, *[f"Ärende {i}" for i in range(1, count + 1)])
    numbering.number_paragraphs(m)
    return m


def numbers(meeting) -> list[int | None]:
    return list(meeting.paragraphs.order_by("position").values_list("number", flat=True))


def row_counts(*app_labels: str) -> dict[str, int]:
    """Rows per model of the given apps: to assert that something changed nothing."""
    return {
        model._meta.label: model.objects.count()
        for app in app_labels or ("members", "meetings")
        for model in apps.get_app_config(app).get_models()
    }
