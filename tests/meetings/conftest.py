import datetime

import pytest
from django.contrib.auth.models import User

from members.models import Membership, Party, StaffRole
from tests import factories

TERM = {"start": datetime.date(2019, 1, 1), "end": datetime.date(2022, 12, 31)}


@pytest.fixture
def seats(au, fredrik, annica, bengt, organisation):
    """The arbetsutskott of the example: three members and one deputy."""
    party = {
        name: Party.objects.create(organisation=organisation, name=name)
        for name in ("Luleå kommun", "Försäkringskassan", "Region Norrbotten")
    }
    deputy = factories.person(organisation, "Lisa Persson", email="lisa@example.se")
    for person, role, party_name in (
        (fredrik, "ordforande", "Luleå kommun"),
        (annica, "ledamot", "Försäkringskassan"),
        (bengt, "ledamot", "Region Norrbotten"),
        (deputy, "ersattare", "Luleå kommun"),
    ):
        Membership.objects.create(
            person=person, body=au, role=role, party=party[party_name], **TERM
        )
    for person in (fredrik, annica, bengt):
        person.email = f"{person.name.split()[0].lower()}@example.se"
        person.save()
    return {"deputy": deputy, "parties": party}


def _secretary(username, organisation, person=None):
    user = User.objects.create_user(username, password="hemligt-lösenord-1")
    StaffRole.objects.create(user=user, organisation=organisation, role="sekreterare")
    if person is not None:
        person.user = user
        person.save()
    return user


@pytest.fixture
def secretary(organisation, asa):
    return _secretary("asa", organisation, asa)


@pytest.fixture
def secretary_client(client, secretary):
    client.force_login(secretary)
    return client


@pytest.fixture
def other_secretary_client(client, other_organisation):
    """Charlie: a secretary too, but of another förbund."""
    client.force_login(_secretary("charlie", other_organisation))
    return client


@pytest.fixture
def planned(au, seats, secretary):
    from meetings import services

    return services.plan_meeting(
        au,
        by=secretary,
        date=datetime.date(2021, 9, 27),
        start_time=datetime.time(9, 0),
        end_time=datetime.time(11, 0),
        place="Via Teams",
        is_remote=True,
    )
