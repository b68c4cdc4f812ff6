"""The anslag: the notice on the organisation's digital anslagstavla that a protocol
has been justerat (kommunallagen 8 kap. 12 §, 13 kap. 5 §).

The notice is posted within two days of justering and stays up at least three
weeks, the appeal period. A deadline that falls on a Saturday, Sunday or public
holiday moves to the next weekday (lag (1930:173) om beräkning av lagstadgad tid).
Midsommarafton, julafton and nyårsafton count as holidays there too.
"""

import datetime
from functools import cache

APPEAL_WEEKS = 3


def easter_sunday(year: int) -> datetime.date:
    """Gregorian Easter (the anonymous Gregorian algorithm, Meeus/Jones/Butcher)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    leap = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * leap) // 451
    month, day = divmod(h + leap - 7 * m + 114, 31)
    return datetime.date(year, month, day + 1)


def _saturday_between(year: int, month: int, first: int, last: int) -> datetime.date:
    for day in range(first, last + 1):
        date = datetime.date(year, month, day)
        if date.weekday() == 5:
            return date
    raise ValueError("no Saturday in the range")


@cache
def public_holidays(year: int) -> frozenset[datetime.date]:
    """Swedish public holidays (lag (1989:253) om allmänna helgdagar), and the eves
    that the law on computing statutory time treats alike."""
    easter = easter_sunday(year)
    midsommardagen = _saturday_between(year, 6, 20, 26)
    alla_helgons_dag = next(
        d
        for d in (datetime.date(year, 10, 31) + datetime.timedelta(days=n) for n in range(7))
        if d.weekday() == 5
    )
    return frozenset(
        {
            datetime.date(year, 1, 1),  # nyårsdagen
            datetime.date(year, 1, 6),  # trettondedag jul
            easter - datetime.timedelta(days=2),  # långfredagen
            easter,  # påskdagen
            easter + datetime.timedelta(days=1),  # annandag påsk
            datetime.date(year, 5, 1),  # första maj
            easter + datetime.timedelta(days=39),  # Kristi himmelsfärdsdag
            easter + datetime.timedelta(days=49),  # pingstdagen
            datetime.date(year, 6, 6),  # Sveriges nationaldag
            midsommardagen - datetime.timedelta(days=1),  # midsommarafton
            midsommardagen,
            alla_helgons_dag,
            datetime.date(year, 12, 24),  # julafton
            datetime.date(year, 12, 25),  # juldagen
            datetime.date(year, 12, 26),  # annandag jul
            datetime.date(year, 12, 31),  # nyårsafton
        }
    )


def is_working_day(date: datetime.date) -> bool:
    return date.weekday() < 5 and date not in public_holidays(date.year)


def next_working_day(date: datetime.date) -> datetime.date:
    """`date` itself if it is a weekday that is no holiday, else the next one."""
    while not is_working_day(date):
        date += datetime.timedelta(days=1)
    return date


def last_day_to_appeal(posted: datetime.date) -> datetime.date:
    """Three weeks from the day the anslag was posted, moved to the next working day
    when it falls on a weekend or holiday."""
    return next_working_day(posted + datetime.timedelta(weeks=APPEAL_WEEKS))


def take_down_date(posted: datetime.date) -> datetime.date:
    """The notice stays up through the last day to appeal; it may come down the day
    after."""
    return last_day_to_appeal(posted) + datetime.timedelta(days=1)


def working_day_before(date: datetime.date) -> datetime.date:
    """The last working day before `date` (a Monday meeting: the Friday before)."""
    date -= datetime.timedelta(days=1)
    while not is_working_day(date):
        date -= datetime.timedelta(days=1)
    return date
