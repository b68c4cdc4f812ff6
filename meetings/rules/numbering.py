"""§ numbering: numbers run on per body and calendar year, in meeting order.

The rules (DOMAIN.md): a meeting in May may hold §23–§42 after earlier meetings held
§1–§22. Numbers are unique per body and year (a database constraint), gap-free within
a meeting, and never reused: a numbered paragraph is struck, not deleted. Once a
later meeting of the body holds numbers, a change that would need one of them is
refused.

Every function here takes a row lock on the Body first, so that on PostgreSQL two
requests numbering the same body's paragraphs run one after the other and can never
compute the same number. (SQLite serialises all writers anyway.)
"""

from dataclasses import dataclass

from django.db import transaction
from django.db.models import Max, Min, Q
from django.utils.translation import gettext as _

from meetings.models import Meeting, Paragraph, lock_protocol
from members.models import Body


class NumberingError(Exception):
    """A change that would break the § sequence; the message says why, for the user."""


@dataclass(frozen=True)
class _Neighbours:
    last_before: int  # highest number held by an earlier meeting of the body and year, or 0
    earlier_meeting: Meeting | None  # the meeting that holds it
    first_after: int | None  # lowest number held by a later meeting, if any
    later_meeting: Meeting | None  # the meeting that holds it


def _lock(meeting: Meeting) -> None:
    # The protocol's own lock first (every write to a protocol takes it, see
    # models.lock_protocol), then the Body row, the one lock all numbering of that
    # body queues on. Always in this order, so that no two writers wait on each other.
    lock_protocol(meeting.pk)
    Body.objects.select_for_update().filter(pk=meeting.body_id).first()


def _neighbours(meeting: Meeting) -> _Neighbours:
    numbered = (
        Paragraph.objects.filter(body_id=meeting.body_id, year=meeting.year, number__isnull=False)
        .exclude(meeting=meeting)
        .select_related("meeting")
    )
    same_time = Q(meeting__date=meeting.date, meeting__start_time=meeting.start_time)
    earlier = (
        Q(meeting__date__lt=meeting.date)
        | Q(meeting__date=meeting.date, meeting__start_time__lt=meeting.start_time)
        | (same_time & Q(meeting_id__lt=meeting.pk))
    )
    last_earlier = numbered.filter(earlier).order_by("-number").first()
    first_later = numbered.exclude(earlier).order_by("number").first()
    return _Neighbours(
        last_before=(last_earlier.number or 0) if last_earlier else 0,
        earlier_meeting=last_earlier.meeting if last_earlier else None,
        first_after=first_later.number if first_later else None,
        later_meeting=first_later.meeting if first_later else None,
    )


def _refuse_unless_fits(meeting: Meeting, start: int, end: int, around: _Neighbours) -> None:
    # Numbers start at 1: without an earlier meeting (last_before 0) any start fits.
    if around.earlier_meeting is not None and start <= around.last_before:
        raise NumberingError(
            _(
                "The meeting of %(date)s holds § %(number)s, which this meeting's numbers "
                "must follow; the change would break the sequence of § numbers."
            )
            % {"date": f"{around.earlier_meeting.date:%Y-%m-%d}", "number": around.last_before}
        )
    if (
        around.later_meeting is not None
        and around.first_after is not None
        and end >= around.first_after
    ):
        raise NumberingError(
            _(
                "The meeting of %(date)s already holds § %(number)s; the change would "
                "break the sequence of § numbers."
            )
            % {"date": f"{around.later_meeting.date:%Y-%m-%d}", "number": around.first_after}
        )


def _renumber(paragraphs: list[Paragraph], start: int) -> None:
    """Write numbers start, start+1 … in list order, in two steps so that a permutation
    never collides with itself on the unique constraint."""
    ids = [p.pk for p in paragraphs]
    Paragraph.objects.filter(pk__in=ids).update(number=None)
    for offset, paragraph in enumerate(paragraphs):
        paragraph.number = start + offset
    Paragraph.objects.bulk_update(paragraphs, ["number"])


@transaction.atomic
def number_paragraphs(meeting: Meeting) -> list[Paragraph]:
    """Give every paragraph of `meeting` its § number, in agenda order.

    A meeting numbered for the first time continues after the highest number of the
    body's earlier meetings that year; a meeting already numbered keeps its first
    number and closes any gap-free block anew (e.g. after a reorder or an addition).
    Changes: Paragraph.number of the meeting's paragraphs. Raises NumberingError if
    the block would reach numbers an earlier or later meeting holds.
    """
    meeting.ensure_editable()
    _lock(meeting)
    paragraphs = list(meeting.paragraphs.order_by("position"))
    if not paragraphs:
        return []
    around = _neighbours(meeting)
    held = [p.number for p in paragraphs if p.number is not None]
    start = min(held) if held else around.last_before + 1
    end = start + len(paragraphs) - 1
    _refuse_unless_fits(meeting, start, end, around)
    _renumber(paragraphs, start)
    return paragraphs


@transaction.atomic
def add_paragraph(meeting: Meeting, **fields) -> Paragraph:
    """Append an item to the meeting's agenda; if the meeting is numbered, number it.

    Changes: creates one Paragraph at the end of the agenda. If the meeting's
    paragraphs already carry numbers, the new one takes the next, or NumberingError
    is raised when a later meeting holds it.
    """
    _lock(meeting)
    existing = meeting.paragraphs.aggregate(last_position=Max("position"), last=Max("number"))
    paragraph = Paragraph(meeting=meeting, position=(existing["last_position"] or 0) + 1, **fields)
    if existing["last"] is not None:
        paragraph.number = existing["last"] + 1
        first = meeting.paragraphs.aggregate(n=Min("number"))["n"]
        _refuse_unless_fits(meeting, first, paragraph.number, _neighbours(meeting))
    paragraph.save()
    return paragraph


@transaction.atomic
def move_paragraph(paragraph: Paragraph, position: int) -> None:
    """Move an item to `position` (1-based) on the agenda and renumber the meeting.

    The meeting keeps the same set of § numbers, now in the new order. Changes:
    position (and number, if numbered) of the meeting's paragraphs.
    """
    meeting = paragraph.meeting
    paragraph.meeting.ensure_editable()
    _lock(meeting)
    paragraphs = list(meeting.paragraphs.order_by("position"))
    moving = next(p for p in paragraphs if p.pk == paragraph.pk)
    paragraphs.remove(moving)
    position = max(1, min(position, len(paragraphs) + 1))
    paragraphs.insert(position - 1, moving)
    _reposition(paragraphs)
    held = [p.number for p in paragraphs if p.number is not None]
    if held:
        _renumber(paragraphs, min(held))
    paragraph.position = moving.position
    paragraph.number = moving.number


def _reposition(paragraphs: list[Paragraph]) -> None:
    # Out of the way first (positions above any real agenda), then into place.
    for offset, p in enumerate(paragraphs):
        p.position = 10_000 + offset
    Paragraph.objects.bulk_update(paragraphs, ["position"])
    for offset, p in enumerate(paragraphs, start=1):
        p.position = offset
    Paragraph.objects.bulk_update(paragraphs, ["position"])


@transaction.atomic
def remove_paragraph(paragraph: Paragraph) -> None:
    """Delete an unnumbered agenda item and close the gap in the positions.

    A numbered paragraph is never deleted, since its number would be reused: it is
    struck instead (`strike_paragraph`). Changes: deletes one Paragraph, shifts the
    positions of those after it.
    """
    meeting = paragraph.meeting
    _lock(meeting)
    paragraph.refresh_from_db(fields=["number"])
    if paragraph.number is not None:
        raise NumberingError(
            _("§ %(number)s has been given its number; strike it from the agenda instead.")
            % {"number": paragraph.number}
        )
    paragraph.delete()
    _reposition(list(meeting.paragraphs.order_by("position")))


@transaction.atomic
def strike_paragraph(paragraph: Paragraph) -> None:
    """Mark an item as struck from the agenda ("utgår"); it keeps its § number.

    Changes: Paragraph.is_struck.
    """
    paragraph.is_struck = True
    paragraph.save(update_fields=["is_struck", "modified"])


def refuse_move(meeting: Meeting, date, start_time) -> None:
    """Raise NumberingError if moving a numbered meeting to `date` and `start_time`
    would take its § numbers into another year or past another numbered meeting of
    the body. Changes nothing; the caller saves the meeting."""
    if not meeting.pk or not meeting.paragraphs.filter(number__isnull=False).exists():
        return
    # Compare with the stored row: a ModelForm may already have put the new date on
    # the instance it was given.
    meeting = Meeting.objects.get(pk=meeting.pk)
    if date.year != meeting.date.year:
        raise NumberingError(
            _(
                "The paragraphs already have their § numbers for %(year)s; the meeting cannot move to another year."
            )
            % {"year": meeting.date.year}
        )
    moved = Meeting(pk=meeting.pk, body_id=meeting.body_id, date=date, start_time=start_time)
    block = meeting.paragraphs.aggregate(first=Min("number"), last=Max("number"))
    _refuse_unless_fits(moved, block["first"], block["last"], _neighbours(moved))
