"""Protocols in layouts the reader was not written for (tests/meetings/data/
legacy_blind: written blind, by someone who had not read the parser, with the
fields a careful reader records), scored as issue 31 asks: the share of fields read
right, and the share of the wrong ones marked "Kontrollera"."""

import json
from pathlib import Path

from meetings.legacy import parse, source
from tests.meetings.legacy_score import compare, marked

BLIND = Path(__file__).parent / "data" / "legacy_blind"
# What the blind set scored when it was last improved (issue 31's closing note gives
# the numbers; the target is 90 % right and 90 % of the wrong marked): no
# change may read fewer fields right, nor leave more wrong fields unmarked.
FIELDS_RIGHT, SILENT_AT_MOST = 0.934, 58
# What the import, not the reading, writes (the file's name and SHA-256), and what no
# protocol states (whether a secret bilaga's title may be shown).
NOT_READ = (
    "meeting.status",
    "history.source_filename",
    "history.source_sha256",
    "bilagor[].title_is_public",
)


def test_blind_protocols_are_read_and_what_is_wrong_is_marked(capsys):
    fields = wrong = flagged = 0
    lines = []
    for text in sorted(BLIND.glob("blind-*.txt")):
        expected = json.loads(text.with_suffix("").with_suffix(".expected.json").read_text())
        # As an upload is read: the text taken in, page heads and feet dropped.
        taken = source.read(text.name, text.read_bytes())
        read = parse.parse(taken.text, running_heads=taken.running_heads)
        n, misses = compare(expected, read.document, NOT_READ)
        found = marked(misses, read.unsure)
        fields, wrong, flagged = fields + n, wrong + len(misses), flagged + found
        lines.append(
            f"{text.stem}: {1 - len(misses) / n:.1%} of {n} right, {found}/{len(misses)} wrong marked"
        )
    right = 1 - wrong / fields
    with capsys.disabled():
        print(
            "",
            *lines,
            f"all: {right:.1%} of {fields} fields right, {flagged}/{wrong} wrong marked",
            sep="\n  ",
        )
    assert len(lines) >= 81
    assert right >= FIELDS_RIGHT
    assert wrong - flagged <= SILENT_AT_MOST
