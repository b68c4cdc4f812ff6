"""What stays of a justerat protocol: the sealed original (ArchivedProtocol), its
public version (PublicProtocol), the sealed extracts of one paragraph
(Protokollsutdrag), the audit trail of the protocol's states (AuditEvent) and the
corrections made after justering (Rattelse), with the functions that name their
stored files (the migrations refer to those as meetings.models.<name>).

All of them rows of frozen.APPEND_ONLY's tables: never changed once written (a
rättelse once approved), and the database refuses it too. Meeting.move_to writes the audit events through its
`audit_events` relation, so the protocol's module need not import this one.
"""

import hashlib

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from meetings.models.protocol import ArchiveRecord, Meeting, Paragraph
from members.models import Timestamped


def archive_upload_to(instance, filename):
    meeting = instance.meeting
    return f"protokoll/{meeting.body.organisation.slug}/{meeting.date:%Y}/{filename}"


class ArchivedProtocol(Timestamped):
    """The justerat protocol as a document: rendered once, sealed, stored, never
    re-rendered (pretix's invoices are the model). `sha256` is of the sealed file
    as stored and served; `content` is the JSON export embedded in it."""

    meeting = models.OneToOneField(
        Meeting, on_delete=models.PROTECT, related_name="archive", verbose_name=_("meeting")
    )
    pdf = models.FileField(_("PDF"), upload_to=archive_upload_to)
    sha256 = models.CharField(_("SHA-256 of the PDF"), max_length=64, unique=True)
    content = models.TextField(_("protocol as JSON"))
    content_hash = models.CharField(_("version (SHA-256)"), max_length=64)
    # The secret that links the public version to this original without giving the
    # public anything computable from the original's content alone (a plain digest
    # lets anyone confirm guesses of the masked words offline): the public version
    # prints HMAC-SHA256(key, version), the original prints the key
    # (public_version.original_link). Empty for protocols justerat before it.
    public_link_key = models.CharField(
        _("key of the public version's link"), max_length=64, blank=True, default=""
    )
    render_seconds = models.FloatField(_("seconds to render and seal"), default=0)
    # A protocol justerat elsewhere and brought in (meetings/legacy): `pdf` is then
    # the file as it came (a PDF or text), not rendered or sealed here.
    imported_from = models.CharField(_("imported from (file name)"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("archived protocol")
        verbose_name_plural = _("archived protocols")

    def __str__(self):
        return str(self.meeting)


def public_upload_to(instance, filename):
    meeting = instance.meeting
    return f"offentliga/{meeting.body.organisation.slug}/{meeting.date:%Y}/{filename}"


class PublicProtocol(Timestamped):
    """The public version of a justerat protocol (meetings/documents/public_version.py): its
    export with confidential paragraphs reduced to number and public title and masked
    spans removed, rendered once, sealed and stored beside the original. Everything
    the public gets of a protocol comes from this row; a protocol without one is not
    public at all."""

    meeting = models.OneToOneField(
        Meeting,
        on_delete=models.PROTECT,
        related_name="public_version",
        verbose_name=_("meeting"),
    )
    original = models.OneToOneField(
        ArchivedProtocol,
        on_delete=models.PROTECT,
        related_name="public_version",
        verbose_name=_("original"),
    )
    pdf = models.FileField(_("PDF"), upload_to=public_upload_to)
    sha256 = models.CharField(_("SHA-256 of the PDF"), max_length=64, unique=True)
    content = models.TextField(_("public version as JSON"))
    # Imported (ArchivedProtocol.imported_from): `pdf` is the original file as the
    # organisation published it, not sealed here.
    is_imported = models.BooleanField(_("imported"), default=False)

    class Meta:
        verbose_name = _("public version")
        verbose_name_plural = _("public versions")

    def __str__(self):
        return str(self.meeting)


def utdrag_upload_to(instance, filename):
    meeting = instance.meeting
    return f"utdrag/{meeting.body.organisation.slug}/{meeting.date:%Y}/{filename}"


class Protokollsutdrag(Timestamped):
    """A sealed extract of one paragraph, stored so that it can be verified
    (meetings/documents/utdrag.py): of the public version, made the first time someone asks
    and then served as it is; or of the original, certified by a named person of the
    staff, one for each time it is issued."""

    public_version = models.ForeignKey(
        PublicProtocol,
        on_delete=models.PROTECT,
        related_name="utdrag",
        null=True,
        blank=True,
        verbose_name=_("public version"),
    )
    original = models.ForeignKey(
        ArchivedProtocol,
        on_delete=models.PROTECT,
        related_name="utdrag",
        null=True,
        blank=True,
        verbose_name=_("original"),
    )
    certified_by = models.CharField(_("certified by"), max_length=200, blank=True)
    number = models.PositiveIntegerField(_("§ number"))
    # How many approved rättelser of the paragraph it carries: a public extract
    # made before a correction is not served after it (utdrag.public_extract).
    rattelser = models.PositiveSmallIntegerField(_("corrections carried"), default=0)
    pdf = models.FileField(_("PDF"), upload_to=utdrag_upload_to)
    sha256 = models.CharField(_("SHA-256 of the PDF"), max_length=64, unique=True)

    class Meta:
        verbose_name = _("protokollsutdrag")
        verbose_name_plural = _("protokollsutdrag")
        constraints = [
            models.UniqueConstraint(
                fields=["public_version", "number", "rattelser"], name="utdrag_unique"
            ),
            models.CheckConstraint(
                condition=Q(public_version__isnull=True) ^ Q(original__isnull=True),
                name="utdrag_of_one_document",
            ),
        ]

    def __str__(self):
        return f"{self.meeting} § {self.number}"

    @property
    def meeting(self) -> "Meeting":
        document = self.public_version or self.original
        assert document is not None  # utdrag_of_one_document: one of the two, always
        return document.meeting


class AuditEvent(ArchiveRecord):
    """Who changed the state of a protocol, when, how, and which version it was.
    Never changed, and deleted only with its meeting (frozen.APPEND_ONLY)."""

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="audit_events", verbose_name=_("meeting")
    )
    user = models.ForeignKey(
        "auth.User",
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("login account"),
    )
    action = models.CharField(_("action"), max_length=40)
    content_hash = models.CharField(_("version (SHA-256)"), max_length=64, blank=True)
    details = models.JSONField(_("details"), default=dict, blank=True)

    class Meta:
        ordering = ["meeting", "created", "pk"]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")

    def __str__(self):
        return f"{self.created:%Y-%m-%d %H:%M} {self.action}"


def rattelse_upload_to(instance, filename):
    meeting = instance.meeting
    return f"rattelser/{meeting.body.organisation.slug}/{meeting.date:%Y}/{filename}"


class Rattelse(ArchiveRecord):
    """A correction of a justerat protocol: a dated addendum with its own approval by
    the protocol's approvers, sealed as its own document. The protocol itself never
    changes. Once approved, a rättelse does not change either."""

    meeting = models.ForeignKey(
        Meeting, on_delete=models.PROTECT, related_name="rattelser", verbose_name=_("meeting")
    )
    paragraph = models.ForeignKey(
        Paragraph,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="rattelser",
        verbose_name=_("paragraph"),
    )
    text = models.TextField(_("correction"))
    created_by = models.ForeignKey(
        "auth.User",
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("written by"),
    )
    approved_at = models.DateTimeField(_("approved"), null=True, blank=True)
    pdf = models.FileField(_("PDF"), upload_to=rattelse_upload_to, blank=True)
    sha256 = models.CharField(_("SHA-256 of the PDF"), max_length=64, blank=True)
    # Its public version (public_version.public_rattelse), sealed with it: what the
    # public downloads and verifies.
    public_pdf = models.FileField(_("public PDF"), upload_to=public_upload_to, blank=True)
    public_sha256 = models.CharField(_("SHA-256 of the public PDF"), max_length=64, blank=True)

    class Meta:
        ordering = ["meeting", "created"]
        verbose_name = _("correction (rättelse)")
        verbose_name_plural = _("corrections (rättelser)")

    def text_hash(self) -> str:
        """The version an approval of this correction answers: its text, and which
        §, bound to this correction (meetings/rules/frozen.py computes the same in SQL)."""
        return hashlib.sha256(
            f"{self.pk}\n{self.paragraph_id or ''}\n{self.text}".encode()
        ).hexdigest()

    def __str__(self):
        return f"{self.meeting}: {self.text[:60]}"

    # Frozen once approved (frozen.APPEND_ONLY: "once:approved_at"), as ArchiveRecord.
    frozen_message = _("An approved correction can no longer be changed.")
