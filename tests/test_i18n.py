import os
import shutil
import subprocess
import sys
from pathlib import Path

import polib
from django.utils import translation

from meetings.models import Attendance, Meeting

CATALOGUE = Path(__file__).resolve().parent.parent / "locale" / "sv" / "LC_MESSAGES" / "django.po"


def test_every_string_has_a_swedish_translation():
    po = polib.pofile(str(CATALOGUE))

    untranslated = [
        e.msgid
        for e in po
        if "fuzzy" in e.flags
        or (e.msgid_plural and not all(e.msgstr_plural.values()))
        or (not e.msgid_plural and not e.msgstr)
    ]

    assert untranslated == []


def test_the_compiled_catalogue_is_up_to_date():
    """The .po is the only source; `compilemessages` (msgfmt) makes the .mo. Compared
    by content, as msgfmt's bytes may differ between gettext versions."""

    def messages(catalogue):
        return {
            (e.msgctxt, e.msgid): (e.msgstr, tuple(sorted(e.msgstr_plural.items())))
            for e in catalogue
            if e.msgid
        }

    compiled = polib.mofile(str(CATALOGUE.with_suffix(".mo")))
    source = polib.pofile(str(CATALOGUE))

    assert messages(compiled) == messages(source)


def test_the_domain_speaks_swedish_by_default_and_english_on_request():
    with translation.override("sv"):
        assert str(Meeting._meta.verbose_name) == "sammanträde"
        assert str(Attendance.Capacity.TJANSTGORANDE_ERSATTARE.label) == "tjänstgörande ersättare"
    with translation.override("en"):
        assert str(Meeting._meta.verbose_name) == "meeting"


def test_the_catalogue_holds_every_string_of_the_source(tmp_path):
    """Extract the messages again from a copy of the source (makemessages writes into
    the tree it runs in) and compare: a new string without its Swedish fails here."""
    root = Path(__file__).resolve().parent.parent
    for name in ("manage.py", "meetings", "members", "minutes_site", "templates", "locale"):
        source = root / name
        if source.is_dir():
            shutil.copytree(source, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy(source, tmp_path / name)
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "sv", "--no-obsolete", "-v0"],
        cwd=tmp_path,
        env={**os.environ, "DEBUG": "1"},
        check=True,
        timeout=120,
    )

    extracted = {e.msgid for e in polib.pofile(str(tmp_path / CATALOGUE.relative_to(root)))}
    committed = {e.msgid for e in polib.pofile(str(CATALOGUE))}
    assert extracted - committed == set()
    assert committed - extracted == set()


def test_the_footer_switches_to_english_and_back(client, db):
    swedish = client.get("/").content.decode()
    assert '<a href="/sprak/en/?next=/" lang="en" hreflang="en">In English</a>' in swedish

    response = client.get("/sprak/en/", {"next": "/sok/"})
    assert (response.status_code, response["Location"]) == (302, "/sok/")
    english = client.get("/sok/").content.decode()
    assert '<html lang="en">' in english
    assert 'lang="sv" hreflang="sv">På svenska</a>' in english

    client.get("/sprak/sv/", {"next": "/"})
    assert '<html lang="sv">' in client.get("/sok/").content.decode()


def test_the_language_switch_goes_back_only_to_this_site(client, db):
    for elsewhere in ("https://evil.example/", "//evil.example/", "javascript:alert(1)"):
        response = client.get("/sprak/en/", {"next": elsewhere})
        assert response["Location"] == "/", elsewhere
    assert client.get("/sprak/xx/").status_code == 404
