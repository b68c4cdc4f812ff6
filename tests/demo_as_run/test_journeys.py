"""A journey through the demo as seeded (the rest of the journeys, on the example's
rows, are in tests/meetings/test_journeys.py)."""

from django.contrib.auth.models import User
from django.test import Client

from members.models import Membership


def test_the_demo_keeps_a_protocol_awaiting_the_chair(seeded):
    maria = User.objects.get(username="marialindqvist")

    client = Client()
    client.force_login(maria)
    page = client.get("/start/").content.decode()

    assert "Väntar på din justering" in page and "Läs och justera" in page
    assert Membership.objects.filter(person__user=maria, role="ordforande").exists()
