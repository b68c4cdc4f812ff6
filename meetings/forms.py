"""Forms of the secretary's workspace. They validate and say what is wrong in
Swedish, next to the field; the services do the work."""

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from meetings.actions import followup
from meetings.models import Attendance, Bilaga, Decision, FollowUp, Handling, Meeting, Paragraph
from meetings.rules import uploads
from meetings.rules.masking import as_words, validate_masks
from members.models import Body, Person


def posted_text(data, name: str) -> str:
    """Free text posted without a form of its own (a comment, a reason, a
    correction), checked as a form's text field is: stripped, and refused with a
    ValidationError if it holds a NUL, which no database column can keep."""
    return forms.CharField(required=False).clean(data.get(name, ""))


def posted_id(data, name: str) -> int:
    """A row's id posted from a select; 0 (no row) for anything that is not one."""
    value = data.get(name, "")
    return int(value) if value.isdigit() and len(value) < 12 else 0


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, **kwargs):
        super().__init__(format="%H:%M", **kwargs)


class SharedChoicesMixin:
    """Many forms of one kind on a page offer the same options: evaluate each select's
    options once and give the list to every form, rather than one query per form.
    Validation still checks a submitted value against the field's queryset."""

    shared_fields: tuple[str, ...] = ()
    # Fields whose options are another's (e.g. present until § = present from §).
    same_choices_as: dict[str, str] = {}

    def share_choices(self, cache: dict | None) -> None:
        if cache is None:
            return
        for name in self.shared_fields:
            key = self.same_choices_as.get(name, name)
            if key not in cache:
                # A comprehension, not list(): list() asks the choices' length first,
                # which costs a COUNT query per field.
                cache[key] = [choice for choice in self.fields[name].choices]
            self.fields[name].choices = cache[key]


class MeetingForm(forms.ModelForm):
    co_secretary = forms.ModelChoiceField(
        label=capfirst(_("also minuting")),
        queryset=Person.objects.none(),
        required=False,
        help_text=_("A second person vid protokollet, if there is one."),
    )

    class Meta:
        model = Meeting
        fields = [
            "body",
            "date",
            "start_time",
            "end_time",
            "place",
            "is_remote",
            "chair",
            "secretary",
        ]
        widgets = {"date": DateInput(), "start_time": TimeInput(), "end_time": TimeInput()}
        labels = {"secretary": _("Minutes taken by")}
        help_texts = {"chair": _("The body's ordförande, unless someone else chairs this meeting.")}

    def __init__(self, *args, bodies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["body"].queryset = bodies
        self.fields["body"].label_from_instance = lambda body: (
            f"{body.name}, {body.organisation.name}"
        )
        people = Person.objects.filter(organisation__bodies__in=bodies).distinct().order_by("name")
        self.fields["secretary"].queryset = people
        self.fields["co_secretary"].queryset = people
        if self.instance.pk:
            # Who sits in the body (any term): the ordförande, or another member who
            # chairs this meeting.
            self.fields["chair"].queryset = (
                Person.objects.filter(memberships__body=self.instance.body_id)
                .distinct()
                .order_by("name")
            )
            self.fields["chair"].required = False  # planned before the body has one
        else:
            # A new meeting's chair is the body's ordförande that day (plan_meeting).
            del self.fields["chair"]
        if self.instance.pk:
            others = [c.person for c in self.instance.co_secretaries.all()]
            self.initial.setdefault("co_secretary", others[0] if others else None)

    def clean(self):
        cleaned = super().clean()
        # The times are the model's rule (Meeting.clean), checked by the ModelForm.
        other = cleaned.get("co_secretary")
        if other and other == cleaned.get("secretary"):
            self.add_error("co_secretary", gettext("Choose another person than the secretary."))
        return cleaned


class ItemForm(forms.Form):
    section = forms.ChoiceField(label=capfirst(_("section")), choices=Paragraph.Section.choices)
    title = forms.CharField(label=capfirst(_("title")), max_length=300)
    diarienummer = forms.CharField(label=capfirst(_("diarienummer")), max_length=50, required=False)


class ParagraphForm(forms.ModelForm):
    revision = forms.IntegerField(widget=forms.HiddenInput)

    class Meta:
        model = Paragraph
        fields = ["section", "title", "text", "diarienummer", "is_confidential", "public_title"]
        widgets = {"text": forms.Textarea(attrs={"rows": 10, "autofocus": True})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("title", "text"):
            self.fields[name].widget.attrs["data-maskable"] = gettext("Mask the selected text")


class DecisionForm(SharedChoicesMixin, forms.Form):
    """One decision of a paragraph; an empty kind means "no decision" (left out).
    Reservations (each with its motivation) and jäv are ticked among the voting
    participants."""

    shared_fields = ("proposed_to", "uppdrag_assignee")

    kind = forms.ChoiceField(
        label=capfirst(_("kind")),
        choices=[("", _("(no decision)")), *Decision.Kind.choices],
        required=False,
    )
    text = forms.CharField(
        label=capfirst(_("wording of the decision")),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        validators=[validate_masks],
    )
    proposed_to = forms.ModelChoiceField(
        label=capfirst(_("proposed to")), queryset=Body.objects.none(), required=False
    )
    votes_for = forms.IntegerField(label=capfirst(_("votes for")), min_value=0, required=False)
    votes_against = forms.IntegerField(
        label=capfirst(_("votes against")), min_value=0, required=False
    )
    votes_abstaining = forms.IntegerField(
        label=capfirst(_("abstaining")), min_value=0, required=False
    )
    vote_result = forms.CharField(
        label=capfirst(_("result of the vote")), required=False, validators=[validate_masks]
    )
    uppdrag = forms.CharField(
        label=capfirst(_("task (uppdrag)")), required=False, validators=[validate_masks]
    )
    uppdrag_assignee = forms.ModelChoiceField(
        label=capfirst(_("assigned to")), queryset=Person.objects.none(), required=False
    )
    uppdrag_due = forms.DateField(label=capfirst(_("due")), required=False, widget=DateInput())
    jav = forms.TypedMultipleChoiceField(
        label=capfirst(_("conflict of interest (jäv)")),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Those who took no part in the decision."),
    )

    def __init__(self, *args, bodies, people, participants, choices_cache=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["proposed_to"].queryset = bodies
        # All of one organisation: the body's own name says enough.
        self.fields["proposed_to"].label_from_instance = lambda body: body.name
        self.fields["uppdrag_assignee"].queryset = people
        self.participants = list(participants)
        self.fields["jav"].choices = [(p.pk, p.name) for p in self.participants]
        reserved = dict(self.initial.get("reservations") or ())
        for person in self.participants:
            self.fields[f"reserves_{person.pk}"] = forms.BooleanField(
                label=person.name, required=False, initial=person.pk in reserved
            )
            self.fields[f"motivation_{person.pk}"] = forms.CharField(
                label=_("Motivation of %(name)s") % {"name": person.name},
                required=False,
                initial=reserved.get(person.pk, ""),
                validators=[validate_masks],
            )
        self.fields["text"].widget.attrs["data-maskable"] = gettext("Mask the selected text")
        self.share_choices(choices_cache)

    def reservation_rows(self):
        """(person, tick, motivation) for the template: one row per voting participant."""
        return [
            (p, self[f"reserves_{p.pk}"], self[f"motivation_{p.pk}"]) for p in self.participants
        ]

    def clean(self):
        cleaned = super().clean()
        by_pk = {p.pk: p for p in self.participants}
        cleaned["reservations"] = [
            (p, cleaned.get(f"motivation_{p.pk}", "").strip())
            for p in self.participants
            if cleaned.get(f"reserves_{p.pk}")
        ]
        cleaned["jav"] = [by_pk[pk] for pk in cleaned.get("jav") or () if pk in by_pk]
        kind = cleaned.get("kind")
        if not kind:
            if cleaned.get("text", "").strip():
                self.add_error("kind", gettext("Choose the kind of decision."))
            return cleaned
        # The decision's own rules are the model's (Decision.clean and its fields);
        # a field the form already refused is not reported twice.
        decision = Decision(
            kind=kind,
            text=cleaned.get("text", "").strip(),
            # A body left chosen under another kind is dropped (services.write_decisions).
            proposed_to=cleaned.get("proposed_to") if kind == Decision.Kind.FORSLAG else None,
            votes_for=cleaned.get("votes_for"),
            votes_against=cleaned.get("votes_against"),
            votes_abstaining=cleaned.get("votes_abstaining"),
            vote_result=cleaned.get("vote_result", ""),
        )
        try:
            decision.full_clean(
                exclude=["paragraph"], validate_unique=False, validate_constraints=False
            )
        except forms.ValidationError as refused:
            for field, messages in refused.message_dict.items():
                if field not in self.errors:
                    self.add_error(field if field in self.fields else None, messages)
        return cleaned


class BaseDecisionFormSet(forms.BaseFormSet):
    def _construct_form(self, i, **kwargs):
        form = super()._construct_form(i, **kwargs)
        form.is_stored = i < self.initial_form_count()  # a saved decision: it can be removed
        return form

    def decisions(self) -> list[dict]:
        return [
            f.cleaned_data
            for f in self.forms
            if f.cleaned_data.get("kind") and not f.cleaned_data.get("DELETE")
        ]


DecisionFormSet = forms.formset_factory(
    DecisionForm, formset=BaseDecisionFormSet, extra=1, can_delete=True
)


class AttendanceForm(SharedChoicesMixin, forms.ModelForm):
    shared_fields = ("substitutes_for", "present_from", "present_until")
    same_choices_as = {"present_until": "present_from"}

    class Meta:
        model = Attendance
        fields = ["capacity", "substitutes_for", "role_title", "present_from", "present_until"]

    def __init__(self, *args, meeting, people, paragraphs, choices_cache=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.meeting = meeting
        self.fields["substitutes_for"].queryset = people
        self.fields["present_from"].queryset = paragraphs
        self.fields["present_until"].queryset = paragraphs
        for name in ("present_from", "present_until"):
            self.fields[name].label_from_instance = lambda p: p.sign
        self.share_choices(choices_cache)

    # The rules of a row (capacity, whom a deputy serves for, the § range) are the
    # model's (Attendance.clean), checked by the ModelForm with the field they concern.


class ParticipantForm(forms.Form):
    """Another participant (staff, a guest), added with the attendance's own save."""

    # The person's name is the register's (one line, never masked: it is shown as
    # written); the title is the protocol's and may mask words.
    name = forms.CharField(
        label=capfirst(_("name")),
        max_length=200,
        required=False,
        validators=Person._meta.get_field("name").validators,
    )
    role_title = forms.CharField(
        label=capfirst(pgettext_lazy("a person's", "title")),
        max_length=200,
        required=False,
        validators=[validate_masks],
    )


class BilagaFields(forms.Form):
    """What the secretary says of a bilaga, attached or edited; the file is checked by
    its content (meetings/rules/uploads.py)."""

    title = forms.CharField(label=capfirst(_("title")), max_length=300)
    file = forms.FileField(label=capfirst(_("file")))
    is_public = forms.BooleanField(
        label=capfirst(_("public")),
        required=False,
        initial=True,
        help_text=_("The public may open the file. Never for a confidential paragraph."),
    )
    title_is_public = forms.BooleanField(
        label=capfirst(_("show the bilaga’s title in public")),
        required=False,
        help_text=_("For a bilaga that is not public: the public version may show its title."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = gettext(
            "PDF, Word, Excel, PNG or JPEG, at most %(size)s."
        ) % {"size": filesizeformat(settings.BILAGA_MAX_BYTES)}

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload is None:  # editing: keep the file there is
            return upload
        if upload.size > settings.BILAGA_MAX_BYTES:
            raise forms.ValidationError(
                gettext("The file is %(size)s; the largest allowed is %(max)s.")
                % {
                    "size": filesizeformat(upload.size),
                    "max": filesizeformat(settings.BILAGA_MAX_BYTES),
                }
            )
        kind = uploads.detect_kind(upload)
        if kind is None:
            raise forms.ValidationError(
                gettext(
                    "The file's content is not a PDF, Word, Excel, PNG or JPEG file, "
                    "whatever its name says."
                )
            )
        if uploads.ending(upload.name) not in uploads.KINDS[kind]:
            raise forms.ValidationError(
                gettext(
                    "The file's name ends in %(ending)s but its content is of another kind "
                    "(%(kind)s). Save it with the right ending and try again."
                )
                % {"ending": uploads.ending(upload.name) or "–", "kind": kind.upper()}
            )
        return upload

    def check_rules(self, paragraph: Paragraph) -> None:
        try:  # the rules of a bilaga are the model's
            Bilaga(
                meeting_id=paragraph.meeting_id,
                paragraph=paragraph,
                is_public=self.cleaned_data.get("is_public", False),
            ).clean()
        except forms.ValidationError as e:
            self.add_error(None, e)


class BilagaForm(BilagaFields):
    """A file attached to a paragraph as the protocol's next bilaga."""

    paragraph = forms.ModelChoiceField(
        label=capfirst(_("paragraph")), queryset=Paragraph.objects.none()
    )
    field_order = ["paragraph", "title", "file", "is_public", "title_is_public"]

    def __init__(self, *args, paragraphs, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["paragraph"].queryset = paragraphs
        self.fields["paragraph"].label_from_instance = lambda p: f"{p.sign} {as_words(p.title)}"
        chosen = self.initial.get("paragraph")
        if isinstance(chosen, Paragraph) and chosen.is_confidential:
            self.initial["is_public"] = False  # "Offentlig" is off for a confidential §

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("paragraph"):
            self.check_rules(cleaned["paragraph"])
        return cleaned


class BilagaEditForm(BilagaFields):
    """A bilaga's title and public flags changed, or its file replaced."""

    def __init__(self, *args, bilaga: Bilaga, **kwargs):
        kwargs.setdefault(
            "initial",
            {
                "title": bilaga.title,
                "is_public": bilaga.is_public,
                "title_is_public": bilaga.title_is_public,
            },
        )
        super().__init__(*args, **kwargs)
        self.bilaga = bilaga
        self.fields["file"].required = False
        self.fields["file"].label = capfirst(_("replace the file with"))

    def clean(self):
        cleaned = super().clean()
        self.check_rules(self.bilaga.paragraph)
        return cleaned


class HandlingForm(BilagaFields):
    """A document for the members to read before the meeting, on an agenda item."""

    paragraph = forms.ModelChoiceField(
        label=capfirst(_("agenda item")), queryset=Paragraph.objects.none()
    )
    field_order = ["paragraph", "title", "file", "is_public"]

    def __init__(self, *args, paragraphs, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["title_is_public"]
        self.fields["is_public"].help_text = _(
            "The public may open the file once the kallelse is sent. Never for a confidential item."
        )
        self.fields["paragraph"].queryset = paragraphs
        self.fields["paragraph"].label_from_instance = lambda p: (
            f"{p.sign} {as_words(p.title)}" if p.number else as_words(p.title)
        )
        chosen = self.initial.get("paragraph")
        if isinstance(chosen, Paragraph) and chosen.is_confidential:
            self.initial["is_public"] = False

    def clean(self):
        cleaned = super().clean()
        paragraph = cleaned.get("paragraph")
        if paragraph:
            try:  # the rules of a handling are the model's
                Handling(
                    meeting_id=paragraph.meeting_id,
                    paragraph=paragraph,
                    is_public=cleaned.get("is_public", False),
                ).clean()
            except forms.ValidationError as e:
                self.add_error(None, e)
        return cleaned


class JusteringForm(forms.Form):
    justerare = forms.ModelMultipleChoiceField(
        label=capfirst(_("justerare")),
        queryset=Person.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Besides the chair; chosen among the voting members present."),
    )
    deadline = forms.DateField(label=capfirst(_("to be justerat by")), widget=DateInput())

    def __init__(self, *args, meeting, eligible, **kwargs):
        super().__init__(*args, **kwargs)
        self.meeting = meeting
        self.fields["justerare"].queryset = eligible

    def clean_deadline(self):
        deadline = self.cleaned_data["deadline"]
        if deadline < self.meeting.date:
            raise forms.ValidationError(gettext("The deadline cannot be before the meeting."))
        if deadline < timezone.localdate():
            raise forms.ValidationError(
                gettext("The deadline has passed already: choose today or a later day.")
            )
        return deadline


class FollowUpForm(forms.Form):
    """How an uppdrag stands (meetings/actions/followup.py)."""

    status = forms.ChoiceField(label=_("Status"), choices=FollowUp.Status.choices)
    note = forms.CharField(
        label=_("Note (what has been done)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    as_of = forms.DateField(
        label=_("Status as of (date)"),
        required=False,
        help_text=_("Empty: today."),
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    @classmethod
    def of(cls, current: FollowUp | None, data=None, **kwargs) -> "FollowUpForm":
        """The form for an uppdrag's follow-up as it stands (`current`, None before
        the first), bound to `data` when posted."""
        initial = {"status": current.status, "note": current.note} if current else None
        return cls(data, initial=initial, **kwargs)

    def record(self, uppdrag, *, by) -> bool:
        """Records what was posted through followup.record (the secretary's page and
        the assignee's alike); a refusal becomes the form's error. Returns whether it
        was recorded."""
        if not self.is_valid():
            return False
        try:
            followup.record(
                uppdrag,
                status=self.cleaned_data["status"],
                note=self.cleaned_data["note"],
                as_of=self.cleaned_data["as_of"],
                by=by,
            )
        except followup.FollowUpError as e:
            self.add_error(None, str(e))
            return False
        return True
