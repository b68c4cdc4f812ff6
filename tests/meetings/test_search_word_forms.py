"""A citizen searching any form of a word finds its paragraphs: recall measured on
word-form groups of the demo's published protocols, on SQLite and on PostgreSQL."""

import re

import pytest

from meetings.models import SearchEntry
from meetings.public import search

# Forms of one word each; not every form occurs in the demo, and any may be asked.
GROUPS = [
    ["insats", "insatsen", "insatser", "insatserna"],
    ["budget", "budgeten", "budgetens"],
    ["förbundschef", "förbundschefen", "förbundschefens"],
    ["protokoll", "protokollet", "protokollen"],
    ["verksamhet", "verksamheten", "verksamheter"],
    ["deltagare", "deltagaren", "deltagarna"],
    ["handling", "handlingar", "handlingarna"],
    ["styrelse", "styrelsen", "styrelsens"],
    ["samverkansgrupp", "samverkansgruppen", "samverkansgrupperna"],
]


def _containing(entries: list[SearchEntry], group: list[str]) -> set[int]:
    """The entries in whose text any form of the group stands as a word."""
    pattern = re.compile(r"\b(" + "|".join(group) + r")\b", re.IGNORECASE)
    return {e.pk for e in entries if pattern.search(f"{e.title}\n{e.body}")}


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("beslutet", ["beslutet", "beslut"]),
        ("insatserna", ["insatserna", "insatser", "insats"]),
        ("kommun", ["kommun"]),
        ("förbundschefens", ["förbundschefens", "förbundschefen", "förbundschef"]),
    ],
)
def test_a_word_asks_for_its_stem_without_an_inflection_ending(q, expected):
    assert sorted(search.forms(q)) == sorted(expected)


def test_the_query_reads_phrases_exclusions_and_or():
    read = search.terms('"psykisk ohälsa" budget -Boden OR "unga vuxna" x&y')

    assert [(t.words, t.excluded, t.either) for t in read] == [
        (["psykisk", "ohälsa"], False, False),
        (["budget"], False, False),
        (["boden"], True, False),
        (["unga", "vuxna"], False, True),
        (["x", "y"], False, False),
    ]
    known = {
        "psykisk": ("psykisk", ("psykisk",)),
        "ohälsa": ("ohäls", ("ohäls",)),
        "budget": ("budget", ("budget", "budget")),
        "boden": ("bod", ("bod",)),
        "unga": ("ung", ("ung",)),
        "vuxna": ("vux", ("vux",)),
        "x": ("x", ("x",)),
        "y": ("y", ("y",)),
    }
    assert search.tsquery(read, known) == (
        "('psykisk' <-> 'ohäls') & ('budget' | 'budget') & !('bod') | ('ung' <-> 'vux')"
        " & ('x' <-> 'y')"
    )


@pytest.mark.postgres_only
def test_a_word_asks_for_the_lexemes_of_all_its_forms_each_once(db):
    from django.db import connection

    known = search.lexemes({"insats", "och"})

    assert known["och"] == ("", ())  # a stop word asks nothing
    own, forms = known["insats"]
    assert own == "insat" and {"insat", "insats"} <= set(forms)
    assert len(forms) == len(set(forms))
    with connection.cursor() as cursor:  # each is what the index holds for its form
        cursor.execute("SELECT to_tsvector('swedish', 'insatserna insats')::text")
        assert cursor.fetchone()[0] == "'insat':2 'insats':1"
