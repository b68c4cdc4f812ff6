"""Meetings as iCalendar (RFC 5545): the public calendar of a body's meetings, and
the invitation sent with a kallelse (and its cancellation).

Times are Swedish local time, so every calendar carries the Europe/Stockholm
VTIMEZONE its events refer to (RFC 5545 3.6.5: a TZID must have one). UIDs are built
on SITE_URL's host, never on a visitor's Host header, so that the same meeting is
the same event in every calendar that holds it, and a second kallelse or a
cancellation updates it.
"""

import datetime
from urllib.parse import urlsplit

from django.conf import settings
from django.utils import timezone

from meetings.models import Meeting

TZID = "Europe/Stockholm"
# Central European (Summer) Time since 1996: last Sunday of March and of October.
VTIMEZONE = [
    "BEGIN:VTIMEZONE",
    f"TZID:{TZID}",
    "BEGIN:DAYLIGHT",
    "TZOFFSETFROM:+0100",
    "TZOFFSETTO:+0200",
    "TZNAME:CEST",
    "DTSTART:19700329T020000",
    "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU",
    "END:DAYLIGHT",
    "BEGIN:STANDARD",
    "TZOFFSETFROM:+0200",
    "TZOFFSETTO:+0100",
    "TZNAME:CET",
    "DTSTART:19701025T030000",
    "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU",
    "END:STANDARD",
    "END:VTIMEZONE",
]


def text(value: str) -> str:
    """A TEXT value (RFC 5545 3.3.11): backslash, semicolon, comma and line breaks
    escaped (any kind: a bare CR would end the line inside a property)."""
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    return value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def fold(line: str) -> str:
    """A content line folded at 75 octets (RFC 5545 3.1), never inside a character."""
    parts: list[str] = []
    current = b""
    for char in line:
        encoded = char.encode("utf-8")
        limit = 75 if not parts else 74  # continuation lines begin with a space
        if len(current) + len(encoded) > limit:
            parts.append(current.decode("utf-8"))
            current = b""
        current += encoded
    parts.append(current.decode("utf-8"))
    return "\r\n ".join(parts)


def uid(meeting: Meeting) -> str:
    host = urlsplit(settings.SITE_URL).hostname or "paragraf"
    return f"meeting-{meeting.pk}@{host}"


def _stamp(at: datetime.datetime | None = None) -> str:
    return (at or timezone.now()).astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")


def event(
    meeting: Meeting,
    *,
    summary: str,
    description: str = "",
    url: str = "",
    sequence: int = 0,
    cancelled: bool = False,
    organizer: str = "",
    attendee: str = "",
    head=None,
    stamp: datetime.datetime | None = None,
) -> list[str]:
    """One VEVENT. `head` (a public_version.CalledHead) gives the time and place
    the public may read; without it the meeting's own (for those it calls)."""
    head = head or meeting
    day, start_time = head.date, head.start_time or datetime.time(0, 0)
    start = datetime.datetime.combine(day, start_time)
    end = datetime.datetime.combine(day, head.end_time) if head.end_time else None
    if end is None or end <= start:
        end = start + datetime.timedelta(hours=2)  # a meeting takes time in a calendar
    lines = [
        "BEGIN:VEVENT",
        f"UID:{uid(meeting)}",
        f"DTSTAMP:{_stamp(stamp)}",
        f"SEQUENCE:{sequence}",
        f"DTSTART;TZID={TZID}:{start:%Y%m%dT%H%M%S}",
        f"DTEND;TZID={TZID}:{end:%Y%m%dT%H%M%S}",
        f"SUMMARY:{text(summary)}",
    ]
    if head.place:
        lines.append(f"LOCATION:{text(head.place)}")
    if description:
        lines.append(f"DESCRIPTION:{text(description)}")
    if url:
        lines.append(f"URL:{url}")
    if organizer:
        lines.append(f"ORGANIZER:mailto:{organizer}")
    if attendee:
        lines.append(f"ATTENDEE;ROLE=REQ-PARTICIPANT;RSVP=FALSE:mailto:{attendee}")
    lines.append("STATUS:CANCELLED" if cancelled else "STATUS:CONFIRMED")
    lines.append("END:VEVENT")
    return lines


def calendar(events: list[list[str]], *, name: str = "", method: str = "") -> str:
    """A VCALENDAR holding `events` (from `event`), with the time zone they use."""
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Paragraf//Sammanträden//SV",
        "CALSCALE:GREGORIAN",
    ]
    if method:
        lines.append(f"METHOD:{method}")
    if name:
        lines.append(f"X-WR-CALNAME:{text(name)}")
    lines += VTIMEZONE
    for lines_of_event in events:
        lines += lines_of_event
    lines.append("END:VCALENDAR")
    return "\r\n".join(fold(line) for line in lines) + "\r\n"
