"""The justering of a protocol: the justerare's answers to one version of it
(Approval) and their remarks while reading it (Comment).

An approval is a record of the archive (ArchiveRecord, frozen.APPEND_ONLY); the
rättelse it may answer is named by its model name ("Rattelse", meetings.models.
archive), so this module needs only the protocol's.
"""

from django.db import models, transaction
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from meetings.models.protocol import ArchiveRecord, Meeting, Paragraph
from members.models import Person, Timestamped


class Approval(ArchiveRecord):
    """A justerare's (or the chair's) answer to one exact version of the protocol.

    `content_hash` is the SHA-256 of the protocol's content as it was read; an
    approval counts only while the protocol still has that hash, so any later edit
    voids it (visibly: the row stays, marked as for another version).
    """

    class Decision(models.TextChoices):
        GODKANT = "godkant", _("approved")
        ANDRING = "andring", _("change requested")

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="approvals", verbose_name=_("meeting")
    )
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="approvals", verbose_name=_("person")
    )
    decision = models.CharField(_("answer"), max_length=10, choices=Decision.choices)
    content_hash = models.CharField(_("version (SHA-256)"), max_length=64)
    # The protocol's export as it was read, so that the next version can show what
    # changed since (empty for answers given before this was kept, and for rättelser).
    content = models.TextField(_("content answered (JSON)"), blank=True)
    reason = models.TextField(_("reason"), blank=True)
    # An approval confirmed with an e-legitimation (members/identity.evidence): the
    # provider, the issuer, the level of assurance, when the person authenticated
    # and the signed ID token. Empty for one given with the account's password.
    evidence = models.JSONField(_("e-legitimation"), default=dict, blank=True)
    user = models.ForeignKey(
        "auth.User",
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("login account"),
    )
    rattelse = models.ForeignKey(
        "Rattelse",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="approvals",
        verbose_name=_("correction (rättelse)"),
        help_text=_("Empty for an answer to the protocol itself."),
    )

    class Meta:
        ordering = ["meeting", "created"]
        verbose_name = _("approval")
        verbose_name_plural = _("approvals")
        constraints = [
            models.CheckConstraint(
                condition=~Q(decision="andring") | ~Q(reason=""),
                name="approval_change_request_has_reason",
            ),
        ]

    def __str__(self):
        return f"{self.person} {self.get_decision_display()} {self.created:%Y-%m-%d %H:%M}"

    def save(self, *args, **kwargs):
        # In one transaction with the check of a new approval (meetings/actions/justering.py,
        # on pre_save): awaited, by an approver, of the current version.
        with transaction.atomic():
            super().save(*args, **kwargs)


class Comment(Timestamped):
    """A justerare's remark on a paragraph (or the whole protocol) while reading it."""

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="comments", verbose_name=_("meeting")
    )
    paragraph = models.ForeignKey(
        Paragraph,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="comments",
        verbose_name=_("paragraph"),
    )
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="comments", verbose_name=_("person")
    )
    text = models.TextField(_("comment"))

    class Meta:
        ordering = ["meeting", "created"]
        verbose_name = _("comment")
        verbose_name_plural = _("comments")

    def __str__(self):
        return self.text[:80]
