"""Two app servers on one database and one file storage, as in production: a protocol
justeras through one node and is read, PDF included, through the other. Nothing may
live only in one process (sessions, caches, files)."""

import datetime
import hashlib

import pytest
from django.contrib.auth.models import User
from django_otp.plugins.otp_totp.models import TOTPDevice

from meetings.actions import justering
from meetings.documents import sealing
from meetings.models import Meeting
from tests.conftest import totp_code
from tests.deployment.nodes import Browser, Node, environment, hidden_value, run_worker

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]

PASSWORD = "hemligt-lösenord-1"
BASE = "/norrbotten/arbetsutskott/2021-09-27/"


@pytest.fixture
def fast_password_hashing():
    """The nodes check passwords with the real hasher, so the accounts get real hashes
    (this overrides the suite's fast hashing for this module)."""


@pytest.fixture
def nodes(tmp_path):
    environ = environment(tmp_path)
    started = []
    try:
        started.append(Node(environ))
        started.append(Node(environ))
        yield started
    finally:
        for node in started:
            node.stop()


def _account(person, username):
    person.user = User.objects.create_user(username, password=PASSWORD)
    person.save()


def test_justerat_through_one_node_is_read_through_the_other(
    nodes, drafted, fredrik, annica, secretary, tmp_path
):
    a, b = nodes
    sealing.create_development_certificate()
    _account(fredrik, "fredrik")
    _account(annica, "annica")
    # Fetched anew, so that justering sees the chair's new account (else it invites one).
    drafted = Meeting.objects.get(pk=drafted.pk)
    justering.send_for_justering(
        drafted,
        justerare=[annica],
        deadline=drafted.date,
        by=secretary,
        notify=False,
    )

    # Each justerare approves on node A: the last approval is queued with its sealing.
    for username in ("fredrik", "annica"):
        browser = Browser()
        browser.log_in(a.url, username, PASSWORD)
        page = browser.get(f"{a.url}/justera/{drafted.pk}/")
        assert page.status == 200
        response = browser.post(
            f"{a.url}/justera/{drafted.pk}/justera/",
            {"version": hidden_value(page.text, "version")},
        )
        assert response.status == 302
    drafted.refresh_from_db()
    assert drafted.status == Meeting.Status.UNDER_JUSTERING  # the sealing is queued
    run_worker(environment(tmp_path))  # a worker, on any node, seals it
    drafted.refresh_from_db()
    assert drafted.status == Meeting.Status.JUSTERAT

    # The secretary logs in on node A and goes on, in the same session, on node B.
    office = Browser()
    office.log_in(a.url, "asa", PASSWORD)
    # The two-factor set-up starts on node A and is confirmed on node B.
    assert office.get(f"{a.url}/arbete/").status == 302
    assert office.get(f"{a.url}/konto/tvastegsinloggning/").status == 200
    device = TOTPDevice.objects.get(user__username="asa")
    confirmed = office.post(f"{b.url}/konto/tvastegsinloggning/", {"token": totp_code(device)})
    assert confirmed.status == 302
    assert office.get(f"{b.url}/arbete/sammantraden/{drafted.pk}/").status == 200
    published = office.post(f"{b.url}/arbete/sammantraden/{drafted.pk}/publicera/", {})
    assert published.status == 302
    drafted.refresh_from_db()
    assert drafted.publish_on == datetime.date.today()

    # The public reads it on node B: the page and the very PDF node A sealed.
    citizen = Browser()
    page = citizen.get(f"{b.url}{BASE}")
    assert page.status == 200
    assert "Tjänsteköp Samordnare" in page.text
    pdf = citizen.get(f"{b.url}{BASE}protokoll.pdf")
    assert pdf.status == 200
    assert pdf.headers["Content-Type"] == "application/pdf"
    assert hashlib.sha256(pdf.body).hexdigest() == drafted.public_version.sha256
    # Static files come from the app server too, identical on both nodes.
    css = [citizen.get(f"{n.url}/static/css/paragraf.css") for n in (a, b)]
    assert [r.status for r in css] == [200, 200]
    assert css[0].body == css[1].body
