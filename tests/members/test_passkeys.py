"""Issue 33: recovery codes (so that nobody who loses a phone or a key is locked
out), one's own passkeys removed, and no passkey added with a password alone.
The passkey ceremonies themselves run in chromium (tests/browser/test_passkeys.py)."""

import pytest
from django.test import Client
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.models import WebAuthnCredential

from members import passkeys
from tests.conftest import log_in_with_two_factor

pytestmark = pytest.mark.django_db


def _codes_on(page: str) -> list[str]:
    import re

    return re.findall(r"<code>(\d{5} \d{5})</code>", page)


def test_recovery_codes_are_shown_once_and_each_lets_in_once(secretary):
    browser = log_in_with_two_factor(Client(), secretary)
    made = browser.post(reverse("recovery_codes"))
    assert made.status_code == 200
    codes = _codes_on(made.content.decode())
    assert len(codes) == 10 and len(set(codes)) == 10
    page = browser.get(reverse("keys")).content.decode()
    assert "Du har 10 återställningskoder kvar." in page
    assert not _codes_on(page)  # shown only when made

    # A new session: the password given, the phone lost.
    other = Client()
    other.force_login(secretary)
    two_factor = reverse("two_factor") + "?next=/arbete/"
    asked = other.get(two_factor).content.decode()
    assert "Tappat bort telefonen? Använd en återställningskod" in asked
    right = other.post(two_factor, {"recovery": codes[0], "next": "/arbete/"})
    assert (right.status_code, right["Location"]) == (302, "/arbete/")
    assert other.get("/arbete/").status_code == 200
    assert passkeys.recovery_codes_left(secretary) == 9

    again = Client()
    again.force_login(secretary)
    reused = again.post(two_factor, {"recovery": codes[0]})
    assert reused.status_code == 400  # used up
    assert "Återställningskoden är fel, eller så har den redan använts." in reused.content.decode()
    hurried = again.post(two_factor, {"recovery": codes[1]})
    assert "måste du vänta en stund" in hurried.content.decode()  # after a wrong one, a wait
    assert passkeys.recovery_codes_left(secretary) == 9

    # New codes: the old ones stop working.
    browser.post(reverse("recovery_codes"))
    third = Client()
    third.force_login(secretary)
    assert third.post(two_factor, {"recovery": codes[1]}).status_code == 400


def test_a_password_alone_adds_no_passkey_for_staff(secretary):
    half = Client()
    half.force_login(secretary)  # the password, not yet the code (the app not set up)
    refused = half.post(reverse("otp_webauthn:credential-registration-begin"))
    assert refused.status_code == 403
    assert refused.json()["detail"].startswith("Du måste först bekräfta vem du är")
    TOTPDevice.objects.create(user=secretary, confirmed=True, name="app")
    still = half.post(reverse("otp_webauthn:credential-registration-begin"))
    assert still.status_code == 403
    assert not WebAuthnCredential.objects.exists()

    verified = log_in_with_two_factor(Client(), secretary)
    begun = verified.post(reverse("otp_webauthn:credential-registration-begin"))
    assert begun.status_code == 200
    assert begun.json()["rp"] == {"id": "testserver", "name": "Paragraf"}


def test_only_ones_own_passkey_is_removed(secretary, annica):
    annica_user = annica.user or annica.__class__.objects.get(pk=annica.pk).user
    if annica_user is None:
        from django.contrib.auth.models import User

        annica_user = User.objects.create_user("annica", password="x")
        annica.user = annica_user
        annica.save()
    theirs = WebAuthnCredential.objects.create(
        user=annica_user, name="Annicas telefon", credential_id=b"1", public_key=b"k"
    )
    mine = WebAuthnCredential.objects.create(
        user=secretary, name="Min dator", credential_id=b"2", public_key=b"k"
    )
    browser = log_in_with_two_factor(Client(), secretary)
    page = browser.get(reverse("keys")).content.decode()
    assert "Min dator" in page and "Annicas telefon" not in page
    assert browser.post(reverse("key_remove", args=[theirs.pk])).status_code == 404
    asked = browser.get(reverse("key_remove", args=[mine.pk])).content.decode()
    assert "Ta bort ”Min dator”?" in asked  # asks first, naming it
    assert WebAuthnCredential.objects.filter(pk=mine.pk).exists()
    gone = browser.post(reverse("key_remove", args=[mine.pk]))
    assert gone.status_code == 302
    assert list(WebAuthnCredential.objects.values_list("name", flat=True)) == ["Annicas telefon"]
    assert DEVICE_ID_SESSION_KEY in browser.session


def test_a_member_adds_a_passkey_after_her_password_and_has_no_recovery_codes(annica):
    from django.contrib.auth.models import User

    annica.user = User.objects.create_user("annica", password="x")
    annica.save()
    WebAuthnCredential.objects.create(
        user=annica.user, name="Telefonen", credential_id=b"1", public_key=b"k"
    )
    browser = Client()
    browser.force_login(annica.user)  # her password: members give no second factor
    begun = browser.post(reverse("otp_webauthn:credential-registration-begin"))
    assert begun.status_code == 200  # a second passkey, on another computer
    page = browser.get(reverse("keys")).content.decode()
    assert "Telefonen" in page and "Återställningskoder" not in page
    assert browser.post(reverse("recovery_codes")).status_code == 404


def test_the_recovery_codes_address_opened_again_is_the_page(secretary):
    browser = log_in_with_two_factor(Client(), secretary)
    again = browser.get(reverse("recovery_codes"))
    assert (again.status_code, again["Location"]) == (302, reverse("keys"))


def test_a_recovery_code_typed_where_the_apps_code_goes_is_taken(secretary):
    codes = passkeys.new_recovery_codes(secretary)
    other = Client()
    other.force_login(secretary)
    TOTPDevice.objects.get_or_create(user=secretary, confirmed=True, defaults={"name": "app"})
    empty = other.post(reverse("two_factor"), {"recovery": "  "})
    assert "Skriv en av dina återställningskoder." in empty.content.decode()
    taken = other.post(reverse("two_factor"), {"token": codes[2], "next": "/arbete/"})
    assert (taken.status_code, taken["Location"]) == (302, "/arbete/")
