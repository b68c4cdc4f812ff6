import datetime

import pytest

from meetings.rules import anslag

D = datetime.date


@pytest.mark.parametrize(
    ("year", "easter"),
    [
        (2024, D(2024, 3, 31)),
        (2025, D(2025, 4, 20)),
        (2026, D(2026, 4, 5)),
        (2027, D(2027, 3, 28)),
        (2038, D(2038, 4, 25)),
        (2008, D(2008, 3, 23)),
    ],
)
def test_easter_sunday(year, easter):
    assert anslag.easter_sunday(year) == easter


def test_the_holidays_of_2026():
    assert sorted(anslag.public_holidays(2026)) == [
        D(2026, 1, 1),
        D(2026, 1, 6),
        D(2026, 4, 3),
        D(2026, 4, 5),
        D(2026, 4, 6),
        D(2026, 5, 1),
        D(2026, 5, 14),
        D(2026, 5, 24),
        D(2026, 6, 6),
        D(2026, 6, 19),
        D(2026, 6, 20),
        D(2026, 10, 31),
        D(2026, 12, 24),
        D(2026, 12, 25),
        D(2026, 12, 26),
        D(2026, 12, 31),
    ]


@pytest.mark.parametrize(
    ("posted", "last_day", "why"),
    [
        (D(2026, 3, 2), D(2026, 3, 23), "an ordinary Monday"),
        (D(2026, 3, 7), D(2026, 3, 30), "a Saturday three weeks on moves to Monday"),
        (D(2026, 3, 8), D(2026, 3, 30), "a Sunday moves to Monday"),
        (D(2026, 3, 13), D(2026, 4, 7), "långfredag, påskdagen, annandag påsk: to Tuesday"),
        (D(2026, 3, 16), D(2026, 4, 7), "annandag påsk (6 April) moves to Tuesday"),
        (D(2026, 4, 23), D(2026, 5, 15), "Kristi himmelsfärd (14 May) moves to Friday"),
        (D(2026, 5, 29), D(2026, 6, 22), "midsommarafton and midsommardagen: to Monday"),
        (D(2026, 5, 16), D(2026, 6, 8), "nationaldagen on a Saturday: to Monday"),
        (D(2026, 12, 3), D(2026, 12, 28), "julafton through annandag jul: to Monday"),
        (D(2026, 12, 10), D(2027, 1, 4), "nyårsafton, nyårsdagen, a weekend: across the year"),
        (D(2026, 12, 16), D(2027, 1, 7), "trettondedag jul (6 Jan 2027, Wednesday) to Thursday"),
        (D(2025, 12, 2), D(2025, 12, 23), "the Tuesday before julafton is a working day"),
        (D(2026, 10, 10), D(2026, 11, 2), "alla helgons dag (31 Oct): a Saturday, to Monday"),
    ],
)
def test_the_last_day_to_appeal(posted, last_day, why):
    assert anslag.last_day_to_appeal(posted) == last_day, why
    assert anslag.take_down_date(posted) == last_day + datetime.timedelta(days=1)
