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


def test_the_demo_staff_are_named_in_the_header(client, seeded):
    """The walk of issue 29 saw "sekreterare" where members see their name."""
    from django.contrib.auth.models import User

    from tests.conftest import log_in_with_two_factor

    log_in_with_two_factor(client, User.objects.get(username="sekreterare"))

    html = client.get("/start/").content.decode()
    # (The name leads to the account's passkeys and recovery codes.)
    assert '<a class="ms-auto" href="/konto/nycklar/">Jonas Almqvist</a>' in html
