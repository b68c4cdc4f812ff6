import datetime
import os
import subprocess
import sys
from pathlib import Path
from unittest import mock

import pytest
from django.contrib.auth.models import User
from django.test import Client

ROOT = Path(__file__).resolve().parent.parent.parent


def readme_production_environment(folder: Path) -> dict[str, str]:
    """The environment of the README's production example (the block that ends with
    `gunicorn minutes_site.wsgi`), with each file it names (`*_FILE`) made in
    `folder`: a secret key, and a seal certificate with its key."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = readme[: readme.index("gunicorn minutes_site.wsgi")]
    block = block[block.rindex("```sh") + len("```sh") :]
    environment = dict(word.split("=", 1) for word in block.replace("\\\n", " ").split())
    for name in [n for n in environment if n.endswith("_FILE")]:
        environment[name] = str(folder / Path(environment[name]).name)
    Path(environment.pop("SECRET_KEY_FILE")).write_text("a-long-production-secret-" + "x" * 40)
    environment["SECRET_KEY_FILE"] = str(folder / "paragraf_key")
    from django.test import override_settings

    from meetings.documents import sealing

    with override_settings(
        SEAL_CERTIFICATE_FILE=environment["SEAL_CERTIFICATE_FILE"],
        SEAL_KEY_FILE=environment["SEAL_KEY_FILE"],
    ):
        sealing.create_development_certificate("Samordningsförbundet Exempel")
    return environment


def test_check_deploy_reports_nothing_under_the_production_environment(tmp_path):
    production = readme_production_environment(tmp_path)
    assert production["DEBUG"] == "0"
    assert production["SECURE_HSTS_PRELOAD"] == "1"
    env = {k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "LANG")}
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env={**env, **production},
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def attempt(client, password):
    return client.post("/logga-in/", {"username": "asa", "password": password})


@pytest.mark.django_db
def test_five_failed_logins_lock_the_name_for_a_while_with_a_clear_message():
    User.objects.create_user("asa", password="Rätt-lösenord-2026")
    client = Client()

    for _ in range(4):
        assert attempt(client, "fel").status_code == 200  # the form again, with its error
    locked = attempt(client, "fel")
    after = attempt(client, "Rätt-lösenord-2026")

    assert locked.status_code == 429
    assert "Vänta 15 minuter" in locked.content.decode()
    # Issue 29, 16: the way out that needs no administrator, linked.
    assert '<a href="/konto/losenord/">Glömt lösenordet?</a>' in locked.content.decode()
    assert after.status_code == 429  # even the right password waits out the cool-off


@pytest.mark.django_db
def test_the_lock_is_a_cool_off_not_a_permanent_one():
    from axes.models import AccessAttempt

    User.objects.create_user("asa", password="Rätt-lösenord-2026")
    client = Client()
    for _ in range(5):
        attempt(client, "fel")
    assert attempt(client, "Rätt-lösenord-2026").status_code == 429

    AccessAttempt.objects.update(
        attempt_time=datetime.datetime.now(datetime.UTC) - datetime.timedelta(minutes=16)
    )

    assert attempt(client, "Rätt-lösenord-2026").status_code == 302


@pytest.mark.django_db
def test_another_user_name_is_not_locked_by_someone_elses_failures():
    User.objects.create_user("asa", password="Rätt-lösenord-2026")
    User.objects.create_user("fredrik", password="Hans-lösenord-2026")
    client = Client()
    for _ in range(5):
        attempt(client, "fel")

    response = client.post("/logga-in/", {"username": "fredrik", "password": "Hans-lösenord-2026"})

    assert response.status_code == 302


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/", "/logga-in/", "/verifiera/", "/sok/?q=x"])
def test_every_page_carries_a_csp_without_unsafe_inline(client, url):
    policy = client.get(url)["Content-Security-Policy"]

    assert "default-src 'self'" in policy
    assert "script-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy
    assert "unsafe-inline" not in policy
    assert "unsafe-eval" not in policy


def _answers_of_every_kind(client, settings):
    """A page, a static file (WhiteNoise answers before the rest), a 400 for a Host
    the site does not serve, a 404 and a 500 (both DEBUG off, as in production)."""
    settings.DEBUG = False
    settings.PUBLIC_PAGE_CACHE_SECONDS = 0
    static = client.get("/static/css/paragraf.css")
    bad_host = client.get("/", HTTP_HOST="angripare.example")
    missing = client.get("/finns-inte/sida/alls/")
    failing = Client(raise_request_exception=False)
    with mock.patch("meetings.views.public.render", side_effect=RuntimeError("boom")):
        broken = failing.get("/")
    answers = {
        "page": client.get("/"),
        "static": static,
        "400": bad_host,
        "404": missing,
        "500": broken,
    }
    assert {k: r.status_code for k, r in answers.items()} == {
        "page": 200,
        "static": 200,
        "400": 400,
        "404": 404,
        "500": 500,
    }
    return answers


@pytest.mark.django_db
def test_static_files_and_error_pages_carry_the_csp(client, settings):
    for kind, response in _answers_of_every_kind(client, settings).items():
        assert "default-src 'self'" in response["Content-Security-Policy"], kind
        assert "unsafe-inline" not in response["Content-Security-Policy"], kind


@pytest.mark.django_db
def test_every_answer_switches_off_the_powerful_browser_features(client, settings):
    for kind, response in _answers_of_every_kind(client, settings).items():
        policy = response["Permissions-Policy"]
        for feature in ("camera", "microphone", "geolocation", "payment", "usb"):
            assert f"{feature}=()" in policy, (kind, feature)


@pytest.mark.django_db
def test_a_hostile_file_name_gives_a_safe_content_disposition(
    secretary_client, drafted, settings, tmp_path
):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    name = 'a"b\r\nX-Evil: 1;../../etc/passwd.pdf'
    secretary_client.post(
        reverse("workspace:bilagor", args=[drafted.pk]),
        {
            "paragraph": drafted.paragraphs.first().pk,
            "title": "Fil",
            "is_public": "on",
            "file": SimpleUploadedFile(name, b"%PDF-1.4\n"),
        },
    )
    from meetings.models import Bilaga

    number = Bilaga.objects.get(title="Fil").number
    response = secretary_client.get(reverse("workspace:bilaga_download", args=[drafted.pk, number]))

    header = response["Content-Disposition"]
    assert response.status_code == 200
    assert "\r" not in header and "\n" not in header
    assert "X-Evil" not in response.headers
    assert header.startswith("attachment;")
    assert "/" not in header.split("filename", 1)[1].replace("filename*=utf-8''", "")


def attempt_from(address, password, *, forwarded_by_client=""):
    """A login through one TLS proxy (REMOTE_ADDR is the proxy's, the client's own
    address is the last one in X-Forwarded-For; anything before it the client wrote)."""
    chain = f"{forwarded_by_client}, {address}" if forwarded_by_client else address
    return Client(REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=chain).post(
        "/logga-in/", {"username": "asa", "password": password}
    )


@pytest.mark.django_db
def test_behind_the_proxy_one_client_cannot_lock_out_another(settings):
    settings.AXES_IPWARE_PROXY_COUNT = 1
    User.objects.create_user("asa", password="Rätt-lösenord-2026")
    for _ in range(5):
        attempt_from("203.0.113.5", "fel")

    assert attempt_from("198.51.100.7", "Rätt-lösenord-2026").status_code == 302
    assert attempt_from("203.0.113.5", "Rätt-lösenord-2026").status_code == 429
    # Writing another address into the header does not get the attacker out of it.
    spoofed = attempt_from("203.0.113.5", "Rätt-lösenord-2026", forwarded_by_client="192.0.2.1")
    assert spoofed.status_code == 429


@pytest.mark.django_db
def test_without_a_proxy_the_header_is_not_believed(settings):
    settings.AXES_IPWARE_PROXY_COUNT = 0
    User.objects.create_user("asa", password="Rätt-lösenord-2026")
    for _ in range(5):
        attempt_from("203.0.113.5", "fel")

    # Every request came from 10.0.0.2 itself: the name is locked from there.
    assert attempt_from("198.51.100.7", "Rätt-lösenord-2026").status_code == 429


def test_the_documented_gunicorn_command_believes_no_forwarded_path():
    import shlex

    from gunicorn.config import Config

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    line = next(x for x in readme.splitlines() if x.startswith("gunicorn minutes_site.wsgi"))
    config = Config()
    arguments = config.parser().parse_args(shlex.split(line)[1:])
    for name, value in vars(arguments).items():
        if value is not None and name in config.settings:
            config.set(name, value)

    assert config.forwarder_headers == []  # no SCRIPT_NAME/PATH_INFO header, from anyone
    assert config.forwarded_allow_ips == ["127.0.0.1"]  # the proxy only


def test_django_ignores_a_servers_script_name_unless_told_the_prefix():
    def force_script_name(**extra) -> str:
        keep = {k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "LANG")}
        code = (
            "import django; django.setup(); from django.conf import settings; "
            "print(repr(settings.FORCE_SCRIPT_NAME))"
        )
        result = subprocess.run(
            [sys.executable, "-c", code],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=60,
            env={**keep, "DJANGO_SETTINGS_MODULE": "minutes_site.settings", "DEBUG": "1", **extra},
        )
        assert result.returncode == 0, result.stderr
        return result.stdout.strip()

    assert force_script_name() == "''"  # the root: a SCRIPT_NAME from the server is ignored
    assert force_script_name(FORCE_SCRIPT_NAME="/protokoll/") == "'/protokoll'"
