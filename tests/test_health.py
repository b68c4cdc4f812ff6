"""/halsa/ for the load balancer and monitoring, /metrics for Prometheus."""

import datetime
import re

import pytest
from django.core.mail import EmailMessage
from django.utils import timezone

from minutes_site.outbox import sending
from minutes_site.outbox.models import Mail
from tests.mailserver import refuse_connections

ALL_WELL = {
    "DatabaseInThread()": "OK",
    "StorageInThread()": "OK",
    "SealCertificate()": "OK",
    "TaskQueue()": "OK",
    "Outbox()": "OK",
}


@pytest.fixture
def old_unsent_mail(db, monkeypatch):
    refuse_connections(monkeypatch)
    (m,) = sending.post([EmailMessage("A", "a", to=["a@example.se"])])
    Mail.objects.filter(pk=m.pk).update(created=timezone.now() - datetime.timedelta(hours=2))
    return m


def test_all_is_well(client, db):
    response = client.get("/halsa/?format=json")

    assert response.status_code == 200
    assert response.json() == ALL_WELL
    assert response["Cache-Control"] == "max-age=0, no-cache, no-store, must-revalidate, private"


def test_a_mail_unsent_for_two_hours_is_reported_but_the_node_serves(client, old_unsent_mail):
    response = client.get("/halsa/?format=json")

    assert response.status_code == 500
    said = response.json()
    assert re.fullmatch(
        r"Unavailable: the oldest unsent mail was recorded 720\d s ago", said.pop("Outbox()")
    )
    assert said == {k: v for k, v in ALL_WELL.items() if k != "Outbox()"}
    node = client.get("/halsa/nod/?format=json")
    assert (node.status_code, node.json()) == (
        200,
        {"DatabaseInThread()": "OK", "StorageInThread()": "OK"},
    )


def test_a_task_no_worker_takes_is_reported(client, db, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    from django_tasks_db.models import DBTaskResult

    sending.post([EmailMessage("A", "a", to=["a@example.se"])])
    DBTaskResult.objects.update(enqueued_at=timezone.now() - datetime.timedelta(minutes=10))

    response = client.get("/halsa/?format=text")

    assert response.status_code == 500
    # Ten minutes, and the second or two the test itself takes on a busy machine.
    assert re.search(
        r"^TaskQueue\(\): Unavailable: the oldest task has waited 60\d s for a worker "
        r"\(manage.py work\)$",
        response.content.decode(),
        re.M,
    )


def test_a_missing_seal_is_reported(client, db, no_seal):
    response = client.get("/halsa/?format=json")

    assert response.status_code == 500
    assert response.json()["SealCertificate()"].startswith(
        "Unavailable: Det finns inget sigillcertifikat"
    )


def test_the_metrics_are_for_the_token_holder_only(client, old_unsent_mail, settings):
    settings.METRICS_TOKEN = "hemlig-token"

    assert client.get("/metrics").status_code == 404
    assert client.get("/metrics", headers={"Authorization": "Bearer fel"}).status_code == 404
    settings.METRICS_TOKEN = ""
    assert client.get("/metrics", headers={"Authorization": "Bearer "}).status_code == 404
    settings.METRICS_TOKEN = "hemlig-token"

    response = client.get("/metrics", headers={"Authorization": "Bearer hemlig-token"})

    assert response.status_code == 200
    text = response.content.decode()
    assert 'paragraf_mail{status="waiting"} 1.0' in text
    assert 'paragraf_mail{status="sent"} 0.0' in text
    oldest = next(
        line
        for line in text.splitlines()
        if line.startswith("paragraf_mail_oldest_unsent_seconds ")
    )
    assert 7199 < float(oldest.split()[1]) < 7300
    assert 'paragraf_tasks{status="ready"} 0.0' in text
    assert "django_http_requests_total_by_method_total" in text
