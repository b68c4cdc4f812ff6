import datetime
import threading
import time

import pytest
from django.db import IntegrityError, connection, transaction

from meetings.models import Paragraph
from meetings.rules import numbering
from tests import factories
from tests.factories import agenda, numbered_meeting, numbers

JAN = datetime.date(2026, 1, 19)
FEB = datetime.date(2026, 2, 23)
MAR = datetime.date(2026, 3, 23)


def test_first_meeting_of_the_year_starts_at_one(au):
    m = factories.meeting(au, JAN)
    agenda(m, "Mötets öppnande", "Val av justerare", "Mötets avslutande")

    numbering.number_paragraphs(m)

    assert numbers(m) == [1, 2, 3]


def test_numbers_run_on_from_the_earlier_meetings_of_the_year(au):
    numbered_meeting(au, JAN, 22)
    may = factories.meeting(au, datetime.date(2026, 5, 18))
    agenda(may, *[f"Ärende {i}" for i in range(20)])

    numbering.number_paragraphs(may)

    assert numbers(may) == list(range(23, 43))


def test_a_new_year_starts_again_at_one(au):
    numbered_meeting(au, datetime.date(2025, 12, 8), 9)
    m = numbered_meeting(au, JAN, 3)

    assert numbers(m) == [1, 2, 3]


def test_each_body_has_its_own_sequence(au, styrelse):
    numbered_meeting(au, JAN, 5)
    m = numbered_meeting(styrelse, FEB, 4)

    assert numbers(m) == [1, 2, 3, 4]


def test_two_meetings_on_one_day_are_numbered_in_order_of_start(au):
    morning = numbered_meeting(au, JAN, 2, start=datetime.time(9, 0))
    afternoon = factories.meeting(
        au, JAN, start=datetime.time(13, 0), end_time=datetime.time(14, 0)
    )
    agenda(afternoon, "Extra ärende")

    numbering.number_paragraphs(afternoon)

    assert numbers(morning) == [1, 2]
    assert numbers(afternoon) == [3]


def test_an_item_added_to_a_numbered_meeting_takes_the_next_number(au):
    m = numbered_meeting(au, JAN, 3)

    added = numbering.add_paragraph(m, section="ovrigt", title="Övriga frågor")

    assert (added.position, added.number) == (4, 4)
    assert numbers(m) == [1, 2, 3, 4]


def test_an_item_added_before_numbering_has_no_number(au):
    m = factories.meeting(au, JAN)

    added = numbering.add_paragraph(m, section="beslut", title="Budget")

    assert added.number is None


def test_numbering_again_keeps_the_block_and_closes_it_without_gaps(au):
    m = numbered_meeting(au, JAN, 3)
    Paragraph.objects.create(meeting=m, position=4, section="ovrigt", title="Sent ärende")

    numbering.number_paragraphs(m)

    assert numbers(m) == [1, 2, 3, 4]


def test_moving_an_item_renumbers_the_meeting_in_the_new_order(au):
    m = factories.meeting(au, JAN)
    _opening, _budget, closing = agenda(m, "Öppnande", "Budget", "Avslutning")
    numbering.number_paragraphs(m)

    numbering.move_paragraph(closing, 1)

    titles = list(m.paragraphs.order_by("position").values_list("title", "number"))
    assert titles == [("Avslutning", 1), ("Öppnande", 2), ("Budget", 3)]


def test_moving_keeps_numbers_gap_free_after_many_moves(au):
    numbered_meeting(au, JAN, 4)
    m = numbered_meeting(au, FEB, 6)
    paragraphs = list(m.paragraphs.order_by("position"))

    for target, paragraph in zip([6, 1, 3, 2, 5, 4], paragraphs, strict=True):
        numbering.move_paragraph(paragraph, target)

    assert sorted(numbers(m)) == list(range(5, 11))
    assert numbers(m) == list(range(5, 11))
    assert list(m.paragraphs.values_list("position", flat=True).order_by("position")) == [
        1,
        2,
        3,
        4,
        5,
        6,
    ]


def test_adding_an_item_is_refused_when_a_later_meeting_holds_the_next_number(au):
    jan = numbered_meeting(au, JAN, 3)
    numbered_meeting(au, FEB, 2)

    with pytest.raises(numbering.NumberingError) as refused:
        numbering.add_paragraph(jan, section="ovrigt", title="Sent ärende")

    assert "2026-02-23" in str(refused.value)
    assert "§ 4" in str(refused.value)
    assert numbers(jan) == [1, 2, 3]
    assert jan.paragraphs.count() == 3


def test_numbering_an_earlier_meeting_after_a_later_one_is_refused(au):
    jan = factories.meeting(au, JAN)
    agenda(jan, "Budget")
    numbered_meeting(au, FEB, 2)

    with pytest.raises(numbering.NumberingError):
        numbering.number_paragraphs(jan)

    assert numbers(jan) == [None]


def test_a_meeting_between_two_numbered_ones_cannot_be_numbered(au):
    numbered_meeting(au, JAN, 2)
    numbered_meeting(au, MAR, 2)
    feb = factories.meeting(au, FEB)
    agenda(feb, "Extra ärende")

    with pytest.raises(numbering.NumberingError):
        numbering.number_paragraphs(feb)


def test_reordering_is_allowed_while_a_later_meeting_holds_numbers(au):
    jan = factories.meeting(au, JAN)
    _a, b = agenda(jan, "A", "B")
    numbering.number_paragraphs(jan)
    numbered_meeting(au, FEB, 2)

    numbering.move_paragraph(b, 1)

    assert list(jan.paragraphs.order_by("position").values_list("title", "number")) == [
        ("B", 1),
        ("A", 2),
    ]


def test_an_unnumbered_item_can_be_removed_and_positions_close_up(au):
    m = factories.meeting(au, JAN)
    _a, b, _c = agenda(m, "A", "B", "C")

    numbering.remove_paragraph(b)

    assert list(m.paragraphs.values_list("title", "position")) == [("A", 1), ("C", 2)]


def test_a_numbered_item_is_never_deleted_so_its_number_is_never_reused(au):
    m = numbered_meeting(au, JAN, 3)
    last = m.paragraphs.get(number=3)

    with pytest.raises(numbering.NumberingError) as refused:
        numbering.remove_paragraph(last)

    assert "§ 3" in str(refused.value)
    assert numbers(m) == [1, 2, 3]


def test_a_struck_item_keeps_its_number(au):
    m = numbered_meeting(au, JAN, 3)
    struck = m.paragraphs.get(number=2)

    numbering.strike_paragraph(struck)
    added = numbering.add_paragraph(m, section="ovrigt", title="Övriga frågor")

    struck.refresh_from_db()
    assert (struck.is_struck, struck.number) == (True, 2)
    assert added.number == 4


def test_the_database_refuses_a_number_twice_in_one_body_and_year(au):
    jan = numbered_meeting(au, JAN, 1)
    feb = factories.meeting(au, FEB)

    with pytest.raises(IntegrityError), transaction.atomic():
        Paragraph.objects.create(meeting=feb, position=1, number=1, section="beslut", title="X")

    assert jan.paragraphs.get().number == 1


@pytest.fixture
def slow_numbering(monkeypatch):
    """Pause between reading the numbers in use and writing new ones, so that two
    requests without a lock would certainly both read the same highest number."""
    read = numbering._neighbours

    def read_then_pause(meeting):
        result = read(meeting)
        time.sleep(0.4)
        return result

    monkeypatch.setattr(numbering, "_neighbours", read_then_pause)


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_additions_never_get_the_same_number(au, slow_numbering):
    """Two requests append to one meeting at the same moment. Each reads the highest
    number, pauses (to make the race certain), then writes. The body lock makes the
    second wait for the first, so they get 4 and 5, not both 4."""
    m = numbered_meeting(au, JAN, 3)
    start = threading.Barrier(2)
    results, errors = [], []

    def add(title):
        try:
            start.wait()
            results.append(numbering.add_paragraph(m, section="ovrigt", title=title).number)
        except Exception as e:  # collected and asserted below
            errors.append(e)
        finally:
            connection.close()

    threads = [threading.Thread(target=add, args=(t,)) for t in ("Första", "Andra")]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=20)

    assert errors == []
    assert sorted(results) == [4, 5]
    assert numbers(m) == [1, 2, 3, 4, 5]


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_two_meetings_numbered_at_once_get_disjoint_blocks(au, slow_numbering):
    """Numbering two meetings of the same body at once: the later one in the year
    queues behind the earlier one and continues after its block, or is refused;
    never do both end up holding the same numbers."""
    jan = factories.meeting(au, JAN)
    agenda(jan, "A", "B", "C")
    feb = factories.meeting(au, FEB)
    agenda(feb, "D", "E")
    start = threading.Barrier(2)
    outcome = {}

    def number(meeting):
        try:
            start.wait()
            numbering.number_paragraphs(meeting)
            outcome[meeting.pk] = "numbered"
        except numbering.NumberingError:
            outcome[meeting.pk] = "refused"
        except Exception as e:  # asserted below
            outcome[meeting.pk] = repr(e)
        finally:
            connection.close()

    threads = [threading.Thread(target=number, args=(x,)) for x in (jan, feb)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=20)

    assert outcome[jan.pk] in ("numbered", "refused")
    assert outcome[feb.pk] == "numbered"
    if outcome[jan.pk] == "numbered":
        assert (numbers(jan), numbers(feb)) == ([1, 2, 3], [4, 5])
    else:  # February won the lock and took § 1–2; January must not reuse them
        assert (numbers(jan), numbers(feb)) == ([None, None, None], [1, 2])


def test_a_numbered_meeting_may_move_within_its_place_in_the_sequence(au):
    numbered_meeting(au, JAN, 2)
    feb = numbered_meeting(au, FEB, 2)
    numbered_meeting(au, MAR, 2)

    numbering.refuse_move(feb, datetime.date(2026, 3, 2), datetime.time(9, 0))  # no error


@pytest.mark.parametrize(
    ("date", "message"),
    [
        (datetime.date(2027, 2, 23), "2026"),  # into another year
        (datetime.date(2026, 3, 30), "2026-03-23"),  # past the March meeting
        (datetime.date(2026, 1, 12), "2026-01-19"),  # before the January one
    ],
)
def test_a_numbered_meeting_cannot_move_out_of_its_place(au, date, message):
    numbered_meeting(au, JAN, 2)
    feb = numbered_meeting(au, FEB, 2)
    numbered_meeting(au, MAR, 2)

    with pytest.raises(numbering.NumberingError) as refused:
        numbering.refuse_move(feb, date, datetime.time(9, 0))

    assert message in str(refused.value)


def test_an_unnumbered_meeting_may_move_anywhere(au):
    numbered_meeting(au, FEB, 2)
    planned = factories.meeting(au, JAN)
    agenda(planned, "Budget")

    numbering.refuse_move(planned, datetime.date(2027, 5, 1), datetime.time(9, 0))
