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

A § range is written as the protocol prints it ("§ 45–49"); before the paragraphs
have numbers the whole meeting counts as one.
"""

from collections import Counter
from collections.abc import Collection
from dataclasses import dataclass

from django.utils.translation import gettext as _

from meetings.models import Attendance, Paragraph

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
    errors, warnings = [], []
    names = {row.person_id: row.person.name for row in rows}
    for row in rows:
        if row.substitutes_for_id and row.substitutes_for_id not in names and row.substitutes_for:
            names[row.substitutes_for_id] = row.substitutes_for.name
    # None: one slot for the whole meeting, before its paragraphs have numbers.
    slots: list[Paragraph | None] = [p for p in paragraphs if not p.is_struck] or [None]
    if seat_holders is not None:
        for r in rows:
            if r.substitutes_for_id and r.substitutes_for_id not in seat_holders:
                errors.append(
                    _(
                        "%(deputy)s cannot serve for %(member)s: a deputy serves for an "
                        "ordinary member of the body."
                    )
                    % {"deputy": r.person.name, "member": names[r.substitutes_for_id]}
                )
    recorded = any(r.capacity in Attendance.VOTING for r in rows)

    double: dict[tuple[int, ...], list] = {}
    short: list = []
    for slot in slots:
        voting = [r for r in rows if _present(r, slot) and r.capacity in Attendance.VOTING]
        seat_of = {
            r.pk or id(r): (r.substitutes_for_id if r.substitutes_for_id else r.person_id)
            for r in voting
        }
        taken = Counter(seat_of.values())
        for seat, count in taken.items():
            if count > 1:
                who = tuple(sorted(r.person_id for r in voting if seat_of[r.pk or id(r)] == seat))
                double.setdefault((seat, *who), []).append(slot)
        if recorded and seats and 2 * len(taken) < seats:
            short.append(slot)
    for (seat, *voters), where in double.items():
        errors.append(
            _("At %(where)s the seat of %(member)s has more than one vote: %(who)s.")
            % {
                "where": _ranges(where),
                "member": names.get(seat, "?"),
                "who": ", ".join(names[p] for p in voters),
            }
        )
    if same_party:
        parties = {r.person_id: r.party_id for r in rows}
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
    if short:
        warnings.append(
            _(
                "At %(where)s fewer than half of the %(seats)s seats are filled by beslutande: "
                "the body may not have a quorum."
            )
            % {"where": _ranges(short), "seats": seats}
        )
    for r in rows:
        if r.person_id in justerare and r.capacity == A.FRANVARANDE:
            warnings.append(
                _(
                    "%(name)s is to justera the protocol but is recorded as absent: choose "
                    "another justerare."
                )
                % {"name": r.person.name}
            )
    return Found(errors, warnings)
