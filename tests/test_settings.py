"""Settings are read once, at import: each case runs Django in a fresh process."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from minutes_site import env as env_module

ROOT = Path(__file__).resolve().parent.parent
PRINT_SETTINGS = (
    "import django, json; django.setup(); from django.conf import settings as s; "
    "db = s.DATABASES['default']; print(json.dumps({'engine': db['ENGINE'], "
    "'name': str(db['NAME']), 'host': db.get('HOST', ''), 'debug': s.DEBUG, "
    "'secure_cookies': s.SESSION_COOKIE_SECURE, 'hsts': s.SECURE_HSTS_SECONDS, "
    "'hosts': s.ALLOWED_HOSTS, 'language': s.LANGUAGE_CODE, 'tz': s.TIME_ZONE}))"
)


def django_settings(**environ):
    keep = {k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "LANG")}
    environ.setdefault("SITE_URL", "https://protokoll.example.se")
    result = subprocess.run(
        [sys.executable, "-c", PRINT_SETTINGS],
        cwd=ROOT,
        env={**keep, "DJANGO_SETTINGS_MODULE": "minutes_site.settings", **environ},
        capture_output=True,
        text=True,
        timeout=60,
    )
    return result


def test_without_environment_the_app_runs_on_an_sqlite_file_under_data(tmp_path):
    result = django_settings(DEBUG="1", DATA_DIR=str(tmp_path / "data"))

    s = json.loads(result.stdout)
    assert s["engine"] == "django.db.backends.sqlite3"
    assert s["name"] == str(tmp_path / "data" / "paragraf.sqlite3")
    assert (tmp_path / "data").is_dir()
    assert (s["language"], s["tz"]) == ("sv", "Europe/Stockholm")


def test_database_url_selects_postgresql():
    result = django_settings(
        SECRET_KEY="k", DATABASE_URL="postgres://paragraf:pw@db.internal:5432/paragraf"
    )

    s = json.loads(result.stdout)
    # Django's backend, with a health check by the socket (minutes_site/postgresql).
    assert s["engine"] == "minutes_site.postgresql"
    assert (s["name"], s["host"]) == ("paragraf", "db.internal")


def test_database_url_may_name_an_sqlite_file(tmp_path):
    result = django_settings(SECRET_KEY="k", DATABASE_URL=f"sqlite:///{tmp_path}/other.db")

    s = json.loads(result.stdout)
    assert (s["engine"], s["name"]) == ("django.db.backends.sqlite3", f"{tmp_path}/other.db")


def test_an_unsupported_database_url_fails_loudly():
    result = django_settings(SECRET_KEY="k", DATABASE_URL="mysql://root@localhost/x")

    assert result.returncode != 0
    assert "DATABASE_URL must start with postgres://" in result.stderr


def test_secret_key_is_required_when_debug_is_off():
    result = django_settings()

    assert result.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is off" in result.stderr


def test_secret_key_can_come_from_a_file(tmp_path):
    secret = tmp_path / "secret"
    secret.write_text("from-a-file\n")

    result = django_settings(SECRET_KEY_FILE=str(secret))

    assert result.returncode == 0, result.stderr


def test_production_switches_come_from_the_environment():
    result = django_settings(
        SECRET_KEY="k",
        SECURE_COOKIES="1",
        SECURE_HSTS_SECONDS="31536000",
        ALLOWED_HOSTS="protokoll.example.se, www.protokoll.example.se",
    )

    s = json.loads(result.stdout)
    assert (s["debug"], s["secure_cookies"], s["hsts"]) == (False, True, 31536000)
    assert s["hosts"] == ["protokoll.example.se", "www.protokoll.example.se"]


def test_a_bad_boolean_fails_loudly():
    result = django_settings(SECRET_KEY="k", DEBUG="kanske")

    assert result.returncode != 0
    assert "DEBUG='kanske' is not a boolean" in result.stderr


@pytest.mark.parametrize(("raw", "expected"), [("1", True), ("yes", True), ("off", False)])
def test_env_bool_reads_the_usual_spellings(monkeypatch, raw, expected):
    monkeypatch.setenv("PARAGRAF_TEST_FLAG", raw)

    assert env_module.env_bool("PARAGRAF_TEST_FLAG", not expected) is expected


def test_env_int_rejects_a_non_number(monkeypatch):
    monkeypatch.setenv("PARAGRAF_TEST_NUMBER", "tio")

    with pytest.raises(Exception, match="is not a whole number"):
        env_module.env_int("PARAGRAF_TEST_NUMBER", 10)


def test_without_its_own_address_the_site_refuses_to_start_in_production():
    result = django_settings(SECRET_KEY="k", SITE_URL="")

    assert result.returncode != 0
    assert "SITE_URL must be set" in result.stderr
