"""Slow work off the request: the kallelse made and sent, and the protocol sealed at
its last approval, by a worker. The person gets an answer at once and sees the
result when it is done; a failure leaves nothing half done, and is told."""

import datetime
from unittest import mock

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from meetings.actions import background, justering
from meetings.models import Approval, ArchivedProtocol, Kallelse, QueuedWork
from minutes_site.outbox import sending
from tests.conftest import log_in_with_two_factor

DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def run_worker() -> int:
    """What `manage.py work` does, here: every ready task, one after the other (but
    for closing the connection between tasks, which would end the test's transaction)."""
    worker = Worker(
        queue_names=["*"], interval=0, batch=True, backend_name="default",
        startup_delay=False, max_tasks=None, worker_id="test", excluded_queue_names=[],
    )  # fmt: skip
    with mock.patch(
        "django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None
    ):
        worker.run()
    return worker._run_tasks


@pytest.fixture
def out(drafted, annica, fredrik, secretary, asa):
    """Out for justering to the chair (Fredrik) and Annica; Annica has approved."""
    from meetings.documents import sealing

    sealing.create_development_certificate()
    drafted.secretary = asa
    drafted.save()
    justering.send_for_justering(
        drafted,
        justerare=[annica],
        deadline=drafted.date + datetime.timedelta(days=14),
        by=secretary,
        notify=False,
    )
    annica.refresh_from_db()
    fredrik.refresh_from_db()  # their accounts, made when it was sent
    justering.approve(drafted, annica, version=justering.content_hash(drafted), user=annica.user)
    mail.outbox.clear()
    return drafted


def as_person(person) -> Client:
    client = Client()
    client.force_login(person.user)
    return client


def test_the_kallelse_is_made_by_the_worker_and_the_secretary_answered_at_once(
    client, planned, seats, secretary, settings, week_before
):
    settings.TASKS = DATABASE_QUEUE
    log_in_with_two_factor(client, secretary)
    url = reverse("workspace:kallelse_send", args=[planned.pk])

    response = client.post(url, follow=True)

    page = response.content.decode()
    assert "Kallelsen görs i ordning och skickas" in page
    assert "Pågår: utskick av kallelsen" in page
    assert Kallelse.objects.count() == 0
    # Asked again while it waits: still one kallelse to make.
    client.post(url)
    assert QueuedWork.objects.count() == 1

    assert run_worker() == 1 + 4  # the kallelse, then its four mails

    assert Kallelse.objects.count() == 1
    assert sorted(m.to[0] for m in mail.outbox) == [
        "annica@example.se",
        "bengt-åke@example.se",
        "fredrik@example.se",
        "lisa@example.se",
    ]
    planned.refresh_from_db()
    assert planned.status == "kallat"
    page = client.get(reverse("workspace:meeting", args=[planned.pk])).content.decode()
    assert "Pågår" not in page
    assert page.count('<span class="badge text-bg-success">Skickad</span>') == 4


def test_a_kallelse_whose_worker_died_is_made_once_after_the_lease(
    planned, seats, secretary, settings, week_before
):
    settings.TASKS = DATABASE_QUEUE
    settings.TASK_LEASE_SECONDS = 60
    from meetings.actions import kallelse

    work = kallelse.order(planned, by=secretary)
    # A worker took the task and died in it: its transaction left nothing.
    started = timezone.now() - datetime.timedelta(minutes=2)
    DBTaskResult.objects.update(status="RUNNING", started_at=started)
    QueuedWork.objects.update(modified=started)
    assert run_worker() == 0

    assert sending.sweep()["tasks"] == 1  # its task runs again
    assert background.sweep() == 1  # and the work is queued again besides
    run_worker()

    work.refresh_from_db()
    assert work.state == "done"
    assert Kallelse.objects.count() == 1
    assert len(mail.outbox) == 4


def test_the_last_approval_is_sealed_by_the_worker(out, fredrik, settings):
    settings.TASKS = DATABASE_QUEUE
    fredrik_client = as_person(fredrik)
    version = justering.content_hash(out)

    response = fredrik_client.post(
        reverse("justering:approve", args=[out.pk]), {"version": version}, follow=True
    )

    page = response.content.decode()
    assert "Ditt godkännande har tagits emot: protokollet förseglas" in page
    assert "Det sista godkännandet har kommit in" in page
    assert 'action="/justera/' not in page.split("Det sista godkännandet")[1].split("</main>")[0]
    # Not yet recorded: it is, with the seal, in one transaction of the worker's.
    assert not Approval.objects.filter(person=fredrik).exists()
    with pytest.raises(justering.JusteringError, match="förseglas just nu"):
        justering.approve_in_background(out, fredrik, version=version, user=fredrik.user)

    run_worker()

    out.refresh_from_db()
    assert out.status == "justerat"
    assert Approval.objects.filter(person=fredrik, content_hash=version).count() == 1
    assert ArchivedProtocol.objects.filter(meeting=out).count() == 1
    page = fredrik_client.get(reverse("justering:protocol", args=[out.pk])).content.decode()
    assert "förseglas" not in page


def test_the_storage_down_at_sealing_records_no_approval_and_tells_the_justerare(
    out, fredrik, monkeypatch, settings
):
    def full(self, name, content):
        raise OSError(28, "No space left on device")

    version = justering.content_hash(out)
    files_before = sorted(p.name for p in settings_media(settings))
    with monkeypatch.context() as m:
        m.setattr("django.core.files.storage.FileSystemStorage._save", full)
        response = as_person(fredrik).post(
            reverse("justering:approve", args=[out.pk]), {"version": version}, follow=True
        )

    page = response.content.decode()
    # Said once, where the answer was: the page tells of the failed work.
    assert (
        page.count(
            "Protokollet kunde inte förseglas och sparas just nu, så din justering är inte registrerad."
        )
        == 1
    )
    assert f"Ditt godkännande {timezone.localtime():%Y-%m-%d} " in page
    out.refresh_from_db()
    assert out.status == "under_justering"
    assert out.justerat_at is None
    assert not Approval.objects.filter(person=fredrik).exists()
    assert ArchivedProtocol.objects.count() == 0
    assert sorted(p.name for p in settings_media(settings)) == files_before
    told = [m for m in mail.outbox if m.to == ["fredrik@example.se"]]
    assert [m.subject for m in told] == [f"Inte registrerat: ditt godkännande av {out}"]
    assert "kunde inte förseglas och sparas just nu" in told[0].body

    # The storage back: the same approval goes through, and the failure is past.
    response = as_person(fredrik).post(
        reverse("justering:approve", args=[out.pk]), {"version": version}, follow=True
    )
    assert "Protokollet är justerat." in response.content.decode()
    assert "inte registrerat" not in response.content.decode()
    out.refresh_from_db()
    assert out.status == "justerat"


def settings_media(settings):
    from pathlib import Path

    return [p for p in Path(settings.MEDIA_ROOT).rglob("*") if p.is_file()]
