"""Members and deputies of a body, and a new mandatperiod, kept by the organisation's
administrator in the workspace (no Django admin needed)."""

import datetime

import pytest
from django.contrib.auth.models import User
from django.test import Client

from meetings.actions import services
from meetings.rules.queries import kallelse_recipients
from members.models import Membership, StaffRole
from tests.conftest import log_in_with_two_factor

URL = "/arbete/organisation/norrbotten/organ/arbetsutskott/ledamoter/"


@pytest.fixture
def administrator(organisation, seats):
    boss = User.objects.create_user("chefen")
    StaffRole.objects.create(user=boss, organisation=organisation, role="administrator")
    return log_in_with_two_factor(Client(), boss)


def test_the_seats_on_a_day_are_listed_by_party_with_their_terms(administrator):
    page = administrator.get(f"{URL}?dag=2021-09-27").content.decode()

    for text in (
        "Fredrik Hansson",
        "Luleå kommun",
        "ordförande",
        "2019-01-01 – 2022-12-31",
        "Lisa Persson",
        "ersättare",
    ):
        assert text in page
    after = administrator.get(f"{URL}?dag=2023-02-01").content.decode()
    assert "Ingen sitter i organet 2023-02-01" in after


def test_a_membership_is_added_and_an_overlapping_one_refused(
    administrator, organisation, au, seats
):
    from tests import factories

    karin = factories.person(organisation, "Karin Ek")
    party = seats["parties"]["Region Norrbotten"]
    added = administrator.post(
        URL,
        {
            "seat-person": karin.pk,
            "seat-role": "ersattare",
            "seat-party": party.pk,
            "seat-start": "2021-01-01",
        },
    )
    again = administrator.post(
        URL,
        {
            "seat-person": karin.pk,
            "seat-role": "ledamot",
            "seat-party": party.pk,
            "seat-start": "2021-06-01",
        },
    )

    assert added.status_code == 302
    assert again.status_code == 400
    assert "Personen har redan en plats i organet under den här perioden." in again.content.decode()
    assert Membership.objects.filter(person=karin, body=au).count() == 1


def test_a_seat_is_ended_by_its_last_day(administrator, au, annica):
    seat = Membership.objects.get(person=annica, body=au)
    data = {
        "person": annica.pk,
        "role": seat.role,
        "party": seat.party_id,
        "start": "2019-01-01",
        "end": "2021-06-30",
    }

    administrator.post(f"{URL}{seat.pk}/", data)

    seat.refresh_from_db()
    assert seat.end == datetime.date(2021, 6, 30)


def test_a_new_mandatperiod_carries_the_seats_over(administrator, au, fredrik, secretary):
    response = administrator.post(
        f"{URL}ny-mandatperiod/", {"term-start": "2023-01-01", "term-end": "2026-12-31"}
    )

    assert response.status_code == 302
    assert response["Location"].endswith("?dag=2023-01-01")
    new = Membership.objects.filter(body=au, start=datetime.date(2023, 1, 1))
    assert new.count() == 4
    assert set(
        Membership.objects.filter(body=au, start=datetime.date(2019, 1, 1)).values_list(
            "end", flat=True
        )
    ) == {datetime.date(2022, 12, 31)}
    meeting = services.plan_meeting(
        au,
        by=secretary,
        date=datetime.date(2023, 3, 1),
        start_time=datetime.time(9),
        end_time=None,
        place="",
    )
    assert meeting.chair == fredrik
    assert len(kallelse_recipients(meeting)) == 4
    twice = administrator.post(f"{URL}ny-mandatperiod/", {"term-start": "2023-01-01"}, follow=True)
    assert "Organet har redan platser från 2023-01-01" in twice.content.decode()


def test_a_secretary_may_not_change_the_seats(secretary_client, seats):
    assert secretary_client.get(URL).status_code == 403
