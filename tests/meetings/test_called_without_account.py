"""Called, but without an account (issue 29, 4): the kallelse page says who cannot
open the handlingar that are not public and invites them; asking for a password for
such a person's address answers how to get an account."""

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from members.models import Person

pytestmark = pytest.mark.django_db


def test_the_kallelse_page_names_those_without_an_account_and_invites_them(
    secretary_client, planned, seats, week_before
):
    url = reverse("workspace:kallelse_send", args=[planned.pk])
    page = secretary_client.get(url).content.decode()

    # The example's four called have addresses and no accounts.
    assert page.count("inget konto: kan inte öppna de handlingar som inte är offentliga") == 4
    assert "4 kallade personer har inget konto" in page
    assert "Bjud in de 4 utan konto" in page

    response = secretary_client.post(reverse("workspace:kallelse_invite", args=[planned.pk]))

    assert response.status_code == 302 and response["Location"] == url
    assert sorted(m.to[0] for m in mail.outbox) == [
        "annica@example.se",
        "bengt-åke@example.se",
        "fredrik@example.se",
        "lisa@example.se",
    ]
    assert all(m.subject == "Inbjudan till Paragraf" for m in mail.outbox)
    assert not Person.objects.filter(pk__in=[p.pk for p in seats_people(planned)], user=None)
    page = secretary_client.get(url).content.decode()
    assert "inget konto" not in page and "Bjud in" not in page


def seats_people(meeting):
    from meetings.rules.queries import kallelse_recipients

    return kallelse_recipients(meeting)


def test_a_password_asked_for_a_member_without_an_account_says_how_to_get_one(seats, organisation):
    organisation.email = "kansliet@norrbotten.example"
    organisation.save()

    response = Client().post("/konto/losenord/", {"email": "Annica@example.se"})

    assert response.status_code == 302
    (note,) = mail.outbox
    assert note.to == ["Annica@example.se"]
    assert "Adressen är Annica Alatalo hos Samordningsförbundet Norrbotten" in note.body
    assert "be sekreteraren om en inbjudan (kansliet@norrbotten.example)." in note.body
