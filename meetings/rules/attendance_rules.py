"""The rules of attendance, checked at every § of the meeting.

- One seat, one vote: at no § may a member vote and a deputy serve for them, or two
  deputies serve for the same member.
- A deputy serves for an ordinary member of the body that day (not for a deputy,
  staff or themselves), and for one of the same party where the förbund's rule says
  so (Organisation.deputy_same_party).
- Quorum: a warning (not a refusal: the protocol says what happened) when fewer than
  half of the body's seats are filled by beslutande at some §; not before anyone is
  recorded as beslutande.
- A justerare recorded as absent: a warning (someone else must be chosen).
- A decision at a § agrees with who votes there (`decision_errors`): no more votes
  than those voting at that § less those with jäv (who take no part), and a
  reservation or a jäv only by someone voting at that § (a reservation not by one
  with jäv). Saved decisions hold the attendance to the same (`decisions_against`).
  Not before anyone is recorded as beslutande: the attendance may come last.

A § range is written as the protocol prints it ("§ 45–49"); before the paragraphs
have numbers the whole meeting counts as one.
"""

from collections import Counter
from collections.abc import Collection
from dataclasses import dataclass

from django.utils.translation import gettext as _

from meetings.models import Attendance, Decision, Paragraph
from members.models import Person

A = Attendance.Capacity


@dataclass
class Found:
    errors: list[str]
    warnings: list[str]


def _present(row: Attendance, paragraph: Paragraph | None) -> bool:
    if row.capacity == A.FRANVARANDE:
        return False
    if paragraph is None:
        return True
    start, until = row.present_from, row.present_until
    return (start is None or start.position <= paragraph.position) and (
        until is None or paragraph.position <= until.position
    )


def _ranges(slots: list[Paragraph | None]) -> str:
    """ "§ 45–47, § 49" for the numbered slots given (in order)."""
    numbers = [p.number for p in slots if p is not None and p.number is not None]
    if not numbers:
        return _("the whole meeting")
    parts, start, last = [], numbers[0], numbers[0]
    for n in [*numbers[1:], None]:
        if n is not None and n == last + 1:
            last = n
            continue
        parts.append(f"§ {start}" if start == last else f"§ {start}–{last}")
        if n is not None:
            start = last = n
    return ", ".join(parts)


def check(
    rows: list[Attendance],
    paragraphs: list[Paragraph],
    *,
    seats: int,
    same_party: bool,
    party_of: dict[int, int | None],
    seat_holders: set[int] | None = None,
    justerare: Collection[int | None] = frozenset(),
) -> Found:
    """`rows`: the meeting's attendance as edited; `paragraphs`: its numbered ones in
    order; `seats`: the body's voting seats that day; `party_of`: each member's
    party by person id (from the memberships), for members without a row here;
    `seat_holders`: the people holding a voting seat that day (None: not checked);
    `justerare`: the people chosen to justera (None: a meeting without a chair)."""
    names = _names(rows)
    # A struck § is not held; before numbering, the whole meeting is one slot.
    slots: list[Paragraph | None] = [p for p in paragraphs if not p.is_struck] or [None]
    errors = [
        *_deputies_without_a_seat(rows, names, seat_holders),
        *_seats_voted_twice(rows, slots, names),
        *(_deputies_of_another_party(rows, names, party_of) if same_party else []),
    ]
    warnings = [*_quorum(rows, slots, seats), *_justerare_absent(rows, justerare)]
    return Found(errors, warnings)


def _names(rows: list[Attendance]) -> dict[int, str]:
    """A message names the member a deputy serves for, who may have no row of their own."""
    names = {row.person_id: row.person.name for row in rows}
    for row in rows:
        if row.substitutes_for_id and row.substitutes_for_id not in names and row.substitutes_for:
            names[row.substitutes_for_id] = row.substitutes_for.name
    return names


def _voting_at(rows: list[Attendance], slot: Paragraph | None) -> list[Attendance]:
    # Who votes changes from § to §: arrivals, departures, a deputy stepping in.
    return [r for r in rows if _present(r, slot) and r.capacity in Attendance.VOTING]


def _seat_of(row: Attendance) -> int:
    """A deputy votes in the seat of the member they serve for."""
    return row.substitutes_for_id if row.substitutes_for_id else row.person_id


def _deputies_without_a_seat(
    rows: list[Attendance], names: dict[int, str], seat_holders: set[int] | None
) -> list[str]:
    """A deputy stands in for an ordinary member: never for a deputy, staff or themselves."""
    if seat_holders is None:
        return []
    return [
        _(
            "%(deputy)s cannot serve for %(member)s: a deputy serves for an "
            "ordinary member of the body."
        )
        % {"deputy": r.person.name, "member": names[r.substitutes_for_id]}
        for r in rows
        if r.substitutes_for_id and r.substitutes_for_id not in seat_holders
    ]


def _seats_voted_twice(
    rows: list[Attendance], slots: list[Paragraph | None], names: dict[int, str]
) -> list[str]:
    """One seat, one vote: each clash said once, with every § where it happened."""
    double: dict[tuple[int, ...], list] = {}
    for slot in slots:
        for seat_and_voters in _shared_seats(_voting_at(rows, slot)):
            double.setdefault(seat_and_voters, []).append(slot)
    return [
        _("At %(where)s the seat of %(member)s has more than one vote: %(who)s.")
        % {
            "where": _ranges(where),
            "member": names.get(seat, "?"),
            "who": ", ".join(names[p] for p in who),
        }
        for (seat, *who), where in double.items()
    ]


def _shared_seats(voting: list[Attendance]) -> list[tuple[int, ...]]:
    """(seat, voters…), voters sorted so that one clash over several § is said once."""
    seat_of = {r.pk or id(r): _seat_of(r) for r in voting}
    return [
        (seat, *sorted(r.person_id for r in voting if seat_of[r.pk or id(r)] == seat))
        for seat, count in Counter(seat_of.values()).items()
        if count > 1
    ]


def _deputies_of_another_party(
    rows: list[Attendance], names: dict[int, str], party_of: dict[int, int | None]
) -> list[str]:
    """Where the förbund says so, a seat stays with its party when a deputy serves."""
    parties = {r.person_id: r.party_id for r in rows}
    errors = []
    for r in rows:
        if r.capacity != A.TJANSTGORANDE_ERSATTARE or not r.substitutes_for_id:
            continue
        member_party = parties.get(r.substitutes_for_id) or party_of.get(r.substitutes_for_id)
        if r.party_id and member_party and r.party_id != member_party:
            errors.append(
                _(
                    "%(deputy)s cannot serve for %(member)s: a deputy serves for a member "
                    "of the same party."
                )
                % {"deputy": r.person.name, "member": names[r.substitutes_for_id]}
            )
    return errors


def _quorum(rows: list[Attendance], slots: list[Paragraph | None], seats: int) -> list[str]:
    """A warning, not a refusal (the protocol says what happened); none before any beslutande."""
    if not (seats and any(r.capacity in Attendance.VOTING for r in rows)):
        return []
    short = [s for s in slots if 2 * len({_seat_of(r) for r in _voting_at(rows, s)}) < seats]
    if not short:
        return []
    return [
        _(
            "At %(where)s fewer than half of the %(seats)s seats are filled by beslutande: "
            "the body may not have a quorum."
        )
        % {"where": _ranges(short), "seats": seats}
    ]


def _justerare_absent(rows: list[Attendance], justerare: Collection[int | None]) -> list[str]:
    """An absent justerare cannot sign: someone else must be chosen in time."""
    return [
        _(
            "%(name)s is to justera the protocol but is recorded as absent: choose "
            "another justerare."
        )
        % {"name": r.person.name}
        for r in rows
        if r.person_id in justerare and r.capacity == A.FRANVARANDE
    ]


def voting_at(paragraph: Paragraph) -> list[Attendance]:
    """Who votes at this § (beslutande and serving deputies present at it), read
    from its meeting's attendance, in the attendance's order."""
    rows = list(
        paragraph.meeting.attendances.select_related("person", "present_from", "present_until")
    )
    return _voting_at(rows, paragraph)


def decisions_against(rows: list[Attendance], decisions: list[Decision]) -> list[str]:
    """What saved `decisions` (their uppdrag, reservations and jäv read with them)
    record that the attendance `rows`, as edited, makes impossible: one message
    per decision, naming its §."""
    found = []
    for d in decisions:
        errors = decision_errors(
            _voting_at(rows, d.paragraph),
            votes=(d.votes_for, d.votes_against, d.votes_abstaining),
            reservations=[r.person for r in d.reservations.all()],
            jav=[j.person for j in d.jav.all()],
        )
        found += [
            _("At %(sign)s: %(problem)s") % {"sign": d.paragraph.sign, "problem": problem}
            for problem in errors.values()
        ]
    return found


def decision_errors(
    voting: list[Attendance],
    *,
    votes: tuple[int | None, int | None, int | None],
    reservations: Collection[Person],
    jav: Collection[Person],
) -> dict[str, str]:
    """What a decision at a § records that its attendance makes impossible, by field
    (votes_for, reservations, jav). `voting`: voting_at the §; `votes`: for, against,
    abstaining. Nothing is held against a meeting whose attendance has no beslutande
    yet."""
    if not voting:
        return {}
    voters = {row.person_id for row in voting}
    errors = {}
    cast = sum(n or 0 for n in votes)
    could_vote = len(voters - {p.pk for p in jav})  # one with jäv takes no part
    if cast > could_vote:
        errors["votes_for"] = _(
            "%(cast)s votes are recorded, but only %(n)s could vote at this paragraph "
            "(those with jäv take no part)."
        ) % {"cast": cast, "n": could_vote}
    outside = [p.name for p in reservations if p.pk not in voters]
    if outside:
        errors["reservations"] = _(
            "Reservations: %(names)s did not take part in the decision at this paragraph; "
            "only those who did can reserve."
        ) % {"names": ", ".join(outside)}
    else:
        absent = {p.pk for p in jav}
        took_no_part = [p.name for p in reservations if p.pk in absent]
        if took_no_part:
            errors["reservations"] = _(
                "Reservations: %(names)s had jäv and took no part in the decision, so cannot "
                "reserve."
            ) % {"names": ", ".join(took_no_part)}
    outside = [p.name for p in jav if p.pk not in voters]
    if outside:
        errors["jav"] = _("Jäv: %(names)s is not among those voting at this paragraph.") % {
            "names": ", ".join(outside)
        }
    return errors
