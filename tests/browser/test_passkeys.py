"""Issue 33 in chromium, with its virtual authenticator (the DevTools WebAuthn
domain): a member adds a passkey and signs in with it alone; a secretary adds one
after the app's code and uses it as the second factor."""

import re
from pathlib import Path

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.models import WebAuthnCredential

from tests.conftest import totp_code

pytestmark = pytest.mark.browser
PASSWORD = "Ett-bra-lösen-2026"
SHOTS = Path(__file__).parents[2] / "test-artifacts" / "passkeys"


@pytest.fixture
def accounts(annica, secretary, live_server, settings):
    settings.SITE_URL = live_server.url  # http://localhost:…: a secure context
    from django.contrib.auth.models import User

    member = User.objects.create_user("annica", password=PASSWORD, first_name="Annica")
    annica.user = member
    annica.save()
    secretary.set_password(PASSWORD)
    secretary.save()
    return member, secretary


def _authenticator(page) -> None:
    cdp = page.context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    cdp.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "internal",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
                "automaticPresenceSimulation": True,
            }
        },
    )


def _password(page, base, username) -> None:
    page.goto(f"{base}/logga-in/")
    page.get_by_label("Användarnamn").fill(username)
    page.get_by_label("Lösenord").fill(PASSWORD)
    page.get_by_role("button", name="Logga in", exact=True).click()


def _add_passkey(page, base, shot) -> None:
    page.goto(f"{base}/konto/nycklar/")
    page.get_by_role("button", name="Lägg till en passkey").click()
    page.get_by_text("Passkeyn är tillagd!").wait_for()
    page.get_by_role("link", name=re.compile(r"^Ta bort")).wait_for()  # the page, listing it
    page.screenshot(path=str(SHOTS / f"{shot}.png"), full_page=True)


def _log_out(page) -> None:
    page.get_by_role("button", name="Logga ut").click()


def test_a_member_signs_in_with_a_passkey_alone_and_a_secretary_as_second_factor(
    browser_page, live_server, accounts
):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page, base = browser_page, live_server.url
    member, secretary = accounts
    _authenticator(page)

    _password(page, base, "annica")
    _add_passkey(page, base, "1-medlem-nyckel")
    assert WebAuthnCredential.objects.filter(user=member).count() == 1
    _log_out(page)
    page.goto(f"{base}/logga-in/")
    page.screenshot(path=str(SHOTS / "2-logga-in.png"), full_page=True)
    page.get_by_role("button", name="Logga in med passkey").click()
    page.get_by_role("heading", name="Att göra", level=1).wait_for()
    assert "Annica" in page.locator("header").inner_text()
    _log_out(page)

    # The secretary: the app's code first, then her passkey; next time the passkey.
    _password(page, base, secretary.username)
    device = TOTPDevice.objects.get(user=secretary)
    page.get_by_label("Kod från din autentiseringsapp").fill(totp_code(device))
    page.get_by_role("button", name="Bekräfta").click()
    page.get_by_role("heading", name="Att göra", level=1).wait_for()
    _add_passkey(page, base, "3-sekreterare-nyckel")
    _log_out(page)
    _password(page, base, secretary.username)
    page.get_by_role("heading", name="Tvåstegsinloggning").wait_for()
    page.screenshot(path=str(SHOTS / "4-tvasteg.png"), full_page=True)
    page.get_by_role("button", name="Använd min passkey").click()
    page.get_by_role("heading", name="Att göra", level=1).wait_for()
    page.goto(f"{base}/arbete/")  # the second factor given: the workspace opens
    page.get_by_role("heading", name="Arbetsyta", level=1).wait_for()
    assert WebAuthnCredential.objects.get(user=secretary).last_used_at is not None
