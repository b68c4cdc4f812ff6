"""iCalendar as RFC 5545 has it: lines folded at 75 octets, the time zone the events
name defined in the calendar."""

from meetings.documents import calendar as ical


def test_long_lines_are_folded_at_75_octets_never_inside_a_character():
    line = "SUMMARY:" + "Styrelsen för Samordningsförbundet Östra Södertörn, sammanträde " * 3

    folded = ical.fold(line)

    physical = folded.split("\r\n")
    assert len(physical) == 3
    assert all(len(p.encode("utf-8")) <= 75 for p in physical)
    assert all(p.startswith(" ") for p in physical[1:])
    assert folded.replace("\r\n ", "") == line


def test_a_calendar_defines_the_time_zone_of_its_events(planned):
    text = ical.calendar([ical.event(planned, summary="Arbetsutskottet")], name="AU")

    assert text.startswith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n")
    assert text.endswith("END:VCALENDAR\r\n")
    assert "BEGIN:VTIMEZONE\r\nTZID:Europe/Stockholm\r\n" in text
    assert "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU" in text
    assert "DTSTART;TZID=Europe/Stockholm:20210927T090000" in text
    assert "LOCATION:Via Teams" in text
    assert f"UID:meeting-{planned.pk}@testserver" in text


def test_a_meeting_without_an_end_takes_two_hours_in_a_calendar(au):
    import datetime

    from tests import factories

    meeting = factories.meeting(
        au, datetime.date(2021, 9, 27), start=datetime.time(13, 30), end_time=None
    )

    text = ical.calendar([ical.event(meeting, summary="AU")])

    assert "DTEND;TZID=Europe/Stockholm:20210927T153000" in text
