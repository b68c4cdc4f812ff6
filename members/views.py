"""The organisation administrator's screens: the people of the organisation (add,
invite by e-mail) and the staff roles (who is secretary or administrator). Only
an administrator of that organisation; 403 for others in it, 404 for the world."""

import datetime

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from members import identity, identity_views, mandates
from members.accounts import InvitationError, invite
from members.forms import BodyForm, MembershipForm, NewTermForm, PersonForm, StaffRoleForm
from members.models import Body, Membership, Organisation, Person, StaffRole, account_names
from members.permissions import administered_organisations, organisations_of
from members.two_factor import private


def _organisation(request: HttpRequest, slug: str) -> Organisation:
    organisation = Organisation.objects.filter(slug=slug).first()
    if organisation is None:
        raise Http404
    if administered_organisations(request.user).filter(pk=organisation.pk).exists():
        return organisation
    if organisations_of(request.user).filter(pk=organisation.pk).exists():
        raise PermissionDenied(_("Only an administrator of the organisation may do this."))
    raise Http404


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
    held = list(StaffRole.objects.filter(organisation=organisation).select_related("user"))
    names = account_names({role.user for role in held}, organisation)
    roles = sorted(
        ((names[role.user_id], role) for role in held),
        key=lambda named: (named[0].casefold(), named[1].role),
    )
    return render(
        request,
        "members/staff_roles.html",
        {"organisation": organisation, "form": form, "roles": roles},
        status=400 if form.errors else 200,
    )


@private
def staff_role_remove(request: HttpRequest, org: str, pk: int) -> HttpResponse:
    """Ask first; then take the role away (never one's own administrator role)."""
    organisation = _organisation(request, org)
    role = get_object_or_404(
        StaffRole.objects.select_related("user"), organisation=organisation, pk=pk
    )
    own = role.user_id == request.user.pk and role.role == StaffRole.Role.ADMINISTRATOR
    if own:
        messages.error(request, _("You cannot take away your own administrator role."))
    elif request.method == "POST":
        role.delete()
        messages.success(request, _("The role is taken away."))
    else:
        name = account_names([role.user], organisation)[role.user_id]
        return render(
            request,
            "members/staff_role_remove.html",
            {"organisation": organisation, "role": role, "name": name},
        )
    return redirect("organisation:staff_roles", org=organisation.slug)


class ChoosePasswordView(auth_views.PasswordResetConfirmView):
    """The link of an invitation or a reset: the password chosen, the person is
    logged in and on their start page (staff pass the second step first: the
    two-factor middleware asks it), not sent to log in once more (issue 29, 15)."""

    post_reset_login = True
    # The account's own backend: the login follows a proven link, not a guess that
    # django-axes would count.
    post_reset_login_backend = "django.contrib.auth.backends.ModelBackend"
    success_url = reverse_lazy("start")

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(self.request, _("Your password is saved and you are logged in."))
        return response


def _body(organisation: Organisation, slug: str) -> Body:
    return get_object_or_404(Body, organisation=organisation, slug=slug)


def _day(request: HttpRequest) -> datetime.date:
    try:
        return datetime.date.fromisoformat(request.GET.get("dag", ""))
    except ValueError:
        return timezone.localdate()


@private
def memberships(request: HttpRequest, org: str, body: str) -> HttpResponse:
    """The body's members and deputies on a day (?dag=), by party, with their terms;
    a membership added; a new mandatperiod begun."""
    organisation = _organisation(request, org)
    the_body = _body(organisation, body)
    day = _day(request)
    form = MembershipForm(
        request.POST or None, body=the_body, prefix="seat", initial={"start": day}
    )
    term = NewTermForm(prefix="term")
    if request.method == "POST" and "seat-person" in request.POST and form.is_valid():
        mandates.save_membership(form.save(commit=False))
        messages.success(request, _("The membership is saved."))
        return redirect("organisation:memberships", org=organisation.slug, body=the_body.slug)
    return render(
        request,
        "members/memberships.html",
        {
            "organisation": organisation,
            "body": the_body,
            "day": day,
            "seats": mandates.seats_on(the_body, day),
            "form": form,
            "term": term,
            "later": Membership.objects.filter(body=the_body, start__gt=day)
            .select_related("person", "party")
            .order_by("start", "person__name"),
        },
        status=400 if form.errors else 200,
    )


@private
def membership_edit(request: HttpRequest, org: str, body: str, pk: int) -> HttpResponse:
    organisation = _organisation(request, org)
    the_body = _body(organisation, body)
    seat = get_object_or_404(Membership, body=the_body, pk=pk)
    form = MembershipForm(request.POST or None, instance=seat, body=the_body)
    if request.method == "POST" and form.is_valid():
        mandates.save_membership(form.save(commit=False))
        messages.success(request, _("The membership is saved."))
        return redirect("organisation:memberships", org=organisation.slug, body=the_body.slug)
    return render(
        request,
        "members/membership_form.html",
        {"organisation": organisation, "body": the_body, "seat": seat, "form": form},
        status=400 if form.errors else 200,
    )


@private
@require_POST
def new_term(request: HttpRequest, org: str, body: str) -> HttpResponse:
    organisation = _organisation(request, org)
    the_body = _body(organisation, body)
    form = NewTermForm(request.POST, prefix="term")
    if not form.is_valid():
        messages.error(request, _("Give the day the new term starts."))
    else:
        try:
            made = mandates.new_term(
                the_body, start=form.cleaned_data["start"], end=form.cleaned_data["end"]
            )
        except mandates.MandateError as e:
            messages.error(request, str(e))
        else:
            messages.success(
                request,
                _("%(count)s seats are carried over to the new term; change those that change.")
                % {"count": len(made)},
            )
            return redirect(
                f"{request.path.rsplit('ny-mandatperiod/', 1)[0]}?dag="
                f"{form.cleaned_data['start']:%Y-%m-%d}"
            )
    return redirect("organisation:memberships", org=organisation.slug, body=the_body.slug)


@private
def identity_providers(request: HttpRequest, org: str) -> HttpResponse:
    """How the organisation's people sign in: its identity providers, each to test."""
    organisation = _organisation(request, org)
    return render(
        request,
        "members/identity_providers.html",
        {"organisation": organisation, "providers": organisation.identity_providers.all()},
    )


@private
@require_POST
def identity_test(request: HttpRequest, org: str, pk: int) -> HttpResponse:
    """ "Testa inloggningen": the administrator signs in with the provider; what it
    confirmed is shown (members/identity_views.py), nobody is signed in by it."""
    organisation = _organisation(request, org)
    provider = get_object_or_404(organisation.identity_providers, pk=pk)
    try:
        url = identity.begin(
            request,
            provider,
            purpose=identity_views.PURPOSE_TEST,
            then="",
            step_up={"test": provider.pk} if provider.required_for_justering else None,
        )
    except identity.SignInRefused as e:
        messages.error(request, str(e))
        return redirect("organisation:identity", org=organisation.slug)
    return identity_views.send_on(request, url)
