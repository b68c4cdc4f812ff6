"""A meeting still to be held takes its chair from the seats on its day (issue 29,
8): planned before the new mandatperiod's ordförande was entered, it gets them when
they are; a chair chosen from outside the ordförande's seats stays."""

import datetime

import pytest
from django.urls import reverse

from meetings.actions import services
from meetings.models import Meeting
from members.models import Membership

pytestmark = pytest.mark.django_db

DAY = datetime.date(2027, 2, 15)
TERM = {"start": datetime.date(2027, 1, 1), "end": datetime.date(2030, 12, 31)}


def _plan(au, secretary, day=DAY):
    return services.plan_meeting(
        au, by=secretary, date=day, start_time=datetime.time(9, 0), place="Kansliet"
    )


def test_a_meeting_planned_before_the_new_ordforande_gets_them(
    secretary_client, au, seats, secretary, annica
):
    meeting = _plan(au, secretary)
    assert meeting.chair is None  # the seats of 2019–2022 have ended by then
    page = secretary_client.get(reverse("workspace:meeting", args=[meeting.pk])).content.decode()
    assert "ingen är ordförande" in page

    Membership.objects.create(person=annica, body=au, role="ordforande", **TERM)

    meeting.refresh_from_db()
    assert meeting.chair == annica
    page = secretary_client.get(reverse("workspace:meeting", args=[meeting.pk])).content.decode()
    assert "ingen är ordförande" not in page
    assert "Ordförande: Annica Alatalo" in page


def test_an_ended_ordforande_gives_way_and_a_chosen_chair_stays(
    au, seats, secretary, annica, bengt
):
    seat = Membership.objects.create(person=annica, body=au, role="ordforande", **TERM)
    derived = _plan(au, secretary)
    chosen = _plan(au, secretary, DAY + datetime.timedelta(days=7))
    Meeting.objects.filter(pk=chosen.pk).update(chair=bengt)  # chosen to chair that one
    assert derived.chair == annica

    seat.end = DAY - datetime.timedelta(days=1)
    seat.save()

    derived.refresh_from_db()
    chosen.refresh_from_db()
    assert derived.chair is None
    assert chosen.chair == bengt
