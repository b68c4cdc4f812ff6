"""Beslutsuppföljning: an uppdrag of a justerat protocol followed to done. The
follow-up lives beside the sealed protocol and never changes it: the uppdrag says
what was decided, the follow-up what became of it."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from meetings.models.protocol import Paragraph, Uppdrag
from members.models import Timestamped


class FollowUp(Timestamped):
    class Status(models.TextChoices):
        EJ_PABORJAD = "ej_paborjad", _("not started")
        PAGAR = "pagar", _("in progress")
        KLAR = "klar", _("done")
        ATERRAPPORTERAD = "aterrapporterad", _("reported back")

    uppdrag = models.OneToOneField(
        Uppdrag, on_delete=models.CASCADE, related_name="follow_up", verbose_name=_("task")
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.EJ_PABORJAD
    )
    note = models.TextField(_("note"), blank=True)
    # The day the status was given (a report may be recorded after the fact).
    status_date = models.DateField(_("as of"), null=True, blank=True)
    changed_by = models.ForeignKey(
        "auth.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Återrapportering: the later paragraph that reports the uppdrag back. It lives
    # here, beside the sealed protocols, not in either of them.
    report = models.ForeignKey(
        Paragraph,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reports_on",
        verbose_name=_("reported back in"),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")

    def __str__(self) -> str:
        return f"{self.uppdrag}: {self.get_status_display()}"

    @property
    def finished(self) -> bool:
        return self.status in (self.Status.KLAR, self.Status.ATERRAPPORTERAD)


class FollowUpReminder(Timestamped):
    """A reminder mailed to an uppdrag's assignee (meetings/actions/followup.remind):
    kept so that each kind goes out at most once per uppdrag, however often the daily
    job runs. Beside the sealed protocol, like the follow-up itself."""

    class Kind(models.TextChoices):
        DUE_SOON = "due_soon", _("before the due date")
        LATE = "late", _("after the due date")

    uppdrag = models.ForeignKey(
        Uppdrag, on_delete=models.CASCADE, related_name="reminders", verbose_name=_("task")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    sent_on = models.DateField(_("sent on"))

    class Meta:
        verbose_name = _("follow-up reminder")
        verbose_name_plural = _("follow-up reminders")
        constraints = [
            models.UniqueConstraint(
                fields=["uppdrag", "kind"], name="follow_up_reminder_once_per_kind"
            )
        ]

    def __str__(self) -> str:
        return f"{self.uppdrag}: {self.get_kind_display()} ({self.sent_on:%Y-%m-%d})"
