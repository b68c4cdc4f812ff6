"""The meeting and its protocol: what every other model of meetings builds on.

A Meeting, its status and the table of its moves (STATUS_MOVES); the rows the
protocol is written in: who keeps it (CoSecretary) and who justerar it
(Justerare), its paragraphs (§), the attendance, and each decision with its
uppdrag, reservations and jäv. An agenda item and the protocol's paragraph are one
row (Paragraph): the item is planned with a position, gets its § number through
`meetings.rules.numbering`, and is then written up with text and decisions.

Also the two abstract bases of the other modules' rows and the protocol's lock:
PartOfProtocol (a row refused once the protocol is justerat), ArchiveRecord (a row
of frozen.APPEND_ONLY's tables), lock_protocol, unchangeable_reason and the errors
they raise. They are here, beside Meeting, because they read it; every other
module of the package imports from this one and this one from none of them.

State changes go through the verbs (meetings.actions); these models only hold
data and the constraints the database can enforce.
"""

import datetime
import re
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from meetings.rules import frozen
from meetings.rules.masking import validate_masks
from meetings.rules.signals import status_changed
from members.models import Body, Party, Person, Timestamped, no_masks_validator

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
            # By the relation: AuditEvent is in meetings.models.archive, which imports
            # this module (the same row as AuditEvent.objects.create(meeting=self, …)).
            self.audit_events.create(user=by, action=action, content_hash=version, details=details)
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


_DNR_LABEL = re.compile(r"^\s*(?:dnr|diarienummer|diarienr)\.?\s*:?\s*", re.IGNORECASE)


def diarienummer_key(text: str) -> str:
    """The diarienummer as the matter is found by: "Dnr SF 2023/14", "sf 2023/14"
    and "SF2023/14" are one matter."""
    return re.sub(r"\s+", "", _DNR_LABEL.sub("", text or "")).upper()


def as_written(text: str) -> str:
    """The diarienummer without its label and with single spaces: "SF 2023/14"."""
    return re.sub(r"\s+", " ", _DNR_LABEL.sub("", text or "")).strip()


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
        # The protocol prints "Dnr" before it: "Dnr SF 2026/3" typed is "SF 2026/3".
        self.diarienummer = as_written(self.diarienummer)
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
