"""The installation's health, for a load balancer and for monitoring (django-health-check).

`/halsa/` answers 200 when all is well and 500 with what is not: the database, the
storage, the seal certificate, the age of the oldest task waiting for a worker, the
age of the oldest mail not yet sent. `/halsa/nod/` asks only what this node itself
needs to serve (the database and the storage): a load balancer takes a node out on
that, not on a mail server that is down. Each answers as text, JSON (`?format=json`)
or OpenMetrics (`?format=openmetrics`).

The checks run in the request's own thread (thread_sensitive): on the request's
database connection, not on one opened beside it for each check.
"""

import dataclasses

from asgiref.sync import sync_to_async
from django.conf import settings
from health_check.base import HealthCheck
from health_check.checks import Database, Storage
from health_check.exceptions import ServiceUnavailable
from health_check.views import HealthCheckView

from meetings.documents import sealing
from minutes_site import queues


class _InThread(HealthCheck):
    async def run(self) -> None:
        await sync_to_async(self.check, thread_sensitive=True)()

    def check(self) -> None:
        raise NotImplementedError


@dataclasses.dataclass
class SealCertificate(_InThread):
    """A protocol is sealed at its last approval: without the seal no justering ends."""

    def check(self) -> None:
        if reason := sealing.problem():
            raise ServiceUnavailable(str(reason))


@dataclasses.dataclass
class TaskQueue(_InThread):
    """A task due longer ago than TASK_QUEUE_MAX_AGE: no worker runs, or too few."""

    def check(self) -> None:
        if (age := int(queues.due_task_seconds())) > settings.TASK_QUEUE_MAX_AGE:
            raise ServiceUnavailable(
                f"the oldest task has waited {age} s for a worker (manage.py work)"
            )


@dataclasses.dataclass
class Outbox(_InThread):
    """A mail recorded longer ago than OUTBOX_MAX_AGE and not yet sent: the mail
    server refuses, or no worker sends."""

    def check(self) -> None:
        if (age := int(queues.unsent_mail_seconds())) > settings.OUTBOX_MAX_AGE:
            raise ServiceUnavailable(f"the oldest unsent mail was recorded {age} s ago")


@dataclasses.dataclass
class DatabaseInThread(_InThread):
    def check(self) -> None:
        Database().run()


@dataclasses.dataclass
class StorageInThread(_InThread):
    def check(self) -> None:
        Storage().run()


class Health(HealthCheckView):
    checks = (DatabaseInThread, StorageInThread, SealCertificate, TaskQueue, Outbox)


class NodeHealth(HealthCheckView):
    checks = (DatabaseInThread, StorageInThread)
