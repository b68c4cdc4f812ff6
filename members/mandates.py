"""Seats and mandate periods: who sits in a body, for which party, for how long.

The administrator changes them in the workspace (members/views.py); at a new
mandatperiod (every four years for the politicians, whenever a member party
appoints someone new) `new_term` carries the seats over, to be adjusted after.
"""

import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from members.models import Body, Membership


class MandateError(Exception):
    """A change of seats that cannot be made; the message says why, in Swedish."""


def seats_on(body: Body, day: datetime.date) -> list[Membership]:
    """The body's memberships valid on `day`, by party, the chair first."""
    rank: dict[str, int] = {
        Membership.Role.ORDFORANDE: 0,
        Membership.Role.VICE_ORDFORANDE: 1,
        Membership.Role.LEDAMOT: 2,
        Membership.Role.ERSATTARE: 3,
    }
    seats = Membership.objects.filter(body=body).valid_on(day).select_related("person", "party")
    return sorted(
        seats, key=lambda m: (m.party.name if m.party else "", rank[m.role], m.person.name)
    )


@transaction.atomic
def save_membership(membership: Membership) -> Membership:
    """Add or change a membership, checked by the model (no two seats of one person
    in one body at once; person and party of the body's organisation).

    Changes: the Membership. Raises ValidationError with the model's messages.
    """
    membership.full_clean()
    membership.save()
    return membership


@transaction.atomic
def end_membership(membership: Membership, on: datetime.date) -> Membership:
    """The seat is held up to and including `on`. Changes: Membership.end."""
    if on < membership.start:
        raise MandateError(
            _("A seat cannot end before it began (%(start)s).")
            % {"start": f"{membership.start:%Y-%m-%d}"}
        )
    membership.end = on
    membership.full_clean()
    membership.save(update_fields=["end", "modified"])
    return membership


@transaction.atomic
def new_term(body: Body, *, start: datetime.date, end: datetime.date | None) -> list[Membership]:
    """A new mandatperiod from `start`: every seat held the day before carries over,
    same person, role and party, for the new term; the old seats end the day before.

    Changes: ends the memberships valid on start − 1 day (that are not already ending
    then) and creates their copies from `start` to `end`. Returns the new ones.
    Raises MandateError when no seat is held that day, or the body already has
    seats from `start`.
    """
    if end is not None and end < start:
        raise MandateError(_("The term ends before it starts."))
    eve = start - datetime.timedelta(days=1)
    held = seats_on(body, eve)
    if not held:
        raise MandateError(
            _(
                "Nobody sits in the body on %(date)s: there is nothing to carry "
                "over. Add the new term's members one by one."
            )
            % {"date": f"{eve:%Y-%m-%d}"}
        )
    if Membership.objects.filter(body=body, start__gte=start).exists():
        raise MandateError(
            _("The body already has seats from %(date)s on: change them instead.")
            % {"date": f"{start:%Y-%m-%d}"}
        )
    made = []
    for seat in held:
        if seat.end is None or seat.end >= start:
            seat.end = eve
            seat.save(update_fields=["end", "modified"])
        made.append(
            save_membership(
                Membership(
                    person=seat.person,
                    body=body,
                    role=seat.role,
                    party=seat.party,
                    start=start,
                    end=end,
                )
            )
        )
    return made
