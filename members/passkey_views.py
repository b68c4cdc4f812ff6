"""The account's own ways of proving who it is: its passkeys (added and removed
here; the ceremonies are django-otp-webauthn's JSON views) and its recovery codes,
shown once when made (members/passkeys.py)."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django_otp_webauthn.models import WebAuthnCredential
from django_otp_webauthn.views import (
    BeginCredentialRegistrationView,
    CompleteCredentialRegistrationView,
)

from members import passkeys
from members.two_factor import needs_two_factor, private, second_factor_given


class _OnlyWithTheSecondFactor:
    """An administrator's or a secretary's new passkey is a new second factor: it is
    added only in a session that gave the second factor already (the app's code, a
    passkey, or the organisation's provider's MFA), never with a password alone (a
    stolen password cannot bring its own key). A member gives no second factor: her
    password lets her add one on a second computer. (django-otp-webauthn refuses
    when this says "enrolled" and the session is not verified.)"""

    def user_is_mfa_enrolled(self, user) -> bool:
        return needs_two_factor(user) and not second_factor_given(self.request)  # type: ignore[attr-defined]


class BeginRegistration(_OnlyWithTheSecondFactor, BeginCredentialRegistrationView):
    pass


class CompleteRegistration(_OnlyWithTheSecondFactor, CompleteCredentialRegistrationView):
    pass


def _page(request: HttpRequest, *, codes: list[str] | None = None) -> HttpResponse:
    return render(
        request,
        "members/keys.html",
        {
            "passkeys": passkeys.passkeys_of(request.user),
            "codes": codes,
            # Recovery codes stand in for the second factor: for those who give one.
            "recovery": needs_two_factor(request.user),
            "codes_left": passkeys.recovery_codes_left(request.user),
            "available": passkeys.available(),
        },
    )


@private
def keys(request: HttpRequest) -> HttpResponse:
    return _page(request)


@private
def remove_key(request: HttpRequest, pk: int) -> HttpResponse:
    """Asks first (which key, and that it will no longer sign in), then removes it."""
    key = get_object_or_404(WebAuthnCredential, pk=pk, user=request.user)  # only one's own
    if request.method != "POST":
        return render(request, "members/key_remove.html", {"key": key})
    key.delete()
    messages.success(request, _("The passkey is removed; it no longer signs you in."))
    return redirect("keys")


@private
def recovery_codes(request: HttpRequest) -> HttpResponse:
    """New recovery codes (the old ones stop working), on this answer only. (The
    address opened again, or after a login: the page, not a refusal.)"""
    if not needs_two_factor(request.user):
        raise Http404
    if request.method != "POST":
        return redirect("keys")
    return _page(request, codes=passkeys.new_recovery_codes(request.user))
