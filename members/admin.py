from django import forms
from django.contrib import admin
from django.db import models
from django.utils.translation import gettext_lazy as _

from members import identity
from members.models import (
    Body,
    IdentityProvider,
    Membership,
    Organisation,
    Party,
    Person,
    StaffRole,
)


class PartyInline(admin.TabularInline):
    model = Party
    extra = 0


class BodyInline(admin.TabularInline):
    model = Body
    extra = 0
    fields = ["name", "slug", "kind", "prepares_for"]
    prepopulated_fields = {"slug": ["name"]}


class StaffRoleInline(admin.TabularInline):
    model = StaffRole
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "organisation_number", "slug"]
    search_fields = ["name", "organisation_number"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [PartyInline, BodyInline, StaffRoleInline]
    # A förbund's website is on https; Django 6 makes this the default.
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    fields = ["body", "role", "party", "start", "end"]


@admin.register(Body)
class BodyAdmin(admin.ModelAdmin):
    list_display = ["name", "organisation", "kind", "prepares_for"]
    list_filter = ["kind", "organisation"]
    list_select_related = ["organisation", "prepares_for"]
    search_fields = ["name", "organisation__name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Party)
class PartyAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "organisation"]
    list_filter = ["kind", "organisation"]
    list_select_related = ["organisation"]
    search_fields = ["name"]


class PersonForm(forms.ModelForm):
    """The personal identity number is written here and kept only as its keyed hash
    (members/identity.py): the field is empty whenever the page opens."""

    personnummer = forms.CharField(
        label=_("personal identity number"),
        required=False,
        help_text=_(
            "For signing in and justering with e-legitimation. Kept only as a keyed hash; "
            "never shown. Empty: the one kept stays; “-” removes it."
        ),
    )

    class Meta:
        model = Person
        fields = ["organisation", "name", "title", "email", "phone", "user"]

    def clean_personnummer(self):
        value = self.cleaned_data["personnummer"].strip()
        if value and value != "-" and identity.normalised_personnummer(value) is None:
            raise forms.ValidationError(
                _("That is not a personal identity number (ÅÅÅÅMMDD-NNNN).")
            )
        return value

    def save(self, commit=True):
        value = self.cleaned_data.get("personnummer", "")
        if value == "-":
            self.instance.personnummer_hash = ""
        elif value:
            self.instance.personnummer_hash = identity.personnummer_hash(value)
        return super().save(commit)


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    form = PersonForm
    list_display = ["name", "title", "organisation", "user"]
    list_filter = ["organisation"]
    list_select_related = ["organisation", "user"]
    search_fields = ["name", "email"]
    autocomplete_fields = ["user"]
    inlines = [MembershipInline]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["person", "body", "role", "party", "start", "end"]
    list_filter = ["role", "body__organisation", "body"]
    list_select_related = ["person", "body__organisation", "party"]
    search_fields = ["person__name"]


@admin.register(StaffRole)
class StaffRoleAdmin(admin.ModelAdmin):
    list_display = ["user", "organisation", "role"]
    list_filter = ["role", "organisation"]
    list_select_related = ["user", "organisation"]
    autocomplete_fields = ["user"]


class IdentityProviderForm(forms.ModelForm):
    issuer = forms.URLField(
        label=IdentityProvider._meta.get_field("issuer").verbose_name,
        help_text=IdentityProvider._meta.get_field("issuer").help_text,
        assume_scheme="https",
    )

    class Meta:
        model = IdentityProvider
        fields = [
            "organisation", "purpose", "name", "issuer", "client_id", "client_secret",
            "scopes", "acr", "match_by", "claim", "required_for_justering", "active",
        ]  # fmt: skip
        # The secret is written, never shown again; empty keeps the one stored.
        widgets = {"client_secret": forms.PasswordInput(render_value=False)}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["client_secret"].required = False

    def clean_client_secret(self):
        return self.cleaned_data["client_secret"] or self.instance.client_secret


@admin.register(IdentityProvider)
class IdentityProviderAdmin(admin.ModelAdmin):
    """An organisation's OpenID provider (docs/identity.md); its administrator tests
    it from the workspace ("Testa inloggningen")."""

    form = IdentityProviderForm
    list_display = ["name", "organisation", "purpose", "issuer", "required_for_justering", "active"]
    list_filter = ["purpose", "active", "organisation"]
    list_select_related = ["organisation"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
