from pathlib import Path

import polib
from django.utils import translation

from meetings.models import Attendance, Meeting

CATALOGUE = Path(__file__).resolve().parent.parent / "locale" / "sv" / "LC_MESSAGES" / "django.po"


def test_every_string_has_a_swedish_translation():
    po = polib.pofile(str(CATALOGUE))

    untranslated = [e.msgid for e in po if not e.msgstr or "fuzzy" in e.flags]

    assert untranslated == []


def test_the_compiled_catalogue_is_up_to_date(tmp_path):
    compiled = tmp_path / "django.mo"
    polib.pofile(str(CATALOGUE)).save_as_mofile(str(compiled))

    assert compiled.read_bytes() == CATALOGUE.with_suffix(".mo").read_bytes()


def test_the_domain_speaks_swedish_by_default_and_english_on_request():
    with translation.override("sv"):
        assert str(Meeting._meta.verbose_name) == "sammanträde"
        assert str(Attendance.Capacity.TJANSTGORANDE_ERSATTARE.label) == "tjänstgörande ersättare"
    with translation.override("en"):
        assert str(Meeting._meta.verbose_name) == "meeting"
