"""How long the oldest waiting work has waited: the mail not yet sent and the task
due for a worker. One reading, for /halsa/ (minutes_site/health.py) and /metrics
(minutes_site/metrics.py) alike."""

from django.apps import apps
from django.db.models import Min, Q
from django.utils import timezone

from minutes_site.outbox.models import Mail


def unsent_mail_seconds() -> float:
    """Since the oldest mail not yet sent (waiting or being sent) was recorded; 0 if none."""
    oldest = Mail.objects.filter(status__in=(Mail.Status.WAITING, Mail.Status.SENDING)).aggregate(
        oldest=Min("created")
    )["oldest"]
    return (timezone.now() - oldest).total_seconds() if oldest else 0.0


def due_task_seconds() -> float:
    """Since the oldest task due now (not deferred to later) was queued; 0 if none."""
    if not apps.is_installed("django_tasks_db"):
        return 0.0
    from django_tasks_db.models import DBTaskResult, get_date_max

    now = timezone.now()
    oldest = (
        DBTaskResult.objects.filter(status="READY")
        .filter(Q(run_after=get_date_max()) | Q(run_after__lte=now))
        .aggregate(oldest=Min("enqueued_at"))["oldest"]
    )
    return (now - oldest).total_seconds() if oldest else 0.0
