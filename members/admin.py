from django.contrib import admin
from django.db import models

from members.models import Body, Membership, Organisation, Party, Person, StaffRole


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


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
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
