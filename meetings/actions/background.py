"""Work a worker does for a meeting (QueuedWork), and what the person who asked sees
of it: a kallelse sent, a protocol sealed at its last approval. The request that
asks records the work and queues its task; it answers at once. The task does the
work and marks it done in one transaction, so a failure (a storage that is down, a
seal gone, a protocol changed meanwhile) leaves nothing of it but the work marked
failed, with why, in words for the person who asked; a worker killed half-way
leaves it waiting, and the sweep queues it again.
"""

import datetime
import logging
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks.base import Task

from meetings.models import Meeting, QueuedWork

log = logging.getLogger(__name__)

# The task of each kind of work, by path (the sweep imports it).
TASKS: dict[str, str] = {
    QueuedWork.Kind.KALLELSE: "meetings.actions.kallelse.send_ordered",
    QueuedWork.Kind.JUSTERING: "meetings.actions.justering.seal_ordered",
}


def waiting(meeting: Meeting, kind: str) -> QueuedWork | None:
    return meeting.queued_work.filter(kind=kind, state=QueuedWork.State.WAITING).first()


def order(meeting: Meeting, kind: str, *, by: User | None, task: Task, **params) -> QueuedWork:
    """Records the work and queues its task (with the test suite's backend, the task
    runs here and now: the work comes back done or failed)."""
    work = QueuedWork.objects.create(meeting=meeting, kind=kind, requested_by=by, params=params)
    task.enqueue(work.pk)
    work.refresh_from_db()
    return work


def perform(
    work_id: int,
    do: Callable[[QueuedWork], None],
    told: Callable[[Exception], str],
    on_failure: Callable[[QueuedWork], None] | None = None,
) -> str:
    """Does the waiting work `work_id` with `do`, and marks it done, in one
    transaction. When `do` raises, all it did is rolled back and the work is marked
    failed with `told(error)`. Returns the work's state after; a work done or
    failed already is left alone (a task run twice)."""
    try:
        with transaction.atomic():
            work = (
                QueuedWork.objects.select_for_update(of=("self",))
                .select_related("meeting", "requested_by")
                .filter(pk=work_id, state=QueuedWork.State.WAITING)
                .first()
            )
            if work is None:
                return (
                    QueuedWork.objects.filter(pk=work_id).values_list("state", flat=True).first()
                    or ""
                )
            do(work)
            work.state = QueuedWork.State.DONE
            work.finished_at = timezone.now()
            work.save(update_fields=["state", "finished_at", "modified"])
    except Exception as e:
        log.exception("queued work %s failed", work_id)
        failure = str(told(e))
        with transaction.atomic():
            failed = QueuedWork.objects.filter(pk=work_id, state=QueuedWork.State.WAITING)
            failed.update(
                state=QueuedWork.State.FAILED, failure=failure, finished_at=timezone.now()
            )
            work = QueuedWork.objects.select_related("meeting", "requested_by").get(pk=work_id)
            if on_failure is not None:
                on_failure(work)
        return QueuedWork.State.FAILED
    return QueuedWork.State.DONE


def to_show(meeting: Meeting) -> list[QueuedWork]:
    """The work to tell of on the meeting's pages: what waits, and what failed since
    the last of its kind was done (a kallelse that failed, then went out, is past)."""
    last = (
        QueuedWork.objects.filter(meeting=meeting, kind=OuterRef("kind"))
        .order_by("-created", "-pk")
        .values("pk")[:1]
    )
    return list(
        meeting.queued_work.filter(pk=Subquery(last))
        .exclude(state=QueuedWork.State.DONE)
        .order_by("kind")
    )


def sweep(*, now: datetime.datetime | None = None) -> int:
    """Queues again the work whose task is gone with its worker (waiting longer than
    the lease): its transaction left nothing, so it starts over."""
    now = now or timezone.now()
    stale = now - datetime.timedelta(seconds=settings.TASK_LEASE_SECONDS)
    queued = 0
    for work in QueuedWork.objects.filter(state=QueuedWork.State.WAITING, modified__lt=stale):
        import_string(TASKS[work.kind]).enqueue(work.pk)
        work.save(update_fields=["modified"])  # its lease starts again
        queued += 1
    return queued
