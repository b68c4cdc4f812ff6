"""Asking for a new password: one e-mail whether or not the address has an account
(the same answer and the same work), and not more often than a few times an hour."""

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.test import Client

URL = "/konto/losenord/"


@pytest.fixture
def asa(db):
    return User.objects.create_user("asa", email="asa@example.se", password="Rätt-lösenord-2026")


def test_a_known_address_gets_the_link_and_an_unknown_one_a_note(asa):
    known = Client().post(URL, {"email": "asa@example.se"})
    unknown = Client().post(URL, {"email": "okand@example.se"})

    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"] == "/konto/losenord/skickat/"
    assert [m.to for m in mail.outbox] == [["asa@example.se"], ["okand@example.se"]]
    assert "/konto/losenord/" in mail.outbox[0].body
    assert "inget konto har den här adressen" in mail.outbox[1].body
    assert mail.outbox[0].subject == mail.outbox[1].subject == "Nytt lösenord till Paragraf"


def test_one_address_may_ask_three_times_an_hour(asa):
    for _ in range(5):
        assert Client().post(URL, {"email": "asa@example.se"}).status_code == 302

    assert len(mail.outbox) == 3


def test_one_client_may_ask_ten_times_an_hour(db):
    client = Client(REMOTE_ADDR="203.0.113.9")
    for i in range(12):
        assert client.post(URL, {"email": f"person{i}@example.se"}).status_code == 302

    assert len(mail.outbox) == 10


def test_the_link_is_on_the_sites_own_address_whatever_host_was_asked(asa, settings):
    import re

    settings.SITE_URL = "https://protokoll.example.se"
    settings.ALLOWED_HOSTS = ["*"]  # as behind a proxy that passes any Host on

    Client().post(URL, {"email": "asa@example.se"}, HTTP_HOST="angripare.example")

    links = re.findall(r"\S+://\S+", mail.outbox[0].body)
    assert len(links) == 1
    assert links[0].startswith("https://protokoll.example.se/konto/losenord/")
    assert "angripare" not in mail.outbox[0].body
