from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

# What the network says when the mail server is not there (down, or misnamed).
UNREACHABLE = (
    "Connection refused",
    "timed out",
    "Name or service not known",
    "Temporary failure in name resolution",
    "No route to host",
    "Network is unreachable",
)


class Enclosure(models.Model):
    """An attachment's bytes, stored once however many mails carry it (a kallelse's
    PDF and handlingar go to twelve people)."""

    sha256 = models.CharField(max_length=64, primary_key=True)
    content = models.BinaryField()

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.sha256


class Mail(models.Model):
    class Status(models.TextChoices):
        WAITING = "waiting", _("waiting")
        SENDING = "sending", _("sending")
        SENT = "sent", _("sent")
        FAILED = "failed", _("failed")
        BOUNCED = "bounced", _("bounced")
        # Not sent, and never to be: a later kallelse replaced it, the meeting was cancelled.
        WITHDRAWN = "withdrawn", _("withdrawn")

    created = models.DateTimeField(_("recorded"), auto_now_add=True)
    # What the mail is of: a kallelse, a notice to the secretary, an invitation...
    kind = models.CharField(_("kind"), max_length=40, blank=True)
    # What it is about (a meeting, say), for the lists of who got what.
    about_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.CASCADE)
    about_id = models.PositiveBigIntegerField(null=True, blank=True)
    about = GenericForeignKey("about_type", "about_id")
    # Mails sent together (one kallelse's), so that its recipients are listed together.
    batch = models.CharField(_("sent together as"), max_length=60, blank=True, db_index=True)

    from_email = models.CharField(_("from"), max_length=400)
    to = models.JSONField(_("to"), default=list)
    subject = models.TextField(_("subject"))
    body = models.TextField(_("text"))
    # Message-ID and Date, fixed when the mail is recorded: a mail sent again after a
    # lost answer is the same mail to the receiving server.
    headers = models.JSONField(default=dict)
    # [{"name", "mimetype", "sha256", "text"}] in the order of the message.
    attachments = models.JSONField(default=list)
    # A mail with a secret in it (a link that signs in) loses its body once sent.
    secret = models.BooleanField(_("secret"), default=False)

    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.WAITING
    )
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    claimed_at = models.DateTimeField(_("claimed by a worker"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    # The mail server's last answer (or why it could not be reached).
    answer = models.TextField(_("the mail server's answer"), blank=True)

    class Meta:
        verbose_name = _("e-mail")
        verbose_name_plural = _("e-mails")
        indexes = [
            models.Index(fields=["status", "next_attempt_at"]),
            models.Index(fields=["about_type", "about_id"]),
        ]

    def __str__(self) -> str:
        return f"{', '.join(self.to)}: {self.subject}"

    @property
    def delivered(self) -> bool:
        return self.status == self.Status.SENT

    @property
    def being_sent(self) -> bool:
        return self.status == self.Status.SENDING

    @property
    def waiting(self) -> bool:
        return self.status == self.Status.WAITING

    @property
    def withdrawn(self) -> bool:
        return self.status == self.Status.WITHDRAWN

    @property
    def bounced(self) -> bool:
        return self.status == self.Status.BOUNCED

    @property
    def undeliverable(self) -> bool:
        return self.status in (self.Status.FAILED, self.Status.BOUNCED)

    @property
    def unreachable(self) -> bool:
        """The answer says the mail server was not reached at all (not that it refused)."""
        return any(words in self.answer for words in UNREACHABLE)

    @property
    def may_try_again(self) -> bool:
        """Failed, bounced, or waiting after a refusal: "försök igen" sends it now."""
        return self.undeliverable or (self.waiting and bool(self.answer))
