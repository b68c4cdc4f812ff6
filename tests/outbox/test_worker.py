"""Real workers (`manage.py work`, separate processes on the test's PostgreSQL
database) and a real SMTP server: a worker killed while it sends, and the database
connections cut while tasks run, lose no mail and send none twice."""

import os
import signal
import subprocess
import time

import pytest
from django.core.mail import EmailMessage

from minutes_site.outbox import sending
from minutes_site.outbox.models import Mail
from tests.deployment.nodes import ROOT, environment
from tests.deployment.test_database_restart import _terminate_the_apps_connections
from tests.mailserver import MailServer

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]

DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


class Worker:
    def __init__(self, tmp_path, server: MailServer):
        env = environment(
            tmp_path,
            TASKS_BACKEND="django_tasks_db.DatabaseBackend",
            EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
            EMAIL_HOST="127.0.0.1",
            EMAIL_PORT=str(server.port),
            TASK_LEASE_SECONDS="2",
        )
        self.process = subprocess.Popen(
            [
                str(ROOT / ".venv/bin/python"),
                "manage.py",
                "work",
                "--interval",
                "0.2",
                "--sweep-every",
                "0.5",
            ],
            cwd=ROOT,
            env={**{k: v for k, v in os.environ.items() if k in ("PATH", "HOME")}, **env},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )

    def kill(self):
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self) -> str:
        if self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=20)
        return self.process.stderr.read().decode()


def wait_for(condition, seconds: float = 30):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    raise AssertionError("waited in vain")


def statuses() -> list[str]:
    return list(Mail.objects.order_by("pk").values_list("status", flat=True))


def test_a_worker_killed_while_it_sends_loses_nothing_and_sends_nothing_twice(tmp_path, settings):
    settings.TASKS = DATABASE_QUEUE
    with MailServer(hang_first=60) as server:
        (recorded,) = sending.post([EmailMessage("Kallelse", "Text", to=["annica@example.se"])])
        first = Worker(tmp_path, server)
        try:
            assert server.hanging.wait(30), first.stop()
            assert statuses() == ["sending"]
            first.kill()  # while the server has not yet answered its RCPT
            second = Worker(tmp_path, server)
            try:
                wait_for(lambda: statuses() == ["sent"])
                time.sleep(1.5)  # a second round of sweeps: nothing more goes out
            finally:
                second.stop()
        finally:
            first.stop()

    recorded.refresh_from_db()
    assert server.to() == ["annica@example.se"]
    assert recorded.attempts == 2


def test_the_database_connections_cut_while_tasks_run_and_they_resume(tmp_path, settings):
    settings.TASKS = DATABASE_QUEUE
    with MailServer(hang_first=2) as server:
        worker = Worker(tmp_path, server)
        try:
            sending.post([EmailMessage("Kallelse", "Text", to=[f"{n}@example.se"]) for n in "abc"])
            assert server.hanging.wait(30), worker.stop()
            # While the first mail waits for the server, the database drops the
            # worker's connection, as a restart or failover does.
            assert _terminate_the_apps_connections() >= 1
            wait_for(lambda: statuses() == ["sent"] * 3)
            # After it came back: new mail goes out too.
            sending.post([EmailMessage("Efter", "Text", to=["d@example.se"])])
            wait_for(lambda: statuses() == ["sent"] * 4)
        finally:
            log = worker.stop()

    assert server.to() == ["a@example.se", "b@example.se", "c@example.se", "d@example.se"]
    assert list(Mail.objects.order_by("pk").values_list("attempts", flat=True)) == [1, 1, 1, 1]
    assert "sent, its record waits for the database" in log
