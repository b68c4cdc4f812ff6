"""Passkeys (WebAuthn, django-otp-webauthn) beside the authenticator app: a second
factor for staff, and a way for anyone to sign in without a password; and recovery
codes (django-otp's static device), so that nobody who loses a phone or a key is
locked out.

The relying party is the site's own address (SITE_URL), never the visitor's Host
header: a passkey made for protokoll.example.se is asked for there only.
"""

import math
import secrets
from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp_webauthn.helpers import WebAuthnHelper
from django_otp_webauthn.models import WebAuthnCredential

# (Checked in this order: Edge and Opera also say "Chrome", Chrome also "Safari".)
BROWSERS = [("Edg/", "Edge"), ("OPR/", "Opera"), ("Firefox/", "Firefox"),
            ("Chrome/", "Chrome"), ("Safari/", "Safari")]  # fmt: skip
SYSTEMS = [("iPhone", "iPhone"), ("iPad", "iPad"), ("Android", "Android"),
           ("Windows", "Windows"), ("Mac OS X", "Mac"), ("Linux", "Linux")]  # fmt: skip
RECOVERY_CODES = 10
RECOVERY_DEVICE = "Återställningskoder"


class PasskeyHelper(WebAuthnHelper):
    def get_relying_party_domain(self) -> str:
        return urlsplit(settings.SITE_URL).hostname or "localhost"

    def get_relying_party_name(self) -> str:
        return "Paragraf"

    def create_credential(self, user, response, parsed_credential, original_data):
        device = super().create_credential(user, response, parsed_credential, original_data)
        device.name = self.device_name()
        return device

    def device_name(self) -> str:
        """ "Chrome på Windows, 2026-12-07": which device's key it is, in the list."""
        agent = self.request.META.get("HTTP_USER_AGENT", "")
        browser = next((name for key, name in BROWSERS if key in agent), gettext("A browser"))
        system = next((name for key, name in SYSTEMS if key in agent), "")
        where = gettext("%(browser)s on %(system)s") % {"browser": browser, "system": system}
        return f"{where if system else browser}, {timezone.localdate():%Y-%m-%d}"

    def get_allowed_origins(self) -> list[str]:
        parts = urlsplit(settings.SITE_URL)
        return [f"{parts.scheme}://{parts.netloc}"]


def available() -> bool:
    """Whether passkeys can be made and used here: the site is on https (or on
    http://localhost), as browsers ask."""
    return settings.SITE_URL.startswith(("https://", "http://localhost"))


def passkeys_of(user) -> list[WebAuthnCredential]:
    return list(WebAuthnCredential.objects.filter(user=user).order_by("created_at"))


@transaction.atomic
def new_recovery_codes(user) -> list[str]:
    """Ten new one-time codes for `user` (those given before stop working), shown
    once: each stands in for the app or the passkey at one login."""
    device, _created = StaticDevice.objects.get_or_create(
        user=user, name=RECOVERY_DEVICE, defaults={"confirmed": True}
    )
    device.token_set.all().delete()
    codes = [f"{secrets.randbelow(10**10):010d}" for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=c) for c in codes)
    return [f"{c[:5]} {c[5:]}" for c in codes]


def recovery_codes_left(user) -> int:
    return StaticToken.objects.filter(device__user=user, device__name=RECOVERY_DEVICE).count()


def use_recovery_code(user, typed: str) -> tuple[StaticDevice | None, int]:
    """(the recovery device, 0) if `typed` is one of the user's codes not yet used
    (it is used up now); else (None, the seconds to wait before the next try, after
    wrong ones: 1, 2, 4 …)."""
    code = "".join(typed.split())
    device = StaticDevice.objects.filter(user=user, name=RECOVERY_DEVICE).first()
    if device is None:
        return None, 0
    allowed, why = device.verify_is_allowed()
    if not allowed and why and "locked_until" in why:
        return None, max(1, math.ceil((why["locked_until"] - timezone.now()).total_seconds()))
    if not code.isdigit() or not device.verify_token(code):
        return None, 0
    return device, 0
