"""The seal is part of the installation's health: `manage.py check` says when it is
missing, unreadable, not a pair, expired or soon expiring; DEBUG makes the development
one; no protocol is sent for justering that could not be sealed, and a seal lost
after sending is said to the last justerare, never a 500."""

import datetime
import os
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from django.urls import reverse
from django.utils import timezone

from meetings.actions import justering
from meetings.checks import seal_is_usable
from meetings.models import Approval, Meeting
from tests.meetings.test_justering import as_user, send, version_on_page

ROOT = Path(__file__).resolve().parent.parent.parent


def write_certificate(settings, *, days_from: int, days_until: int, key=None) -> None:
    """A self-signed seal certificate valid from/until these days from now."""
    own_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Provsigill")])
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(own_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now + datetime.timedelta(days=days_from))
        .not_valid_after(now + datetime.timedelta(days=days_until))
        .sign(own_key, hashes.SHA256())
    )
    Path(settings.SEAL_CERTIFICATE_FILE).write_bytes(
        certificate.public_bytes(serialization.Encoding.PEM)
    )
    Path(settings.SEAL_KEY_FILE).write_bytes(
        (key or own_key).private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )


def ids(messages) -> list[str]:
    return [m.id for m in messages]


def test_a_usable_seal_is_healthy():
    assert seal_is_usable() == []


def test_a_missing_seal_is_reported(no_seal, settings):
    (message,) = seal_is_usable()

    assert message.id == "paragraf.W001"
    assert message.msg == (
        f"Det finns inget sigillcertifikat på {settings.SEAL_CERTIFICATE_FILE} med "
        f"nyckeln på {settings.SEAL_KEY_FILE}."
    )


def test_debug_makes_the_development_seal_when_missing(no_seal, settings):
    settings.DEBUG = True

    assert seal_is_usable() == []
    assert Path(settings.SEAL_CERTIFICATE_FILE).exists()


@pytest.mark.parametrize(
    ("days_from", "days_until", "expected"),
    [
        (-400, -1, "Sigillcertifikatet gick ut den"),
        (2, 400, "Sigillcertifikatet gäller först från den"),
    ],
    ids=["expired", "not yet valid"],
)
def test_a_certificate_outside_its_validity_is_reported(settings, days_from, days_until, expected):
    write_certificate(settings, days_from=days_from, days_until=days_until)

    (message,) = seal_is_usable()

    assert message.id == "paragraf.W001"
    assert message.msg.startswith(expected)


def test_a_certificate_near_its_end_is_a_warning_of_its_own(settings):
    write_certificate(settings, days_from=-300, days_until=20)

    (message,) = seal_is_usable()

    assert message.id == "paragraf.W002"
    assert message.msg.startswith("Sigillcertifikatet går ut den ")


def test_a_key_of_another_certificate_is_reported(settings):
    other = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    write_certificate(settings, days_from=-1, days_until=400, key=other)

    (message,) = seal_is_usable()

    assert message.msg == "Sigillnyckeln hör inte till sigillcertifikatet."


def test_a_key_that_cannot_be_read_is_reported(settings):
    Path(settings.SEAL_KEY_FILE).write_text("inte en nyckel")

    (message,) = seal_is_usable()

    assert message.id == "paragraf.W001"
    assert message.msg.startswith("Sigillcertifikatet eller nyckeln kan inte läsas:")


def test_manage_py_check_reports_a_missing_seal(tmp_path):
    env = {k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "LANG")}
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={
            **env,
            "DEBUG": "0",
            "SECRET_KEY": "x" * 50,
            "SITE_URL": "https://example.se",
            "SEAL_CERTIFICATE_FILE": str(tmp_path / "saknas.pem"),
            "SEAL_KEY_FILE": str(tmp_path / "saknas-nyckel.pem"),
        },
        timeout=60,
    )

    assert result.returncode == 0  # a warning: migrate still runs on a new installation
    assert "paragraf.W001" in result.stderr
    assert str(tmp_path / "saknas.pem") in result.stderr


def test_no_protocol_is_sent_for_justering_without_a_seal(
    secretary_client, drafted, annica, no_seal
):
    page = secretary_client.get(reverse("workspace:meeting", args=[drafted.pk]))
    refused = send(secretary_client, drafted, annica)

    html = page.content.decode()
    assert "Den här installationen kan inte försegla ett protokoll" in html
    assert reverse("workspace:justering_send", args=[drafted.pk]) not in html
    assert refused.status_code == 403
    assert "Den här installationen kan inte försegla ett protokoll" in refused.content.decode()
    drafted.refresh_from_db()
    assert drafted.status == Meeting.Status.GENOMFORT
    with pytest.raises(justering.JusteringError):
        justering.send_for_justering(
            drafted, justerare=[annica], by=None, notify=False, deadline=timezone.localdate()
        )


def test_a_seal_lost_after_sending_is_said_to_the_last_justerare(
    client, secretary_client, drafted, fredrik, annica, settings
):
    assert send(secretary_client, drafted, annica).status_code == 302
    fredrik_client = as_user(client, fredrik)
    fredrik_client.post(
        reverse("justering:approve", args=[drafted.pk]),
        {"version": version_on_page(fredrik_client, drafted)},
    )
    Path(settings.SEAL_KEY_FILE).unlink()

    annica_client = as_user(client, annica)
    response = annica_client.post(
        reverse("justering:approve", args=[drafted.pk]),
        {"version": version_on_page(annica_client, drafted)},
        follow=True,
    )

    assert response.status_code == 200
    assert "Protokollet kunde inte förseglas, så ditt godkännande är inte sparat" in (
        response.content.decode()
    )
    drafted.refresh_from_db()
    assert drafted.status == Meeting.Status.UNDER_JUSTERING
    assert list(
        Approval.objects.filter(meeting=drafted).values_list("person__name", flat=True)
    ) == ["Fredrik Hansson"]
