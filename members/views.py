"""The organisation administrator's screens: the people of the organisation (add,
invite by e-mail) and the staff roles (who is secretary or administrator). Only
an administrator of that organisation; 403 for others in it, 404 for the world."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from members.accounts import InvitationError, invite
from members.models import Body, Organisation, Person, StaffRole
from members.permissions import organisations_of
from members.two_factor import private


def _organisation(request: HttpRequest, slug: str) -> Organisation:
    organisation = Organisation.objects.filter(slug=slug).first()
    if organisation is None:
        raise Http404
    if StaffRole.objects.filter(
        user=request.user, organisation=organisation, role=StaffRole.Role.ADMINISTRATOR
    ).exists():
        return organisation
    if organisations_of(request.user).filter(pk=organisation.pk).exists():
        raise PermissionDenied(_("Only an administrator of the organisation may do this."))
    raise Http404


class BodyForm(forms.ModelForm):
    class Meta:
        model = Body
        fields = ["name", "slug", "kind", "prepares_for"]

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.organisation = organisation
        self.fields["prepares_for"].queryset = organisation.bodies.order_by("name")

    def clean_slug(self):
        slug = self.cleaned_data["slug"]
        if self.instance.organisation.bodies.filter(slug=slug).exists():
            raise forms.ValidationError(_("The organisation already has a body with this address."))
        return slug


class PersonForm(forms.ModelForm):
    class Meta:
        model = Person
        fields = ["name", "title", "email"]


class StaffRoleForm(forms.Form):
    person = forms.ModelChoiceField(queryset=Person.objects.none(), label=_("Person"))
    role = forms.ChoiceField(choices=StaffRole.Role.choices, label=_("Role"))

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = organisation.people.order_by("name")
        self.fields["person"].help_text = _("Invite the person first if they have no account.")

    def clean_person(self):
        person = self.cleaned_data["person"]
        if not person.user_id:
            raise forms.ValidationError(_("%(name)s has no account yet: invite them first.")
                                        % {"name": person.name})  # fmt: skip
        return person


@private
def bodies(request: HttpRequest, org: str) -> HttpResponse:
    organisation = _organisation(request, org)
    form = BodyForm(request.POST or None, organisation=organisation)
    if request.method == "POST" and form.is_valid():
        body = form.save()
        messages.success(request, _("%(name)s is added.") % {"name": body.name})
        return redirect("organisation:bodies", org=organisation.slug)
    return render(
        request,
        "members/bodies.html",
        {
            "organisation": organisation,
            "form": form,
            "bodies": organisation.bodies.select_related("prepares_for").order_by("name"),
        },
        status=400 if form.errors else 200,
    )


@private
def people(request: HttpRequest, org: str) -> HttpResponse:
    organisation = _organisation(request, org)
    form = PersonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        person = form.save(commit=False)
        person.organisation = organisation
        person.save()
        messages.success(request, _("%(name)s is added.") % {"name": person.name})
        return redirect("organisation:people", org=organisation.slug)
    page = Paginator(organisation.people.select_related("user").order_by("name"), 50)
    return render(
        request,
        "members/people.html",
        {
            "organisation": organisation,
            "form": form,
            "page": page.get_page(request.GET.get("sida")),
        },
        status=400 if form.errors else 200,
    )


@private
@require_POST
def person_invite(request: HttpRequest, org: str, pk: int) -> HttpResponse:
    organisation = _organisation(request, org)
    person = get_object_or_404(Person, organisation=organisation, pk=pk)
    try:
        user = invite(person)
    except InvitationError as e:
        messages.error(request, str(e))
    else:
        messages.success(
            request,
            _("An invitation is sent to %(email)s (user name %(username)s).")
            % {"email": person.email, "username": user.username},
        )
    return redirect("organisation:people", org=organisation.slug)


@private
def staff_roles(request: HttpRequest, org: str) -> HttpResponse:
    organisation = _organisation(request, org)
    form = StaffRoleForm(request.POST or None, organisation=organisation)
    if request.method == "POST" and form.is_valid():
        StaffRole.objects.get_or_create(
            user=form.cleaned_data["person"].user,
            organisation=organisation,
            role=form.cleaned_data["role"],
        )
        messages.success(request, _("The role is given."))
        return redirect("organisation:staff_roles", org=organisation.slug)
    roles = StaffRole.objects.filter(organisation=organisation).select_related("user")
    return render(
        request,
        "members/staff_roles.html",
        {"organisation": organisation, "form": form, "roles": roles.order_by("user__username")},
        status=400 if form.errors else 200,
    )


@private
@require_POST
def staff_role_remove(request: HttpRequest, org: str, pk: int) -> HttpResponse:
    organisation = _organisation(request, org)
    role = get_object_or_404(StaffRole, organisation=organisation, pk=pk)
    if role.user_id == request.user.pk and role.role == StaffRole.Role.ADMINISTRATOR:
        messages.error(request, _("You cannot take away your own administrator role."))
    else:
        role.delete()
        messages.success(request, _("The role is taken away."))
    return redirect("organisation:staff_roles", org=organisation.slug)
