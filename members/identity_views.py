"""Signing in through an organisation's identity provider, the answer coming back
from it, and an administrator's test of the configuration (members/identity.py
does the protocol; these pages only say what came of it)."""

import datetime

from django.contrib import messages
from django.contrib.auth import login
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme

from members import identity
from members.models import IdentityProvider
from members.permissions import administered_organisations
from members.two_factor import SIGNED_IN_WITH_MFA

PURPOSE_SIGN_IN, PURPOSE_TEST, PURPOSE_STEP_UP = "sign-in", "test", "step-up"


def _safe(request: HttpRequest, url: str) -> str:
    ok = url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return url if url and ok else reverse("home")


def _refused(request: HttpRequest, message: str, *, status: int = 403) -> HttpResponse:
    return render(request, "members/identity_refused.html", {"message": message}, status=status)


def sign_in(request: HttpRequest, pk: int) -> HttpResponse:
    """Off to the organisation's identity provider, and back to `next`."""
    provider = get_object_or_404(
        IdentityProvider, pk=pk, active=True, purpose=IdentityProvider.Purpose.SIGN_IN
    )
    try:
        url = identity.begin(
            request,
            provider,
            purpose=PURPOSE_SIGN_IN,
            then=_safe(request, request.GET.get("next", "")),
        )
    except identity.SignInRefused as e:  # (the provider cannot be reached)
        messages.error(request, str(e))
        return redirect("login")
    return redirect(url)


def callback(request: HttpRequest) -> HttpResponse:
    """What the identity provider sent back: verified, then used as it was begun."""
    try:
        verified = identity.complete(request)
    except identity.SignInRefused as e:
        return _refused(request, str(e))
    if verified.purpose == PURPOSE_TEST:
        return _tested(request, verified)
    if verified.purpose == PURPOSE_STEP_UP:
        # For the page that asked (a justering): it takes it once, within minutes.
        request.session[identity.VERIFIED] = {
            "provider": verified.provider.pk,
            "claims": verified.claims,
            "id_token": verified.id_token,
            "step_up": verified.step_up,
            "at": timezone.now().timestamp(),
        }
        return redirect(_safe(request, verified.then))
    person = identity.person_for(verified.provider, verified.claims)
    user = person.user if person else None
    if user is None or not user.is_active:
        return render(
            request,
            "members/identity_unknown.html",
            {"provider": verified.provider},
            status=403,
        )
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    request.session[identity.SIGNED_IN_WITH] = verified.provider.pk
    request.session[identity.ID_TOKEN] = verified.id_token
    amr = verified.claims.get("amr") or []
    if "mfa" in amr or (identity.level(verified.claims.get("acr")) or 0) >= 3:
        request.session[SIGNED_IN_WITH_MFA] = True
    return redirect(_safe(request, verified.then))


def _tested(request: HttpRequest, verified: identity.Verified) -> HttpResponse:
    organisations = administered_organisations(request.user)
    if not organisations.filter(pk=verified.provider.organisation_id).exists():
        raise Http404
    person = identity.person_for(verified.provider, verified.claims)
    at = verified.claims.get("auth_time")
    return render(
        request,
        "members/identity_tested.html",
        {
            "provider": verified.provider,
            "issuer": verified.claims.get("iss"),
            "acr": verified.claims.get("acr") or "",
            "reaches": identity.reaches(verified.claims.get("acr"), verified.provider.acr),
            "authenticated_at": datetime.datetime.fromtimestamp(at, datetime.UTC) if at else None,
            "claims": sorted(verified.claims),  # their names only: a number is never shown
            "has_claim": bool(verified.claims.get(verified.provider.claim)),
            "person": person,
        },
    )


def send_on(request: HttpRequest, url: str) -> HttpResponse:
    """After a form (a justering's approval, a test): the way to the provider goes
    through a page of our own, since the site's CSP (form-action 'self') rightly
    stops a form's answer from redirecting to another site, and a broker's way on
    (to BankID, to Freja) crosses several."""
    request.session[identity.GO] = url
    return redirect("identity_go")


def go(request: HttpRequest) -> HttpResponse:
    """The page that sends the browser on to the provider (a refresh, and a link)."""
    url = request.session.pop(identity.GO, None)
    if not url:
        return redirect("home")
    response = render(request, "members/identity_go.html", {"url": url})
    response["Refresh"] = f"0; url={url}"
    return response
