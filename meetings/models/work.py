"""Work done for a meeting in the background (meetings/actions/background.py): a
kallelse sent, a protocol sealed at its last approval. The row is what the person who
asked sees while it runs and if it fails; it is done in the same transaction as the
work, so that a worker killed half-way leaves it waiting, never half done."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from meetings.models.protocol import Meeting
from members.models import Timestamped


class QueuedWork(Timestamped):
    class Kind(models.TextChoices):
        KALLELSE = "kallelse", _("sending the kallelse")
        JUSTERING = "justering", _("sealing the justerat protocol")

    class State(models.TextChoices):
        WAITING = "waiting", _("waiting")
        DONE = "done", _("done")
        FAILED = "failed", _("failed")

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="queued_work", verbose_name=_("meeting")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    requested_by = models.ForeignKey(
        "auth.User", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    # What the work needs besides the meeting (for a justering: who approves which
    # version, with what e-legitimation).
    params = models.JSONField(default=dict, blank=True)
    state = models.CharField(max_length=10, choices=State.choices, default=State.WAITING)
    # Why it failed, in words for the person who asked.
    failure = models.TextField(blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("queued work")
        verbose_name_plural = _("queued work")
        indexes = [models.Index(fields=["meeting", "state"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.meeting} ({self.get_state_display()})"

    @property
    def waiting(self) -> bool:
        return self.state == self.State.WAITING

    @property
    def failed(self) -> bool:
        return self.state == self.State.FAILED
