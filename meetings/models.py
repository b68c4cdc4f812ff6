"""Meetings and their protocols: attendance, paragraphs (§), decisions, bilagor.

An agenda item and the protocol's paragraph are one row (Paragraph): the item is
planned with a position, gets its § number through `meetings.rules.numbering`, and is then
written up with text and decisions. State changes go through services; these models
only hold data and the constraints the database can enforce.
"""

import datetime
import hashlib
from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from meetings.rules import frozen
from meetings.rules.masking import mask, validate_masks
from meetings.rules.signals import status_changed
from members.models import Body, Organisation, Party, Person, Timestamped, no_masks_validator

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

JUSTERING_DAYS = 14


class NotNow(PermissionDenied):
    """Refused by the state of the meeting, not by the visitor's rights (its message
    says why). A PermissionDenied, so any path that runs into it answers 403."""


class StatusMoveRefused(NotNow):
    """A status change the table of moves (STATUS_MOVES) does not allow."""


class ProtocolFrozen(NotNow):
    """A write to a justerat protocol (or a cancelled meeting's). A view that runs
    into it answers 403 whatever path led there (workspace, admin, a service)."""


def lock_protocol(meeting_id: int) -> None:
    """Take the protocol's lock (its meeting row, until the transaction ends) and
    refuse if it is justerat. Every write to a protocol takes it, and so does the
    last approval while it seals (meetings.actions.justering): a write that comes during the
    sealing waits for it and is then refused, instead of slipping unapproved text
    into a justerat protocol. (A no-op lock on SQLite, which writes one at a time.)"""
    with transaction.atomic():
        row = (
            Meeting.objects.select_for_update()
            .filter(pk=meeting_id)
            .values_list("justerat_at", "status")
            .first()
        )
    if row is not None and (reason := unchangeable_reason(*row)):
        raise ProtocolFrozen(reason)


def unchangeable_reason(justerat_at, status: str) -> "StrOrPromise | None":
    """Why a meeting's protocol can no longer change (None: it can): justerat, or the
    meeting was cancelled (nothing was decided; the cancellation stays on record)."""
    if justerat_at is not None:
        return _("The protocol is justerat and can no longer be changed.")
    if status == Meeting.Status.INSTALLT:
        return _("The meeting is cancelled: its agenda and protocol can no longer be changed.")
    return None


class PartOfProtocol(Timestamped):
    """A row that belongs to a protocol: it refuses to be saved or deleted once the
    protocol is justerat. (On PostgreSQL, triggers refuse raw SQL too.)"""

    # The column of the `meeting` foreign key, read by the default protocol_meeting_id;
    # the rows without one (a decision, a reservation…) override that method.
    meeting_id: int

    class Meta:
        abstract = True

    def protocol_meeting_id(self) -> int | None:
        return self.meeting_id

    def _refuse_if_frozen(self) -> None:
        meeting_id = self.protocol_meeting_id()
        if meeting_id:
            lock_protocol(meeting_id)

    def save(self, *args, **kwargs):
        with transaction.atomic():
            self._refuse_if_frozen()
            super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        with transaction.atomic():
            self._refuse_if_frozen()
            return super().delete(*args, **kwargs)


class ArchiveRecord(Timestamped):
    """A row of one of frozen.APPEND_ONLY's tables: the model refuses what the trigger
    refuses (on SQLite the model alone does): a change, but for the columns that may
    only become NULL and those free, and a deletion. A draft deleted whole takes its
    records by the deletion's cascade, which calls no delete() of theirs."""

    frozen_message = _("This record is part of the archive and cannot be changed.")
    # Each of these tables has a `meeting` foreign key (delete() reads it).
    meeting_id: int

    class Meta:
        abstract = True

    def _archive_rule(self) -> tuple[str, tuple, tuple]:
        return frozen.APPEND_ONLY[self._meta.db_table]

    def _is_frozen_record(self, stored: dict) -> bool:
        how, _clear, _free = self._archive_rule()
        return not (how.startswith("once:") and stored[how.removeprefix("once:")] is None)

    def save(self, *args, **kwargs):
        if not self._state.adding and self.pk is not None:
            _how, may_clear, free = self._archive_rule()
            written = kwargs.get("update_fields")
            fields = [
                f
                for f in self._meta.concrete_fields
                if not f.primary_key
                and (written is None or f.name in written or f.attname in written)
            ]
            stored = (
                type(self)
                ._base_manager.filter(pk=self.pk)
                .values(*{f.attname for f in fields} | self._archive_columns())
                .first()
            )
            if stored is not None and self._is_frozen_record(stored):
                for field in fields:
                    value = getattr(self, field.attname)
                    if field.attname in free or (field.attname in may_clear and value is None):
                        continue
                    # auto_now writes a new time on every save: a change the trigger sees.
                    if getattr(field, "auto_now", False) or stored[field.attname] != value:
                        raise ProtocolFrozen(self.frozen_message)
        super().save(*args, **kwargs)

    def _archive_columns(self) -> set[str]:
        how, _clear, _free = self._archive_rule()
        return {how.removeprefix("once:")} if how.startswith("once:") else set()

    def delete(self, *args, **kwargs):
        how, _clear, _free = self._archive_rule()
        stored = (
            type(self)._base_manager.filter(pk=self.pk).values(*self._archive_columns()).first()
        )
        if stored is not None and (
            how in ("always", "with_meeting")
            or (how.startswith("once:") and self._is_frozen_record(stored))
            or (
                how == "meeting"
                and Meeting.objects.filter(frozen.is_frozen(), pk=self.meeting_id).exists()
            )
        ):
            raise ProtocolFrozen(self.frozen_message)
        return super().delete(*args, **kwargs)


def paragraph_url(protocol_url: str, number: int) -> str:
    """A numbered paragraph's public address, below its protocol's: …/<YYYY-MM-DD>/p7/
    (urls_public's "paragraph"). Said here once, for the pages that print many of
    them from the protocol's address they already have (the template filter
    `paragraph_url`, the sitemap, search results, OParl)."""
    return f"{protocol_url}p{number}/"


class Meeting(Timestamped):
    """A sammanträde of one body, and the protocol kept of it."""

    class Status(models.TextChoices):
        PLANERAT = "planerat", _("planned")
        KALLAT = "kallat", _("notice sent")
        GENOMFORT = "genomfort", _("held")
        UNDER_JUSTERING = "under_justering", _("under justering")
        JUSTERAT = "justerat", _("justerat")
        PUBLICERAT = "publicerat", _("published")
        INSTALLT = "installt", _("cancelled")

        def may_become(self, other: str) -> bool:
            """Whether a meeting in this status may move to `other` (STATUS_MOVES)."""
            return other in STATUS_MOVES[self]

    body = models.ForeignKey(
        Body, on_delete=models.PROTECT, related_name="meetings", verbose_name=_("body")
    )
    date = models.DateField(_("date"))
    start_time = models.TimeField(_("starts"))
    end_time = models.TimeField(_("ends"), null=True, blank=True)
    place = models.CharField(
        _("place"), max_length=200, blank=True, validators=[no_masks_validator]
    )
    is_remote = models.BooleanField(
        _("remote participation"),
        default=False,
        help_text=_("Held wholly or partly online (e.g. via Teams)."),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PLANERAT
    )
    chair = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="chaired_meetings",
        verbose_name=_("chair"),
    )
    secretary = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="minuted_meetings",
        verbose_name=_("secretary"),
    )
    justering_deadline_set = models.DateField(
        _("to be justerat by"), null=True, blank=True, editable=False
    )
    justerat_at = models.DateTimeField(_("justerat"), null=True, blank=True, editable=False)
    # The day the justerat protocol appears on the public site and the anslag is posted
    # (today, or a later day the secretary chose). Public means justerat and this day
    # reached, so no job has to run for a scheduled publication to appear.
    publish_on = models.DateField(_("published on"), null=True, blank=True, editable=False)
    # Two meetings of a body on one day: the second one's address gets "-2".
    day_suffix = models.PositiveSmallIntegerField(default=1, editable=False)

    class Meta:
        ordering = ["date", "start_time", "pk"]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        constraints = [
            models.CheckConstraint(
                condition=Q(end_time__isnull=True) | Q(end_time__gt=F("start_time")),
                name="meeting_ends_after_start",
            ),
        ]
        indexes = [
            models.Index(fields=["body", "date"], name="meeting_body_date"),
            models.Index(fields=["publish_on"], name="meeting_publish_on"),
        ]

    def __str__(self):
        return f"{self.body.name} {self.date:%Y-%m-%d}"

    @property
    def year(self) -> int:
        return self.date.year

    def address(self) -> dict:
        """The parts of the protocol's public addresses (public:protocol, :protocol_pdf,
        :bilaga …): förbund, organ, day, and "-2" for a body's second meeting that day."""
        kwargs = {
            "org": self.body.organisation.slug,
            "body": self.body.slug,
            "day": f"{self.date:%Y-%m-%d}",
        }
        if self.day_suffix > 1:
            kwargs["suffix"] = str(self.day_suffix)
        return kwargs

    def get_absolute_url(self) -> str:
        """The protocol's stable public address: /<förbund>/<organ>/<YYYY-MM-DD>/."""
        return reverse("public:protocol", kwargs=self.address())

    def paragraph_url(self, number: int) -> str:
        """A numbered paragraph's public address (see `paragraph_url`)."""
        return paragraph_url(self.get_absolute_url(), number)

    @property
    def justering_deadline(self) -> datetime.date:
        """The deadline chosen when the protocol was sent for justering, else the
        14 days after the meeting that kommunallagen practice expects."""
        return self.justering_deadline_set or self.date + datetime.timedelta(days=JUSTERING_DAYS)

    def secretaries(self) -> list[Person]:
        """Who keeps the protocol ("Vid protokollet"), in order: the secretary first."""
        secretary = self.secretary if self.secretary_id else None
        people = [secretary] if secretary is not None else []
        people += [c.person for c in self.co_secretaries.all() if c.person not in people]
        return people

    def ensure_editable(self) -> None:
        """Take the protocol's lock and raise ProtocolFrozen if it is justerat
        (`lock_protocol`). For services that write with update()/bulk_update()/
        bulk_create(), which bypass save(); call it first, inside the transaction."""
        lock_protocol(self.pk)

    def move_to(
        self,
        status: str,
        *,
        by=None,
        action: str = "",
        version: str = "",
        also: tuple[str, ...] = (),
        **details,
    ) -> None:
        """The one way a meeting's status changes: a move STATUS_MOVES allows (else
        StatusMoveRefused), saved with the fields that go with it (`also`), recorded
        as the verb's audit event `action` (none where the verb records it later,
        with what only the end of its work knows: justera after the seal) and told
        (signals.status_changed). The same status again moves nothing but is still
        recorded (a second kallelse)."""
        before = self.status
        if status != before and not self.Status(before).may_become(status):
            raise StatusMoveRefused(
                _("A meeting that is %(before)s cannot become %(after)s.")
                % {"before": self.Status(before).label, "after": self.Status(status).label}
            )
        self.status = status
        self.save(update_fields=["status", "modified", *also])
        if action:
            AuditEvent.objects.create(
                meeting=self, user=by, action=action, content_hash=version, details=details
            )
        if status != before:
            status_changed.send(sender=Meeting, meeting=self, before=before, after=status)

    # The statuses as the pages ask them (templates never compare status strings).
    @property
    def is_before_meeting(self) -> bool:
        return self.status in (self.Status.PLANERAT, self.Status.KALLAT)

    @property
    def is_called(self) -> bool:
        return self.status == self.Status.KALLAT

    @property
    def is_held(self) -> bool:
        """Held, its protocol being written (not yet out for justering)."""
        return self.status == self.Status.GENOMFORT

    @property
    def is_out_for_justering(self) -> bool:
        return self.status == self.Status.UNDER_JUSTERING

    @property
    def is_publicerat(self) -> bool:
        return self.status == self.Status.PUBLICERAT

    @property
    def is_cancelled(self) -> bool:
        return self.status == self.Status.INSTALLT

    @property
    def is_frozen(self) -> bool:
        """A justerat protocol never changes (DOMAIN.md): see ProtocolFrozen; the same
        condition as a filter is rules.frozen.is_frozen."""
        return self.justerat_at is not None

    @property
    def takes_handlingar(self) -> bool:
        """Handlingar are added and removed from planning until the meeting is held:
        not once the protocol is out for justering (they would no longer be read
        before the meeting), nor for a cancelled meeting."""
        return self.status in (self.Status.PLANERAT, self.Status.KALLAT, self.Status.GENOMFORT)

    # What the protocol says about the meeting; frozen with the protocol, here and by
    # the database's trigger (meetings/rules/frozen.py holds the one list).
    PROTOCOL_FIELDS = frozen.MEETING_FIELDS
    # Its publication, frozen once reached (frozen.publication_refused).
    PUBLICATION_FIELDS = (*frozen.PUBLICATION_FIELDS, "status")

    def save(self, *args, **kwargs):
        with transaction.atomic():
            if self.pk:
                stored = (  # locked: see lock_protocol
                    Meeting.objects.select_for_update()
                    .filter(frozen.is_frozen(), pk=self.pk)
                    .values(*self.PROTOCOL_FIELDS, *self.PUBLICATION_FIELDS)
                    .first()
                )
                if stored and any(stored[f] != getattr(self, f) for f in self.PROTOCOL_FIELDS):
                    raise ProtocolFrozen(
                        _("The protocol is justerat and can no longer be changed.")
                    )
                # Only what this save writes: an instance read before a publication
                # may save its other fields.
                written = kwargs.get("update_fields")
                new = (
                    {
                        f: getattr(self, f) if written is None or f in written else stored[f]
                        for f in self.PUBLICATION_FIELDS
                    }
                    if stored
                    else {}
                )
                if stored and frozen.publication_refused(stored, new, timezone.localdate()):
                    raise ProtocolFrozen(
                        _("The protocol is published: its publication can no longer change.")
                    )
            super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if self.pk and Meeting.objects.filter(frozen.is_frozen(), pk=self.pk).exists():
            raise ProtocolFrozen(_("The protocol is justerat and can no longer be changed."))
        return super().delete(*args, **kwargs)

    @staticmethod
    def time_errors(start_time, end_time) -> dict:
        """The rule of the meeting's times, for clean() and the importer alike."""
        if start_time and end_time and end_time <= start_time:
            return {"end_time": _("The meeting must end after it starts.")}
        return {}

    def clean(self):
        errors = self.time_errors(self.start_time, self.end_time)
        for field in ("chair", "secretary"):
            person = getattr(self, field)
            if person and self.body_id and person.organisation_id != self.body.organisation_id:
                errors[field] = _("The person belongs to another organisation.")
        if errors:
            raise ValidationError(errors)


_S = Meeting.Status
# The life of a meeting (docs/domain.md): every status it may move to from each.
STATUS_MOVES = {
    _S.PLANERAT: {_S.KALLAT, _S.GENOMFORT, _S.INSTALLT},
    _S.KALLAT: {_S.GENOMFORT, _S.INSTALLT},
    # Out for justering; or justerat before Paragraf, as an imported protocol is.
    _S.GENOMFORT: {_S.UNDER_JUSTERING, _S.JUSTERAT},
    # Back when a justerare asks for a change; justerat at the last approval.
    _S.UNDER_JUSTERING: {_S.GENOMFORT, _S.JUSTERAT},
    _S.JUSTERAT: {_S.PUBLICERAT},
    _S.PUBLICERAT: set(),
    _S.INSTALLT: set(),
}


class CoSecretary(PartOfProtocol):
    """Another person "vid protokollet" besides the meeting's secretary (a small
    kansli often keeps its protocols two by two), in order."""

    meeting = models.ForeignKey(
        Meeting,
        on_delete=models.CASCADE,
        related_name="co_secretaries",
        verbose_name=_("meeting"),
    )
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="co_minuted", verbose_name=_("person")
    )
    order = models.PositiveSmallIntegerField(_("order"), default=1)

    class Meta:
        ordering = ["meeting", "order", "pk"]
        verbose_name = _("also minuting")
        verbose_name_plural = _("also minuting")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "person"], name="co_secretary_unique"),
        ]

    def __str__(self):
        return str(self.person)


class Justerare(PartOfProtocol):
    """A person chosen to justera (approve) the protocol besides the chair."""

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="justerare", verbose_name=_("meeting")
    )
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="justerare_of", verbose_name=_("person")
    )
    order = models.PositiveSmallIntegerField(_("order"), default=1)

    class Meta:
        ordering = ["meeting", "order", "pk"]
        verbose_name = _("justerare")
        verbose_name_plural = _("justerare")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "person"], name="justerare_unique"),
        ]

    def __str__(self):
        return str(self.person)


class Paragraph(PartOfProtocol):
    """An agenda item that becomes a numbered paragraph (§) of the protocol.

    `body` and `year` repeat the meeting's so that the database can hold § numbers
    unique per body and calendar year; `meetings.rules.numbering` keeps them in step.
    """

    class Section(models.TextChoices):
        INLEDNING = "inledning", _("opening items")
        INFORMATION = "information", _("information items (informationsärenden)")
        BESLUT = "beslut", _("decision items (beslutsärenden)")
        DISKUSSION = "diskussion", _("discussion items (diskussionsärenden)")
        OVRIGT = "ovrigt", _("other business (övriga frågor)")
        AVSLUTNING = "avslutning", _("closing items")

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="paragraphs", verbose_name=_("meeting")
    )
    body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="+", editable=False)
    year = models.PositiveSmallIntegerField(editable=False)
    position = models.PositiveSmallIntegerField(_("position on the agenda"))
    number = models.PositiveIntegerField(_("§ number"), null=True, blank=True, editable=False)
    section = models.CharField(_("section"), max_length=20, choices=Section.choices)
    title = models.CharField(_("title"), max_length=300, validators=[validate_masks])
    text = models.TextField(
        _("text"),
        blank=True,
        validators=[validate_masks],
        help_text=_(
            "Write [[ and ]] around personal data (a name, a birth year) that the public "
            "version must not show: it prints [uppgift borttagen] instead."
        ),
    )
    diarienummer = models.CharField(_("diarienummer"), max_length=50, blank=True)
    is_confidential = models.BooleanField(
        _("confidential"),
        default=False,
        help_text=_("Secrecy or personal data: the public version shows only the public title."),
    )
    public_title = models.CharField(_("public title"), max_length=300, blank=True)
    is_struck = models.BooleanField(
        _("struck from the agenda"),
        default=False,
        help_text=_("A struck item keeps its § number, which is never reused."),
    )
    # Bumped on every save through the workspace, so that a save based on an older
    # revision is recognised as a conflict instead of overwriting someone's text.
    revision = models.PositiveIntegerField(default=0, editable=False)
    responds_to = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="responses",
        verbose_name=_("answers or continues"),
        help_text=_("The paragraph of another body this one answers, e.g. an AU proposal."),
    )

    # Every change, by whom and when (django-simple-history), shown to the secretary
    # on the paragraph's page (meetings/documents/history.py).
    history = HistoricalRecords()

    class Meta:
        ordering = ["meeting", "position"]
        verbose_name = _("paragraph")
        verbose_name_plural = _("paragraphs")
        constraints = [
            models.UniqueConstraint(
                fields=["body", "year", "number"], name="paragraph_unique_number_per_body_year"
            ),
            models.UniqueConstraint(
                fields=["meeting", "position"], name="paragraph_unique_position"
            ),
            models.CheckConstraint(
                condition=Q(number__isnull=True) | Q(number__gte=1),
                name="paragraph_number_positive",
            ),
            models.CheckConstraint(
                condition=Q(is_confidential=False) | ~Q(public_title=""),
                name="paragraph_confidential_has_public_title",
            ),
        ]

    def __str__(self):
        return f"{self.sign} {self.title}" if self.number else self.title

    @property
    def sign(self) -> str:
        """The paragraph's number as printed: "§ 35" (non-breaking space)."""
        return f"§\u00a0{self.number}" if self.number else "§\u00a0–"

    def save(self, *args, **kwargs):
        # body and year mirror the meeting so the unique constraint can see them.
        self.body_id = self.meeting.body_id
        self.year = self.meeting.date.year
        super().save(*args, **kwargs)

    @property
    def open_title(self) -> str:
        """The title anyone outside the meeting may read (the public agenda, the
        kallelse, a member's list of handlingar): a confidential § by its public title
        alone. The public version says the same of a justerat protocol's §
        (public_version.redact)."""
        return self.public_title if self.is_confidential else self.title

    @staticmethod
    def confidentiality_errors(is_confidential, public_title) -> dict:
        """A confidential paragraph is shown to the public by its public title alone."""
        if is_confidential and not (public_title or "").strip():
            return {"public_title": _("A confidential paragraph needs a public title.")}
        return {}

    def clean(self):
        errors = self.confidentiality_errors(self.is_confidential, self.public_title)
        other = self.responds_to if self.responds_to_id and self.meeting_id else None
        if other is not None:
            if other.meeting_id == self.meeting_id:
                errors["responds_to"] = _("Link to a paragraph of another meeting.")
            elif other.meeting.body.organisation_id != self.meeting.body.organisation_id:
                errors["responds_to"] = _("The paragraph belongs to another organisation.")
        if errors:
            raise ValidationError(errors)


def presence_note(start: int | None, until: int | None) -> str:
    """Partial presence as the protocol prints it: "(§ 36–40)", "(från § 35)"."""
    if start and until:
        return f"(§ {start}–{until})"
    if start:
        return gettext("(from § %(number)s)") % {"number": start}
    if until:
        return gettext("(up to and including § %(number)s)") % {"number": until}
    return ""


class Attendance(PartOfProtocol):
    """Who was at the meeting, in what capacity, and for which paragraphs.

    Partial presence is a paragraph range: present from `present_from` and up to and
    including `present_until`; either end open means from the start or to the end.
    The party and title are copied in so the protocol says what was true that day.
    """

    class Capacity(models.TextChoices):
        BESLUTANDE = "beslutande", _("voting member (beslutande)")
        TJANSTGORANDE_ERSATTARE = (
            "tjanstgorande_ersattare",
            _("serving deputy (tjänstgörande ersättare)"),
        )
        ERSATTARE = "ersattare", _("deputy (ersättare)")
        OVRIG = "ovrig", _("other participant (övrig deltagare)")
        FRANVARANDE = "franvarande", _("absent (frånvarande)")

    # Who takes part in the decisions (beslutande): the members present and the
    # deputies serving for one. Justering, votes, the protocol and its checks all mean these.
    VOTING = (Capacity.BESLUTANDE, Capacity.TJANSTGORANDE_ERSATTARE)

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="attendances", verbose_name=_("meeting")
    )
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="attendances", verbose_name=_("person")
    )
    capacity = models.CharField(_("capacity"), max_length=30, choices=Capacity.choices)
    substitutes_for = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="substituted_by",
        verbose_name=_("serves for"),
    )
    party = models.ForeignKey(
        Party,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("represents"),
    )
    role_title = models.CharField(
        pgettext_lazy("a person's", "title"),
        max_length=200,
        blank=True,
        help_text=_("E.g. Förbundschef, Sekreterare."),
    )
    present_from = models.ForeignKey(
        Paragraph,
        # RESTRICT: deleting the whole meeting takes the attendance with it; deleting
        # only the paragraph someone's presence refers to is refused.
        on_delete=models.RESTRICT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("present from §"),
    )
    present_until = models.ForeignKey(
        Paragraph,
        # RESTRICT: deleting the whole meeting takes the attendance with it; deleting
        # only the paragraph someone's presence refers to is refused.
        on_delete=models.RESTRICT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("present up to and including §"),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    history = HistoricalRecords()  # the audit trail (meetings/documents/history.py)

    class Meta:
        ordering = ["meeting", "order", "pk"]
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "person"], name="attendance_unique_person"),
            models.CheckConstraint(
                condition=(
                    Q(capacity="tjanstgorande_ersattare", substitutes_for__isnull=False)
                    | (~Q(capacity="tjanstgorande_ersattare") & Q(substitutes_for__isnull=True))
                ),
                name="attendance_serving_deputy_names_member",
            ),
            models.CheckConstraint(
                condition=~Q(substitutes_for=F("person")),
                name="attendance_not_substituting_self",
            ),
            models.CheckConstraint(
                condition=~Q(capacity="franvarande")
                | Q(present_from__isnull=True, present_until__isnull=True),
                name="attendance_absent_has_no_range",
            ),
        ]

    def __str__(self):
        return f"{self.person} ({self.get_capacity_display()})"

    @property
    def is_partial(self) -> bool:
        return bool(self.present_from_id or self.present_until_id)

    def presence_note(self) -> str:
        """Partial presence as the protocol prints it (`presence_note`)."""
        return presence_note(
            self.present_from.number if self.present_from else None,
            self.present_until.number if self.present_until else None,
        )

    @classmethod
    def capacity_errors(cls, *, capacity, person, substitutes_for, from_position, until_position):
        """The rules of one row of attendance, for clean() and the importer alike: a
        serving deputy, and only one, names the member served for (not themselves); an
        absent person has no § range; a range does not end before it starts. People
        and paragraphs are given as anything comparable (keys, names, positions)."""
        errors = {}
        serving = capacity == cls.Capacity.TJANSTGORANDE_ERSATTARE
        if serving and substitutes_for is None:
            errors["substitutes_for"] = _("Name the member the deputy serves for.")
        elif not serving and substitutes_for is not None:
            errors["substitutes_for"] = _("Only a serving deputy serves for someone.")
        elif substitutes_for is not None and substitutes_for == person:
            errors["substitutes_for"] = _("A person cannot serve for themselves.")
        has_range = from_position is not None or until_position is not None
        if capacity == cls.Capacity.FRANVARANDE and has_range:
            errors["present_from"] = _("An absent person has no § range.")
        elif None not in (from_position, until_position) and from_position > until_position:
            errors["present_until"] = _("The range ends before it starts.")
        return errors

    def clean(self):
        errors = {}
        for field in ("present_from", "present_until"):
            paragraph = getattr(self, field)
            if paragraph and paragraph.meeting_id != self.meeting_id:
                errors[field] = _("The paragraph belongs to another meeting.")
        if not errors:
            errors = self.capacity_errors(
                capacity=self.capacity,
                person=self.person_id,
                substitutes_for=self.substitutes_for_id,
                from_position=self.present_from and self.present_from.position,
                until_position=self.present_until and self.present_until.position,
            )
        if errors:
            raise ValidationError(errors)


class Decision(PartOfProtocol):
    """A decision (beslut) on a paragraph, or a proposal to another body, or 'noted'."""

    class Kind(models.TextChoices):
        BESLUT = "beslut", _("decision (beslut)")
        FORSLAG = "forslag", _("proposal to another body (förslag)")
        LAGGES_TILL_HANDLINGARNA = (
            "lagges_till_handlingarna",
            _("noted and filed (läggs till handlingarna)"),
        )

    paragraph = models.ForeignKey(
        Paragraph, on_delete=models.CASCADE, related_name="decisions", verbose_name=_("paragraph")
    )
    order = models.PositiveSmallIntegerField(_("order"), default=1)
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    text = models.TextField(
        _("text"), validators=[validate_masks], error_messages={"blank": _("Write the decision.")}
    )
    proposed_to = models.ForeignKey(
        Body,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="proposals_received",
        verbose_name=_("proposed to"),
    )
    votes_for = models.PositiveSmallIntegerField(_("votes for"), null=True, blank=True)
    votes_against = models.PositiveSmallIntegerField(_("votes against"), null=True, blank=True)
    votes_abstaining = models.PositiveSmallIntegerField(_("abstaining"), null=True, blank=True)
    vote_result = models.TextField(
        _("result of the vote"),
        blank=True,
        validators=[validate_masks],
        help_text=_("How the vote went, as the protocol states it."),
    )

    # Every change, by whom and when (django-simple-history), shown to the secretary
    # on the paragraph's page (meetings/documents/history.py).
    history = HistoricalRecords()

    class Meta:
        ordering = ["paragraph", "order", "pk"]
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="forslag", proposed_to__isnull=False)
                | (~Q(kind="forslag") & Q(proposed_to__isnull=True)),
                name="decision_proposal_names_body",
            ),
            models.CheckConstraint(
                condition=Q(votes_for__isnull=True, votes_against__isnull=True)
                | Q(votes_for__isnull=False, votes_against__isnull=False),
                name="decision_vote_is_complete",
            ),
        ]

    def __str__(self):
        return self.text[:80]

    def protocol_meeting_id(self):
        return (
            Paragraph.objects.filter(pk=self.paragraph_id)
            .values_list("meeting_id", flat=True)
            .first()
        )

    @property
    def has_vote(self) -> bool:
        return self.votes_for is not None

    @classmethod
    def kind_errors(cls, *, kind, names_body: bool, votes_for=None, votes_against=None):
        """The rules of a decision's kind and vote, for clean() and the importer alike:
        a proposal, and only a proposal, names the body it goes to; a vote has both
        its counts."""
        errors = {}
        if kind == cls.Kind.FORSLAG and not names_body:
            errors["proposed_to"] = _("Name the body the proposal goes to.")
        elif kind != cls.Kind.FORSLAG and names_body:
            errors["proposed_to"] = _("Only a proposal goes to another body.")
        if (votes_for is None) != (votes_against is None):
            errors["votes_against"] = _("A vote needs both the votes for and against.")
        return errors

    def clean(self):
        errors = self.kind_errors(
            kind=self.kind,
            names_body=self.proposed_to_id is not None,
            votes_for=self.votes_for,
            votes_against=self.votes_against,
        )
        if errors:
            raise ValidationError(errors)


def _meeting_of_decision(decision_id) -> int | None:
    return (
        Decision.objects.filter(pk=decision_id)
        .values_list("paragraph__meeting_id", flat=True)
        .first()
    )


class Uppdrag(PartOfProtocol):
    """A task a decision gives someone ("uppdrar åt förbundschefen att …")."""

    decision = models.ForeignKey(
        Decision, on_delete=models.CASCADE, related_name="uppdrag", verbose_name=_("decision")
    )
    description = models.TextField(_("task"), validators=[validate_masks])
    assignee = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="uppdrag",
        verbose_name=_("assigned to"),
    )
    due_date = models.DateField(_("due"), null=True, blank=True)

    class Meta:
        ordering = ["decision", "pk"]
        verbose_name = _("task (uppdrag)")
        verbose_name_plural = _("tasks (uppdrag)")

    def protocol_meeting_id(self):
        return _meeting_of_decision(self.decision_id)

    def __str__(self):
        return self.description[:80]


class Reservation(PartOfProtocol):
    """A member's recorded dissent from a decision."""

    decision = models.ForeignKey(
        Decision, on_delete=models.CASCADE, related_name="reservations", verbose_name=_("decision")
    )
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="reservations", verbose_name=_("person")
    )
    motivation = models.TextField(_("reason"), blank=True, validators=[validate_masks])

    class Meta:
        ordering = ["decision", "pk"]
        verbose_name = _("reservation")
        verbose_name_plural = _("reservations")
        constraints = [
            models.UniqueConstraint(fields=["decision", "person"], name="reservation_unique"),
        ]

    def protocol_meeting_id(self):
        return _meeting_of_decision(self.decision_id)

    def __str__(self):
        return str(self.person)


class Jav(PartOfProtocol):
    """A member who took no part in a decision because of a conflict of interest (jäv)."""

    decision = models.ForeignKey(
        Decision, on_delete=models.CASCADE, related_name="jav", verbose_name=_("decision")
    )
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="jav", verbose_name=_("person")
    )

    class Meta:
        ordering = ["decision", "pk"]
        verbose_name = _("conflict of interest (jäv)")
        verbose_name_plural = _("conflicts of interest (jäv)")
        constraints = [
            models.UniqueConstraint(fields=["decision", "person"], name="jav_unique"),
        ]

    def protocol_meeting_id(self):
        return _meeting_of_decision(self.decision_id)

    def __str__(self):
        return str(self.person)


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
    pdf = models.FileField(_("PDF"), upload_to=utdrag_upload_to)
    sha256 = models.CharField(_("SHA-256 of the PDF"), max_length=64, unique=True)

    class Meta:
        verbose_name = _("protokollsutdrag")
        verbose_name_plural = _("protokollsutdrag")
        constraints = [
            models.UniqueConstraint(fields=["public_version", "number"], name="utdrag_unique"),
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


class SearchEntry(Timestamped):
    """One published paragraph as the public search sees it, written at publication
    from the archived JSON: exactly what the public page shows (a confidential
    paragraph only by number and public title). On PostgreSQL `vector` holds its
    'swedish' tsvector, under a GIN index (migration 0008)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="search_entries")
    # The meeting's date, here so that the newest matches are found by an index
    # without joining every match to its meeting (meetings/public/search.py).
    date = models.DateField(null=True, db_index=True)
    number = models.PositiveIntegerField()
    title = models.CharField(max_length=300)
    body = models.TextField(blank=True)
    vector = SearchVectorField(null=True, editable=False)

    class Meta:
        ordering = ["meeting", "number"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "number"], name="searchentry_unique")
        ]

    def __str__(self):
        return f"{self.meeting} § {self.number}"


class CachedPage(Timestamped):
    """A public page as an anonymous visitor got it, kept in the database so that
    every app server answers the next visitor from it (meetings/public/page_cache.py).
    Only what the views mark `Cache-Control: public` is kept, for that many seconds
    at most; a publication or correction clears them all."""

    key = models.CharField(max_length=600, unique=True)
    # Text, not bytes: PostgreSQL sends bytea as hex, twice the size, to be decoded.
    body = models.TextField()
    headers = models.JSONField(default=list)
    expires = models.DateTimeField(db_index=True)

    def __str__(self):
        return self.key


class Throttle(Timestamped):
    """How often one client did something costly (meetings/rules/throttle.py) in the
    current window: in the database, so that every worker and app server counts
    the same uses. Rows past their window are deleted by `manage.py daily`."""

    key = models.CharField(max_length=200, primary_key=True)
    uses = models.PositiveIntegerField(default=0)
    until = models.DateTimeField(db_index=True)

    def __str__(self):
        return self.key


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
    filename = models.CharField(_("file name"), max_length=255)
    file = models.FileField(_("file"), upload_to=legacy_upload_to)
    sha256 = models.CharField(_("SHA-256 of the file"), max_length=64)
    source_text = models.TextField(_("the text as read"))
    document = models.JSONField(_("the protocol as parsed and corrected"))
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


class OpenDataDeletion(Timestamped):
    """An object the open-data API (meetings/oparl) once offered and that is gone: a
    client that synchronises by `modified_since` must learn of it, so the API keeps
    answering its address with `"deleted": true` (OParl 1.1, "Gelöschte Objekte").
    Written by the delete signals in meetings/public/oparl/deletions.py, whatever path
    deletes the row (workspace, admin, a cascade). The row's `created` is the time
    of the deletion; `object_created` the object's own."""

    kind = models.CharField(max_length=30)
    object_id = models.CharField(max_length=60)
    organisation_id = models.PositiveIntegerField(null=True, db_index=True)
    # For what belongs to a meeting (an agenda item, a handling): the meeting stays in
    # the API as its kallelse was sent, with the item, until the next kallelse.
    meeting_id = models.PositiveIntegerField(null=True)
    object_created = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kind", "object_id"], name="open_data_deletion_once"),
        ]

    def __str__(self):
        return f"{self.kind} {self.object_id}"


class StoredFileFacts(Timestamped):
    """Size and SHA-512 of a stored file the public may download, measured once: the
    files behind the open-data API never change under their name (sealed PDFs,
    bilagor of a justerat protocol; a replaced file is stored under a new name), so a
    list page need not read them."""

    name = models.CharField(max_length=500, unique=True)
    size = models.PositiveBigIntegerField()
    sha512 = models.CharField(max_length=128)

    def __str__(self):
        return self.name
