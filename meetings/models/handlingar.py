"""The papers of a meeting: the kallelse as it was sent, the handlingar sent with it
for the members to read, and the protocol's bilagor (a handling may become one).

Kept together because Bilaga and Handling are the files of a meeting: both store
an uploaded file under the meeting's folder (bilaga_upload_to, handling_upload_to)
with its SHA-256 (_sha256), and a handling points to the bilaga it became.
"""

import hashlib

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from meetings.models.protocol import Meeting, Paragraph, PartOfProtocol
from meetings.rules.masking import mask
from members.models import Timestamped


class Kallelse(Timestamped):
    """A notice of the meeting as sent: when, by whom, to whom (names and addresses
    as they were at the time)."""

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="kallelser", verbose_name=_("meeting")
    )
    sent_at = models.DateTimeField(_("sent"))
    sent_by = models.ForeignKey(
        "auth.User",
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("sent by"),
    )
    recipients = models.JSONField(
        _("recipients"), default=list, help_text=_("A list of {name, email} as sent.")
    )
    # What the public may read of the agenda as it was sent (public_version.
    # public_agenda): the public pages of a coming meeting read this, never the live
    # tables, so a later edit of the draft cannot show on them.
    public_agenda = models.JSONField(_("public agenda"), default=dict, blank=True)

    class Meta:
        ordering = ["meeting", "-sent_at"]
        verbose_name = _("notice (kallelse)")
        verbose_name_plural = _("notices (kallelser)")

    def __str__(self):
        return f"{self.meeting} {self.sent_at:%Y-%m-%d %H:%M}"


def _sha256(file) -> str:
    digest = hashlib.sha256()
    for chunk in file.chunks():
        digest.update(chunk)
    return digest.hexdigest()


def bilaga_upload_to(instance, filename):
    meeting = instance.meeting
    return f"bilagor/{meeting.body.organisation.slug}/{meeting.date:%Y}/{meeting.pk}/{filename}"


class Bilaga(PartOfProtocol):
    """An attachment of the protocol, numbered Bilaga 1, 2 … within it, tied to a paragraph."""

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="bilagor", verbose_name=_("meeting")
    )
    paragraph = models.ForeignKey(
        Paragraph, on_delete=models.CASCADE, related_name="bilagor", verbose_name=_("paragraph")
    )
    number = models.PositiveSmallIntegerField(_("number"))
    title = models.CharField(_("title"), max_length=300)
    file = models.FileField(_("file"), upload_to=bilaga_upload_to, blank=True)
    filename = models.CharField(
        _("file name"), max_length=255, blank=True, help_text=_("The name the file was sent with.")
    )
    is_public = models.BooleanField(
        _("public"), default=True, help_text=_("Whether the public may open the file.")
    )
    # A bilaga the public may not open is listed in the public version without its
    # title, unless the secretary says the title itself is public.
    title_is_public = models.BooleanField(
        _("title public"),
        default=False,
        help_text=_("For a bilaga that is not public: the public version may show its title."),
    )
    # SHA-256 of the file, in the content the justerare approve and the seal covers,
    # so that a file replaced after an approval voids it. Set when a file is stored.
    sha256 = models.CharField(_("SHA-256 of the file"), max_length=64, blank=True, editable=False)

    history = HistoricalRecords()  # the audit trail (meetings/documents/history.py)

    class Meta:
        ordering = ["meeting", "number"]
        verbose_name = _("bilaga")
        verbose_name_plural = _("bilagor")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "number"], name="bilaga_unique_number"),
            models.CheckConstraint(condition=Q(number__gte=1), name="bilaga_number_positive"),
        ]

    def __str__(self):
        return _("Bilaga %(number)s: %(title)s") % {"number": self.number, "title": self.title}

    def save(self, *args, **kwargs):
        # The checksum follows the file, whichever path stored or replaced it (the
        # workspace, the admin, an import).
        stored = Bilaga.objects.filter(pk=self.pk).values_list("file", flat=True).first()
        if not self.file:
            self.sha256 = ""
        elif not self.file._committed:
            self.sha256 = _sha256(self.file)
        elif self.file.name != stored or not self.sha256:
            with self.file.open("rb") as stored_file:
                self.sha256 = _sha256(stored_file)
        super().save(*args, **kwargs)

    def clean(self):
        if self.paragraph_id and self.meeting_id and self.paragraph.meeting_id != self.meeting_id:
            raise ValidationError({"paragraph": _("The paragraph belongs to another meeting.")})
        if self.paragraph_id and self.paragraph.is_confidential and self.is_public:
            raise ValidationError(
                {"is_public": _("A bilaga of a confidential paragraph cannot be public.")}
            )


def handling_upload_to(instance, filename):
    meeting = instance.meeting
    return f"handlingar/{meeting.body.organisation.slug}/{meeting.date:%Y}/{meeting.pk}/{filename}"


class HandlingQuerySet(models.QuerySet):
    def public(self):
        """The handlingar the public may open: marked public, never of a confidential
        item (the one rule; `Handling.is_open_to_the_public` says it of one)."""
        return self.filter(is_public=True, paragraph__is_confidential=False)


class Handling(Timestamped):
    """A document the members read before the meeting (handlingar), attached to an
    agenda item and sent with the kallelse. It is not part of the protocol; after
    the meeting it may become one of its bilagor (services.handling_to_bilaga)."""

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="handlingar", verbose_name=_("meeting")
    )
    paragraph = models.ForeignKey(
        Paragraph,
        on_delete=models.CASCADE,
        related_name="handlingar",
        verbose_name=_("agenda item"),
    )
    title = models.CharField(_("title"), max_length=300)
    file = models.FileField(_("file"), upload_to=handling_upload_to)
    filename = models.CharField(_("file name"), max_length=255, blank=True)
    sha256 = models.CharField(_("SHA-256 of the file"), max_length=64, blank=True, editable=False)
    is_public = models.BooleanField(
        _("public"), default=True, help_text=_("Whether the public may open the file.")
    )
    bilaga = models.OneToOneField(
        "Bilaga",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="handling",
        verbose_name=_("made a bilaga"),
    )

    objects = HandlingQuerySet.as_manager()

    class Meta:
        ordering = ["meeting", "paragraph__position", "pk"]
        verbose_name = _("handling")
        verbose_name_plural = _("handlingar")

    def __str__(self):
        return self.title

    @property
    def is_open_to_the_public(self) -> bool:
        """The rule of HandlingQuerySet.public, for one handling."""
        return self.is_public and not self.paragraph.is_confidential

    @property
    def public_filename(self) -> str:
        """The name a downloaded handling gets: from its title (masked words removed),
        never the uploaded file's name (which may name a person), with the file's
        extension."""
        return self.filename_titled(self.title)

    def filename_titled(self, title: str) -> str:
        """The download name for `title` (the public agenda's title of the handling,
        as the kallelse stored it)."""
        extension = (self.filename or self.file.name).rsplit(".", 1)[-1].lower()[:5]
        return f"{slugify(mask(title)) or 'handling'}.{extension}"

    def save(self, *args, **kwargs):
        if self.file and not self.file._committed:
            self.sha256 = _sha256(self.file)
        if self.paragraph_id and self.paragraph.is_confidential:
            self.is_public = False  # whatever path saves it (clean() says so first)
        super().save(*args, **kwargs)

    def clean(self):
        if self.paragraph_id and self.meeting_id and self.paragraph.meeting_id != self.meeting_id:
            raise ValidationError({"paragraph": _("The paragraph belongs to another meeting.")})
        if self.paragraph_id and self.paragraph.is_confidential and self.is_public:
            raise ValidationError(
                {"is_public": _("A handling of a confidential item cannot be public.")}
            )
