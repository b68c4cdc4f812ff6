"""The forms of the organisation administrator's screens (members/views.py): bodies,
people, staff roles, seats and a new mandatperiod. The rules they check are the
models' (full_clean); a form adds only what a screen asks."""

from django import forms
from django.utils.translation import gettext as _

from members.models import Body, Membership, Person, StaffRole


def _choices(form: forms.BaseForm, name: str) -> forms.ModelChoiceField:
    """The form's field of a foreign key (a ModelChoiceField), whose choices a
    screen narrows to its organisation."""
    field = form.fields[name]
    assert isinstance(field, forms.ModelChoiceField)
    return field


class BodyForm(forms.ModelForm):
    class Meta:
        model = Body
        fields = ["name", "slug", "kind", "prepares_for"]

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.organisation = organisation
        _choices(self, "prepares_for").queryset = organisation.bodies.order_by("name")

    def clean_slug(self):
        slug = self.cleaned_data["slug"]
        if self.instance.organisation.bodies.filter(slug=slug).exists():
            raise forms.ValidationError(_("The organisation already has a body with this address."))
        return slug


class PersonForm(forms.ModelForm):
    class Meta:
        model = Person
        fields = ["name", "title", "email", "phone"]


class StaffRoleForm(forms.Form):
    person = forms.ModelChoiceField(queryset=Person.objects.none(), label=_("Person"))
    role = forms.ChoiceField(choices=StaffRole.Role.choices, label=_("Role"))

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        _choices(self, "person").queryset = organisation.people.order_by("name")
        self.fields["person"].help_text = _("Invite the person first if they have no account.")
        # The role given most often, and the lesser one: no one becomes an
        # administrator by leaving the list as it was (issue 29, 15).
        self.fields["role"].initial = StaffRole.Role.SEKRETERARE

    def clean_person(self):
        person = self.cleaned_data["person"]
        if not person.user_id:
            raise forms.ValidationError(
                _("%(name)s has no account yet: invite them first.") % {"name": person.name}
            )
        return person


class MembershipForm(forms.ModelForm):
    class Meta:
        model = Membership
        fields = ["person", "role", "party", "start", "end"]
        widgets = {
            "start": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "end": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def __init__(self, *args, body, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.body = body
        _choices(self, "person").queryset = body.organisation.people.order_by("name")
        _choices(self, "party").queryset = body.organisation.parties.order_by("name")
        self.fields["end"].help_text = _("The last day of the term; empty while it lasts.")


class NewTermForm(forms.Form):
    start = forms.DateField(
        label=_("The new term starts"), widget=forms.DateInput(attrs={"type": "date"})
    )
    end = forms.DateField(
        label=_("and ends"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
