"""Admin for entering and correcting protocols by hand.

§ numbers are never typed: they are given by the numbering service (the action
"Give the paragraphs their § numbers"), and a numbered paragraph cannot be deleted,
only struck, so that its number is never reused. Choices of people, parties, bodies
and paragraphs are limited to the meeting's own organisation.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from meetings.models import (
    Approval,
    ArchivedProtocol,
    Attendance,
    AuditEvent,
    Bilaga,
    Comment,
    Decision,
    Jav,
    Justerare,
    Kallelse,
    Meeting,
    Paragraph,
    Rattelse,
    Reservation,
    Uppdrag,
)
from meetings.rules import frozen, numbering
from members.models import Body, Party, Person


def limit_choices(form: forms.ModelForm, meeting: Meeting | None) -> None:
    """Offer only the people, parties, bodies and paragraphs of the meeting's organisation."""
    if meeting is None or not meeting.pk:
        return
    organisation_id = meeting.body.organisation_id
    for field in form.fields.values():
        queryset = getattr(field, "queryset", None)
        if queryset is None:
            continue
        if queryset.model in (Person, Party, Body):
            field.queryset = queryset.filter(organisation_id=organisation_id)
        elif queryset.model is Paragraph:
            field.queryset = queryset.filter(body__organisation_id=organisation_id)


def _frozen(obj) -> bool:
    """Whether `obj` is (part of) a justerat protocol."""
    if obj is None:
        return False
    if isinstance(obj, Meeting):
        return obj.is_frozen
    if hasattr(obj, "protocol_meeting_id"):
        meeting_id = obj.protocol_meeting_id()
        return Meeting.objects.filter(frozen.is_frozen(), pk=meeting_id).exists()
    return False


class FrozenIsReadOnly:
    """A justerat protocol can be looked at in the admin, never changed or deleted."""

    def has_change_permission(self, request, obj=None):
        return not _frozen(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not _frozen(obj) and super().has_delete_permission(request, obj)


def _meeting_of(parent) -> Meeting | None:
    if parent is None or not parent.pk:
        return None
    if isinstance(parent, Decision):
        return parent.paragraph.meeting
    if isinstance(parent, Paragraph):
        return parent.meeting
    return parent


class LimitedChoicesForm(forms.ModelForm):
    """An inline form whose choices are limited to its parent's meeting and organisation."""

    def __init__(self, *args, parent=None, **kwargs):
        super().__init__(*args, **kwargs)
        meeting = _meeting_of(parent)
        limit_choices(self, meeting)
        for name in ("present_from", "present_until", "paragraph"):
            if name in self.fields and meeting is not None:
                self.fields[name].queryset = self.fields[name].queryset.filter(meeting=meeting)


class ParentAwareFormSet(forms.BaseInlineFormSet):
    """Hands the parent object (meeting, paragraph or decision) to each form."""

    def get_form_kwargs(self, index):
        return {**super().get_form_kwargs(index), "parent": self.instance}


class ParagraphFormSet(ParentAwareFormSet):
    def clean(self):
        super().clean()
        for form in self.deleted_forms:
            if form.instance.pk and form.instance.number is not None:
                raise ValidationError(
                    gettext("%(sign)s has its number; strike it instead of deleting it.")
                    % {"sign": form.instance.sign}
                )


class FrozenInline(FrozenIsReadOnly):
    """Inlines of a justerat protocol (obj is the parent): nothing added either."""

    def has_add_permission(self, request, obj=None):
        return not _frozen(obj) and super().has_add_permission(request, obj)


class JustererareInline(FrozenInline, admin.TabularInline):
    model = Justerare
    form = LimitedChoicesForm
    formset = ParentAwareFormSet
    extra = 0


class AttendanceInline(FrozenInline, admin.TabularInline):
    model = Attendance
    form = LimitedChoicesForm
    formset = ParentAwareFormSet
    extra = 0
    fields = [
        "order",
        "person",
        "capacity",
        "party",
        "role_title",
        "substitutes_for",
        "present_from",
        "present_until",
    ]


class ParagraphInline(FrozenInline, admin.TabularInline):
    model = Paragraph
    form = LimitedChoicesForm
    formset = ParagraphFormSet
    extra = 0
    fields = ["position", "number", "section", "title", "is_struck"]
    readonly_fields = ["number"]
    show_change_link = True


class BilagaInline(FrozenInline, admin.TabularInline):
    model = Bilaga
    form = LimitedChoicesForm
    formset = ParentAwareFormSet
    extra = 0
    fields = ["number", "title", "paragraph", "file", "filename", "is_public"]


@admin.register(Meeting)
class MeetingAdmin(FrozenIsReadOnly, admin.ModelAdmin):
    list_display = ["__str__", "date", "body", "status"]
    list_filter = ["status", "body__organisation", "body"]
    list_select_related = ["body__organisation"]
    date_hierarchy = "date"
    search_fields = ["body__name", "place"]
    inlines = [JustererareInline, ParagraphInline, AttendanceInline, BilagaInline]
    actions = ["give_numbers"]

    def get_readonly_fields(self, request, obj=None):
        # The status moves only through the verbs (Meeting.move_to), never by hand.
        fields = list(super().get_readonly_fields(request, obj))
        return fields if "status" in fields else [*fields, "status"]

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)

        class LimitedForm(form):
            def __init__(self, *args, **kw):
                super().__init__(*args, **kw)
                limit_choices(self, obj)

            def clean(self):
                cleaned = super().clean()
                date, start = cleaned.get("date"), cleaned.get("start_time")
                if obj is not None and date and start:
                    try:
                        numbering.refuse_move(obj, date, start)
                    except numbering.NumberingError as e:
                        self.add_error("date", str(e))
                return cleaned

        return LimitedForm

    @admin.action(description=_("Give the paragraphs their § numbers"))
    def give_numbers(self, request, queryset):
        for meeting in queryset.select_related("body"):
            try:
                paragraphs = numbering.number_paragraphs(meeting)
            except numbering.NumberingError as e:
                self.message_user(request, f"{meeting}: {e}", messages.ERROR)
                continue
            if paragraphs:
                self.message_user(
                    request,
                    gettext("%(meeting)s: § %(first)s–%(last)s.")
                    % {
                        "meeting": meeting,
                        "first": paragraphs[0].number,
                        "last": paragraphs[-1].number,
                    },
                )


class DecisionInline(FrozenInline, admin.StackedInline):
    model = Decision
    form = LimitedChoicesForm
    formset = ParentAwareFormSet
    extra = 0
    show_change_link = True


@admin.register(Paragraph)
class ParagraphAdmin(FrozenIsReadOnly, admin.ModelAdmin):
    list_display = ["__str__", "meeting", "section", "is_confidential", "is_struck"]
    list_filter = ["section", "is_confidential", "body__organisation", "body", "year"]
    list_select_related = ["meeting__body"]
    search_fields = ["title", "text", "diarienummer"]
    readonly_fields = ["number"]
    raw_id_fields = ["meeting", "responds_to"]
    inlines = [DecisionInline]

    def has_delete_permission(self, request, obj=None):
        # A numbered paragraph is struck, never deleted: its number must not be reused.
        if obj is not None and obj.number is not None:
            return False
        return super().has_delete_permission(request, obj)


class UppdragInline(FrozenInline, admin.TabularInline):
    model = Uppdrag
    form = LimitedChoicesForm
    formset = ParentAwareFormSet
    extra = 0


class ReservationInline(FrozenInline, admin.TabularInline):
    model = Reservation
    form = LimitedChoicesForm
    formset = ParentAwareFormSet
    extra = 0


class JavInline(FrozenInline, admin.TabularInline):
    model = Jav
    form = LimitedChoicesForm
    formset = ParentAwareFormSet
    extra = 0


@admin.register(Decision)
class DecisionAdmin(FrozenIsReadOnly, admin.ModelAdmin):
    list_display = ["__str__", "kind", "paragraph"]
    list_filter = ["kind"]
    list_select_related = ["paragraph__meeting__body"]
    raw_id_fields = ["paragraph"]
    inlines = [UppdragInline, ReservationInline, JavInline]


class ProtocolPartAdmin(FrozenIsReadOnly, admin.ModelAdmin):
    list_select_related = True


for model in (Attendance, Bilaga, Justerare, Uppdrag, Reservation, Jav):
    admin.site.register(model, ProtocolPartAdmin)


class RecordAdmin(admin.ModelAdmin):
    """The record of what happened (approvals, comments, the archive, the audit log,
    kallelser sent) is written by the services and only read here."""

    list_select_related = True

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


for model in (Approval, Comment, ArchivedProtocol, AuditEvent, Kallelse, Rattelse):
    admin.site.register(model, RecordAdmin)
