"""Prometheus metrics, for the installation's monitoring and nobody else.

Requests and their times come from django-prometheus's middleware (per process: set
PROMETHEUS_MULTIPROC_DIR for several gunicorn workers); the tasks and the mail are
read from the database when scraped, so that every worker on every node counts.
The page answers only a request with `Authorization: Bearer <METRICS_TOKEN>`; without
the token set, or with another, it is not there (404).
"""

import hmac

from django.conf import settings
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django_prometheus.exports import ExportToDjangoView
from prometheus_client import REGISTRY
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

from minutes_site import queues
from minutes_site.outbox.models import Mail


class Queues(Collector):
    def describe(self):
        # Registering asks for the names; without this it would collect, and query
        # the database while the URLs load (before a migrate has made the tables).
        yield GaugeMetricFamily("paragraf_mail", "", labels=["status"])
        yield GaugeMetricFamily("paragraf_mail_oldest_unsent_seconds", "")
        yield GaugeMetricFamily("paragraf_tasks", "", labels=["status"])
        yield GaugeMetricFamily("paragraf_tasks_oldest_ready_seconds", "")

    def collect(self):
        mail = GaugeMetricFamily(
            "paragraf_mail", "E-mail in the outbox, by status", labels=["status"]
        )
        counts = dict(Mail.objects.values_list("status").annotate(n=Count("pk")))
        for status in Mail.Status.values:
            mail.add_metric([status], counts.get(status, 0))
        yield mail
        yield GaugeMetricFamily(
            "paragraf_mail_oldest_unsent_seconds",
            "Age of the oldest mail not yet sent",
            value=queues.unsent_mail_seconds(),
        )
        from django_tasks_db.models import DBTaskResult

        tasks = GaugeMetricFamily(
            "paragraf_tasks", "Background tasks in the queue, by status", labels=["status"]
        )
        counts = dict(DBTaskResult.objects.values_list("status").annotate(n=Count("pk")))
        for status in ("READY", "RUNNING", "SUCCESSFUL", "FAILED"):
            tasks.add_metric([status.lower()], counts.get(status, 0))
        yield tasks
        yield GaugeMetricFamily(
            "paragraf_tasks_oldest_ready_seconds",
            "Age of the oldest task waiting for a worker",
            value=queues.due_task_seconds(),
        )


REGISTRY.register(Queues())


def metrics(request: HttpRequest) -> HttpResponse:
    token = settings.METRICS_TOKEN
    given = request.headers.get("Authorization", "").removeprefix("Bearer ")
    if not token or not hmac.compare_digest(given.encode(), token.encode()):
        raise Http404
    return ExportToDjangoView(request)
