"""A legacy protocol uploaded for import (meetings/legacy), kept as parsed while the
secretary reviews it, and where its file is stored (legacy_upload_to, which the
migrations refer to as meetings.models.legacy_upload_to).

Apart because it belongs to the import alone: it points to the meeting it became,
and nothing of the protocol points to it.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from meetings.models.protocol import Meeting
from members.models import Organisation, Timestamped


def legacy_upload_to(instance, filename):
    return f"import/{instance.organisation.slug}/{filename}"


class LegacyUpload(Timestamped):
    """A legacy protocol uploaded for import, as parsed, while the secretary reviews
    it (meetings/legacy): nothing is imported until she says so."""

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="legacy_uploads",
        verbose_name=_("organisation"),
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    # The files read together (one upload, one zip, one command), reviewed as a queue.
    batch = models.CharField(_("batch"), max_length=32, blank=True, db_index=True)
    filename = models.CharField(_("file name"), max_length=255)
    file = models.FileField(_("file"), upload_to=legacy_upload_to)
    sha256 = models.CharField(_("SHA-256 of the file"), max_length=64)
    source_text = models.TextField(_("the text as read"))
    document = models.JSONField(_("the protocol as parsed and corrected"))
    # The meeting's day as read (and corrected): the queue's order.
    meeting_date = models.DateField(_("meeting date"), null=True, blank=True)
    warnings = models.JSONField(_("warnings"), default=list)
    unsure = models.JSONField(_("fields to check"), default=list)
    meeting = models.OneToOneField(
        Meeting,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="legacy_upload",
        verbose_name=_("imported as"),
    )

    class Meta:
        ordering = ["-created"]
        verbose_name = _("legacy protocol to import")
        verbose_name_plural = _("legacy protocols to import")

    def __str__(self):
        return self.filename
