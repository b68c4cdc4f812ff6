"""Two-factor login (TOTP, django-otp) for those who can change protocols: the
administrators and secretaries of an organisation, and the installation's own staff.

After the password, such a user proves possession of their authenticator app once
per session. The first time, the page shows the secret (as a QR code and as text)
and the app's first code confirms it. Until then the workspace and the admin answer
with a redirect to that page, whatever URL was asked for.

The first time is one an administrator opened (`allow_enrollment`: giving a staff
role does it, as does `manage.py allow_two_factor_setup`): a password alone never
sets up a new app, so a stolen password cannot bring its own authenticator.
"""

import datetime
import math
from functools import wraps
from typing import TypeGuard
from urllib.parse import quote

import segno
from django import forms
from django.conf import settings
from django.contrib import admin
from django.contrib.auth import user_logged_in
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.models import AnonymousUser, User
from django.contrib.auth.views import LogoutView, redirect_to_login
from django.core import signing
from django.db.models.signals import post_save
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from django_otp import login as otp_login
from django_otp.models import VerifyNotAllowed
from django_otp.plugins.otp_totp.models import TOTPDevice

from members import identity, passkeys
from members.models import IdentityProvider, StaffRole


def needs_two_factor(user: User | AnonymousUser) -> TypeGuard[User]:
    """A logged-in user who gives a second factor (staff, a superuser, a staff role of
    an organisation); when True, `user` is a User, not the anonymous one."""
    return user.is_authenticated and (
        user.is_staff or user.is_superuser or StaffRole.objects.filter(user=user).exists()
    )


# Set when an organisation's identity provider signed the account in with more than
# a password (members/identity_views.py): its multi-factor authentication counts.
SIGNED_IN_WITH_MFA = "identity_mfa"


def second_factor_given(request: HttpRequest) -> bool:
    """Whether this session gave a second factor: a code from the authenticator app
    (django-otp's is_verified(), which the stubs do not know), or a sign-in through
    the organisation's identity provider that itself asked for more than a password."""
    return bool(request.user.is_verified() or request.session.get(SIGNED_IN_WITH_MFA))  # type: ignore[union-attr]


def _to_two_factor(request: HttpRequest) -> HttpResponse:
    return redirect(f"{reverse('two_factor')}?next={quote(request.get_full_path())}")


UNSENT = "paragraf_unsent_post"
UNSENT_MAX_BYTES = 256 * 1024
UNSENT_HOURS = 12
# Whose browser this is: a signed user id, set by every private page a user was
# shown. A form posted after the session ended has no user; this cookie says for
# whom it was typed, so that only that account gets the text back.
WRITER_COOKIE = "paragraf_writer"
WRITER_SALT = "members.two_factor.writer"
WRITER_DAYS = 14


def _writer(request: HttpRequest) -> int | None:
    # With a default, a cookie missing, forged or too old reads as the default.
    writer = request.get_signed_cookie(
        WRITER_COOKIE, default=None, salt=WRITER_SALT, max_age=datetime.timedelta(days=WRITER_DAYS)
    )
    try:
        return int(writer) if writer is not None else None
    except ValueError:
        return None


def _remember_writer(request: HttpRequest, response: HttpResponse) -> None:
    response.set_signed_cookie(
        WRITER_COOKIE,
        str(request.user.pk),
        salt=WRITER_SALT,
        max_age=WRITER_DAYS * 24 * 3600,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )


# The login form's hidden field that carries a form posted after the session ended.
UNSENT_FIELD = "unsent"
UNSENT_SALT = "paragraf.unsent-post"


def _unsent_login_page(request: HttpRequest) -> HttpResponse:
    """A form posted after the session ended (a long while writing) is answered with
    the login form, which carries what was typed back to the browser, signed; only a
    real login (`LoginView`) puts it into the new session. An anonymous post thus
    makes the server keep nothing: kept in a session, each such post could make it
    store a quarter of a megabyte for two weeks. Files are not kept. 403: the form
    was not saved, and the answer says why."""
    data = {k: v for k, v in request.POST.lists() if k != "csrfmiddlewaretoken"}
    # Kept only for the account this browser was last used by (`_writer`): text
    # posted from a browser no account used is kept for nobody, and text kept for
    # one account is never given to another (`unsent_post`).
    writer = _writer(request)
    unsent = ""
    if writer and sum(len(v) for values in data.values() for v in values) <= UNSENT_MAX_BYTES:
        unsent = signing.dumps(
            {"path": request.path, "data": data, "user": writer}, salt=UNSENT_SALT, compress=True
        )
    return render(
        request,
        "registration/login.html",
        {
            "form": AuthenticationForm(request),
            "next": request.get_full_path(),
            "unsent": unsent,
            "posted": True,  # the page says what became of the text, kept or not
        },
        status=403,
    )


def keep_unsent(request: HttpRequest) -> None:
    """After a real login: what the login form carried back (`_unsent_login_page`)
    goes into the new session, for the page to give back (`unsent_post`)."""
    token = request.POST.get(UNSENT_FIELD, "")
    if not token:
        return
    try:
        kept = signing.loads(token, salt=UNSENT_SALT, max_age=UNSENT_HOURS * 3600)
    except signing.BadSignature:
        return
    if kept.get("user") != request.user.pk:
        return  # typed for another account: nobody else's form is filled with it
    request.session[UNSENT] = {**kept, "at": timezone.now().isoformat()}


class LoginView(auth_views.LoginView):
    """Django's login, which also keeps a form posted after the session ended."""

    def form_valid(self, form):
        response = super().form_valid(form)
        keep_unsent(self.request)
        return response

    def get_context_data(self, **kwargs):
        # The organisations' own ways of signing in ("Logga in med Norrälvs konto").
        return super().get_context_data(
            **kwargs,
            identity_providers=IdentityProvider.objects.filter(
                active=True, purpose=IdentityProvider.Purpose.SIGN_IN
            ).select_related("organisation"),
            passkeys_available=passkeys.available(),
        )


def unsent_post(request: HttpRequest) -> QueryDict | None:
    """What this user typed into this page's form when the session ended, once, or None."""
    kept = request.session.get(UNSENT)
    if not kept or kept.get("path") != request.path:
        return None
    del request.session[UNSENT]
    if kept.get("user") != request.user.pk:
        return None
    if timezone.now() - datetime.datetime.fromisoformat(kept["at"]) > datetime.timedelta(
        hours=UNSENT_HOURS
    ):
        return None
    data = QueryDict(mutable=True)
    for key, values in kept["data"].items():
        data.setlist(key, values)
    return data


def private(view):
    """Every view with content that is not public (drafts, confidential paragraphs,
    the workspace, the justering and member pages): the visitor logs in, and anyone
    with a staff role passes the second factor first, whatever page they open. A
    form sent after the session ended is answered with the login form, which keeps
    what was typed for after the login (`unsent_post`).
    tests/test_permission_matrix.py checks that every non-public URL has it."""

    @wraps(view)
    def guarded(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not request.user.is_authenticated:
            if request.method == "POST":
                return _unsent_login_page(request)
            return redirect_to_login(request.get_full_path())
        if not second_factor_given(request) and needs_two_factor(request.user):
            return _to_two_factor(request)
        response = view(request, *args, **kwargs)
        # Drafts, originals, bilagor and handlingar are for this user only: never
        # kept by a shared cache or on the disk of a shared computer.
        patch_cache_control(response, private=True, no_store=True)
        _remember_writer(request, response)
        return response

    # A mark tests/test_permission_matrix.py reads; a function's attribute has no type.
    guarded.is_private = True  # type: ignore[attr-defined]
    return guarded


def _is_admin_view(request: HttpRequest) -> bool:
    match = request.resolver_match
    return match is not None and admin.site.name in match.app_names


class RequireTwoFactorMiddleware:
    """After django-otp's OTPMiddleware: staff who have not given a code this
    session go to the two-factor page before any view of Django's admin (every
    view of ours says so itself, with `private`). Decided by the view the address
    resolved to, never by the path: a prefix (SCRIPT_NAME) or another spelling
    of the address reaches the same view and meets the same check. The admin
    site checks it too (`minutes_site.admin_site`)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view, args, kwargs) -> HttpResponse | None:
        if (
            _is_admin_view(request)
            and request.user.is_authenticated
            and not request.user.is_verified()  # type: ignore[attr-defined]  # django-otp's
            and needs_two_factor(request.user)
        ):
            return _to_two_factor(request)
        return None


# A working day: staff can change and publish protocols, so a session of theirs left
# open on a shared computer ends the same day (a text typed when it ends is kept).
STAFF_SESSION = datetime.timedelta(hours=12)


@receiver(user_logged_in)
def _shorter_session_for_staff(sender, request, user, **kwargs) -> None:
    if request is not None and hasattr(request, "session") and needs_two_factor(user):
        request.session.set_expiry(timezone.now() + STAFF_SESSION)


class ForgettingLogoutView(LogoutView):
    """Logging out also forgets whose browser this was: a form sent from it
    afterwards is kept for nobody."""

    def post(self, request, *args, **kwargs):
        # Signed in through the organisation's provider: logged out there too, by way
        # of a page of our own (a form's answer may not redirect to another site).
        there = identity.end_session_url(request)
        response = super().post(request, *args, **kwargs)
        if there:
            request.session[identity.GO] = there
            response = redirect("identity_go")
        response.delete_cookie(WRITER_COOKIE, samesite="Lax")
        return response


class CodeForm(forms.Form):
    token = forms.CharField(
        label=_("Code from your authenticator app"),
        min_length=6,
        # (A recovery code, ten digits, typed here is taken as one: room for it.)
        max_length=11,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )

    def __init__(self, *args, device: TOTPDevice, **kwargs):
        super().__init__(*args, **kwargs)
        self.device = device

    def clean_token(self):
        token = self.cleaned_data["token"].strip()
        # Each wrong code makes the next try wait (1, 2, 4 … seconds): say so, and
        # how long, rather than call a right code typed too soon wrong.
        allowed, why = self.device.verify_is_allowed()
        if not allowed and why and why.get("reason") == VerifyNotAllowed.N_FAILED_ATTEMPTS:
            wait = max(1, math.ceil((why["locked_until"] - timezone.now()).total_seconds()))
            raise forms.ValidationError(
                ngettext(
                    "After a wrong code the next try waits: wait %(n)s second, then type "
                    "the code your app shows.",
                    "After wrong codes the next try waits: wait %(n)s seconds, then type "
                    "the code your app shows.",
                    wait,
                )
                % {"n": wait}
            )
        if not (token.isdigit() and self.device.verify_token(token)):
            raise forms.ValidationError(
                gettext("The code is wrong or too old. Type the code your app shows now.")
            )
        return token


@receiver(post_save, sender=StaffRole, dispatch_uid="paragraf-staff-role-enrollment")
def _staff_role_opens_enrollment(sender, instance, created, raw=False, **kwargs) -> None:
    """Only an administrator's opening lets a password alone reach the setup of an
    authenticator app: giving an account a staff role is one."""
    if created and not raw:
        allow_enrollment(instance.user)


def allow_enrollment(user: User) -> bool:
    """An administrator lets `user` set up an authenticator app at their next login:
    an unconfirmed device, which the first code confirms. Nothing for an account
    that already has a confirmed app (an administrator removes that one first).
    Returns whether the account now awaits its setup."""
    if TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        return False
    TOTPDevice.objects.get_or_create(user=user, confirmed=False, defaults={"name": "Paragraf"})
    return True


def _device(user: User) -> TOTPDevice | None:
    """The user's confirmed device, else the one an administrator opened for its
    setup (`allow_enrollment`), else None: never one made for a password alone."""
    confirmed = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    return confirmed or TOTPDevice.objects.filter(user=user, confirmed=False).first()


def _qr_svg(device: TOTPDevice) -> str:
    # segno writes the SVG itself: no script, no inline style, fine under the CSP.
    return mark_safe(segno.make(device.config_url, error="m").svg_inline(scale=4, omitsize=False))


@login_required
def two_factor(request: HttpRequest) -> HttpResponse:
    if not needs_two_factor(request.user):
        return redirect("home")
    request.half_logged_in = True  # type: ignore[attr-defined]  # the header: no menu yet
    device = _device(request.user)
    if device is None:
        return render(request, "registration/two_factor_not_allowed.html", status=403)
    recovery_error = ""
    recovery = request.POST.get("recovery") if request.method == "POST" else None
    typed = "".join(request.POST.get("token", "").split())
    if request.method == "POST" and recovery is None and len(typed) == 10:
        recovery = typed  # a recovery code typed where the app's code goes
    if recovery is not None:
        # A recovery code instead of the app (a lost phone): once each.
        used, recovery_error = _recovery(request, recovery)
        if used is not None:
            return _verified(request, used)
    form = CodeForm(
        request.POST if request.method == "POST" and not recovery_error else None, device=device
    )
    if recovery_error:  # the cursor where the error is
        form.fields["token"].widget.attrs.pop("autofocus", None)
    if request.method == "POST" and not recovery_error and form.is_valid():
        if not device.confirmed:
            device.confirmed = True
            device.save(update_fields=["confirmed"])
        return _verified(request, device)
    setting_up = not device.confirmed
    return render(
        request,
        "registration/two_factor.html",
        {
            "form": form,
            "setting_up": setting_up,
            "qr": _qr_svg(device) if setting_up else "",
            "secret": _secret_text(device) if setting_up else "",
            "next": request.POST.get("next") or request.GET.get("next", ""),
            "has_passkeys": passkeys.available() and bool(passkeys.passkeys_of(request.user)),
            "has_recovery_codes": passkeys.recovery_codes_left(request.user) > 0,
            "recovery_error": recovery_error,
        },
        status=400 if form.errors or recovery_error else 200,
    )


def _recovery(request: HttpRequest, typed: str):
    """(the recovery device, used up now, "") if `typed` is one of the user's codes;
    else (None, why not)."""
    if not typed.strip():
        return None, gettext("Type one of your recovery codes.")
    used, wait = passkeys.use_recovery_code(request.user, typed)
    if used is not None:
        return used, ""
    if wait:
        return None, ngettext(
            "After a wrong code you must wait a moment: try again in %(n)s second.",
            "After wrong codes you must wait a moment: try again in %(n)s seconds.",
            wait,
        ) % {"n": wait}
    return None, gettext("That recovery code is wrong, or it was used already.")


def _verified(request: HttpRequest, device) -> HttpResponse:
    otp_login(request, device)
    # A new key for the session that now has the second factor too: a session
    # id learnt before (planted, or seen over the shoulder) is worth nothing.
    request.session.cycle_key()
    target = request.POST.get("next") or request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}):
        target = reverse("workspace:dashboard")
    return redirect(target)


def _secret_text(device: TOTPDevice) -> str:
    from base64 import b32encode

    key = b32encode(device.bin_key).decode()
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))
