"""The outbox: every e-mail recorded before it is sent, sent by a task, retried with
back-off, marked sent, failed or bounced, and never sent twice."""

import datetime

import pytest
from django.core import mail
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import F
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from meetings.actions import kallelse
from meetings.models import Kallelse
from minutes_site.outbox import sending
from minutes_site.outbox.models import Enclosure, Mail
from tests import example, factories
from tests.conftest import log_in_with_two_factor
from tests.mailserver import MailServer, free_port, refuse_connections

CALLED = ["annica@example.se", "fredrik@example.se", "lisa@example.se"]


@pytest.fixture
def called(planned, seats, bengt):
    # ASCII addresses: a plain SMTP server takes no other (the outbox's own test of a
    # failing address is below).
    bengt.email = "bengt@example.se"
    bengt.save()
    return sorted([*CALLED, "bengt@example.se"])


def test_a_mail_is_a_row_before_it_is_sent_and_goes_out_once(db):
    (recorded,) = sending.post([EmailMessage("Hej", "Text", to=["a@example.se"])], kind="notice")

    recorded.refresh_from_db()
    assert recorded.status == Mail.Status.SENT
    assert recorded.attempts == 1
    assert [m.to for m in mail.outbox] == [["a@example.se"]]
    # A second task for the same mail (a sweep, a duplicate) finds it sent.
    assert sending.deliver(recorded.pk) == Mail.Status.SENT
    assert len(mail.outbox) == 1
    # The Message-ID is fixed when recorded: what went out carries it.
    assert mail.outbox[0].extra_headers["Message-ID"] == recorded.headers["Message-ID"]


def test_an_action_rolled_back_mails_nobody(db):
    with pytest.raises(RuntimeError), transaction.atomic():
        sending.post([EmailMessage("Hej", "Text", to=["a@example.se"])])
        mail.outbox.clear()  # the test backend runs the task at once; a worker would not
        raise RuntimeError

    assert Mail.objects.count() == 0


def test_a_kallelse_while_the_mail_server_refuses_waits_and_goes_out_once_it_is_back(
    planned, called, secretary, settings, week_before
):
    port = free_port()  # nothing listens there yet: connections are refused
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_USE_TLS = "127.0.0.1", port, False

    sent = kallelse.send(planned, by=secretary)

    # The kallelse is recorded and the meeting kallat; every mail waits.
    planned.refresh_from_db()
    assert planned.status == "kallat"
    rows = kallelse.deliveries(sent)
    assert sorted(r["email"] for r in rows) == called
    waiting = [r["mail"] for r in rows]
    assert {m.status for m in waiting} == {Mail.Status.WAITING}
    assert {m.attempts for m in waiting} == {1}
    assert all("refused" in m.answer.lower() for m in waiting)

    # Before their time, nothing is tried again.
    assert sending.sweep()["queued"] == 0
    with MailServer(port=port) as server:
        # Two minutes on: each mail's own task (deferred, on a real worker) is due;
        # the sweep queues it too, and neither sends twice.
        Mail.objects.update(next_attempt_at=F("next_attempt_at") - datetime.timedelta(minutes=2))
        for m in waiting:
            assert sending.deliver(m.pk) == Mail.Status.SENT
        assert sending.sweep() == {"released": 0, "tasks": 0, "queued": 0}
        for m in waiting:
            assert sending.deliver(m.pk) == Mail.Status.SENT

    assert server.to() == called
    assert [str(m["Subject"]) for m in server.received] == [
        "Kallelse: Arbetsutskottet 27 september 2021"
    ] * 4
    assert {m.status for m in Mail.objects.filter(batch=kallelse.batch(sent))} == {Mail.Status.SENT}
    assert sorted(Mail.objects.values_list("attempts", flat=True)) == [2, 2, 2, 2]
    # The attachments went with every mail, stored once.
    assert [p.get_filename() for p in server.received[0].iter_attachments()] == [
        "kallelse-arbetsutskott-2021-09-27.pdf",
        "kallelse.ics",
    ]
    assert Enclosure.objects.count() == 1 + 4  # one PDF; each invitation names its attendee


def test_a_recipient_refused_for_good_is_bounced_and_one_refused_for_now_waits(db, settings):
    with MailServer(
        refuse={"gone@example.se": "550 5.1.1 No such user", "full@example.se": "452 Mailbox full"}
    ) as server:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_USE_TLS = (
            "127.0.0.1",
            server.port,
            False,
        )
        gone, full, fine = sending.post(
            [
                EmailMessage("A", "a", to=["gone@example.se"]),
                EmailMessage("B", "b", to=["full@example.se"]),
                EmailMessage("C", "c", to=["fine@example.se"]),
            ]
        )
    for m in (gone, full, fine):
        m.refresh_from_db()
    assert (gone.status, gone.answer) == ("bounced", "gone@example.se: 550 5.1.1 No such user")
    assert (full.status, full.answer) == ("waiting", "full@example.se: 452 Mailbox full")
    assert full.next_attempt_at - timezone.now() > datetime.timedelta(seconds=50)
    assert fine.status == "sent"
    assert server.to() == ["fine@example.se"]


def test_the_attempts_back_off_and_end_in_failed(db, settings, monkeypatch):
    refuse_connections(monkeypatch)
    (m,) = sending.post([EmailMessage("A", "a", to=["a@example.se"])])
    waits = []
    now = timezone.now()
    for _ in range(len(sending.RETRY_AFTER)):
        m.refresh_from_db()
        assert m.status == "waiting"
        waits.append(round((m.next_attempt_at - now).total_seconds()))
        now = m.next_attempt_at
        sending.deliver(m.pk, now=now)
    m.refresh_from_db()

    assert waits == list(sending.RETRY_AFTER)
    assert (m.status, m.attempts, m.answer) == ("failed", 9, "Connection refused")
    assert m.next_attempt_at is None


def test_an_address_the_server_cannot_take_fails_visibly_at_once(db, settings):
    with MailServer() as server:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", server.port
        (m,) = sending.post([EmailMessage("A", "a", to=["not an address\n@x"])])
    m.refresh_from_db()
    assert m.status == "failed"
    assert m.answer.startswith("ValueError: ")
    assert server.received == []


def test_a_claim_left_by_a_dead_worker_is_taken_up_after_the_lease(db, settings):
    settings.TASK_LEASE_SECONDS = 60
    (m,) = sending.post([EmailMessage("A", "a", to=["a@example.se"])])
    # As a worker leaves it when killed while it talked to the server.
    claimed = timezone.now() - datetime.timedelta(seconds=30)
    Mail.objects.filter(pk=m.pk).update(status="sending", claimed_at=claimed, attempts=1)
    mail.outbox.clear()

    assert sending.sweep() == {"released": 0, "tasks": 0, "queued": 0}
    Mail.objects.filter(pk=m.pk).update(claimed_at=claimed - datetime.timedelta(seconds=31))
    assert sending.sweep() == {"released": 1, "tasks": 0, "queued": 1}

    m.refresh_from_db()
    assert (m.status, m.attempts) == ("sent", 2)
    assert len(mail.outbox) == 1


def test_a_secret_mail_forgets_its_body_once_sent(db):
    (m,) = sending.post(
        [EmailMessage("Välj lösenord", "https://x/nytt-losenord/abc/", to=["a@example.se"])],
        secret=True,
    )
    m.refresh_from_db()
    assert m.status == "sent"
    assert m.body == ""
    assert mail.outbox[0].body == "https://x/nytt-losenord/abc/"


def test_the_meeting_page_lists_each_recipient_and_try_again_sends(
    client, planned, called, secretary, monkeypatch, week_before
):
    with monkeypatch.context() as m:
        refuse_connections(m)
        sent = kallelse.send(planned, by=secretary)
    lisa = next(r["mail"] for r in kallelse.deliveries(sent) if r["email"] == "lisa@example.se")
    Mail.objects.filter(pk=lisa.pk).update(status="failed", answer="550 No such user")
    log_in_with_two_factor(client, secretary)

    page = client.get(reverse("workspace:meeting", args=[planned.pk])).content.decode()
    assert page.count("E-postservern gick inte att nå.") == 3
    assert (
        'Misslyckades</span> <span class="text-body-secondary">E-postservern svarade: 550 No such user'
        in page
    )
    assert ">Försök igen för alla 4 som inte har kommit fram</button>" in page
    # The start page: one line for the meeting, not one per mail.
    start = client.get(reverse("start")).content.decode()
    assert "E-post som inte kom fram" in start
    assert (
        "Arbetsutskottet 27 september 2021</a>: 3 e-brev väntar på ett nytt försök, 1 e-brev misslyckades."
        in start
    )

    response = client.post(reverse("workspace:mail_retry", args=[planned.pk, lisa.pk]))

    assert response.status_code == 302
    assert response["Location"].endswith("#utskick")
    assert [m.to for m in mail.outbox] == [["lisa@example.se"]]
    lisa.refresh_from_db()
    assert lisa.status == "sent"
    # Sent now: a second "försök igen" sends nothing more.
    client.post(reverse("workspace:mail_retry", args=[planned.pk, lisa.pk]))
    assert len(mail.outbox) == 1

    # "Försök igen för alla": the three that waited.
    response = client.post(reverse("workspace:kallelse_retry", args=[planned.pk]), follow=True)

    assert "3 e-brev skickas igen." in response.content.decode()
    assert sorted(m.to[0] for m in mail.outbox) == called
    assert "E-post som inte kom fram" not in client.get(reverse("start")).content.decode()


def test_a_kallelse_sent_again_withdraws_the_mails_of_the_last_not_yet_sent(
    planned, called, secretary, monkeypatch, week_before
):
    with monkeypatch.context() as m:
        refuse_connections(m)
        first = kallelse.send(planned, by=secretary)
    planned.place = "Kommunhuset, sal B"
    planned.save()
    second = kallelse.send(planned, by=secretary)

    old = Mail.objects.filter(batch=kallelse.batch(first))
    assert {m.status for m in old} == {"withdrawn"}
    assert {m.answer for m in old} == {
        f"Ersatt av kallelsen {timezone.localtime(second.sent_at):%Y-%m-%d %H.%M}."
    }
    # The sweep never sends them, however long they wait.
    Mail.objects.filter(batch=kallelse.batch(first)).update(
        next_attempt_at=timezone.now() - datetime.timedelta(days=1)
    )
    assert sending.sweep()["queued"] == 0
    assert sorted(m.to[0] for m in mail.outbox) == called  # the second kallelse only
    assert all(m.subject.startswith("Ändrad kallelse") for m in mail.outbox)


def test_try_again_finds_no_mail_of_another_meeting(
    secretary_client, planned, called, secretary, week_before, other_organisation, au
):
    meeting = factories.meeting(au, datetime.date(2021, 10, 25))
    sent = kallelse.send(planned, by=secretary)
    one = kallelse.deliveries(sent)[0]["mail"]
    other_secretary_client = log_in_with_two_factor(
        Client(), example.secretary_account("charlie", other_organisation)
    )

    assert (
        secretary_client.post(
            reverse("workspace:mail_retry", args=[meeting.pk, one.pk])
        ).status_code
        == 404
    )
    assert (
        other_secretary_client.post(
            reverse("workspace:mail_retry", args=[planned.pk, one.pk])
        ).status_code
        == 404
    )
    assert Kallelse.objects.count() == 1
