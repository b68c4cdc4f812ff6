"""Recall over word forms in the demo's published protocols (the rest of the word
forms' tests are in tests/meetings/test_search_word_forms.py)."""

from meetings.actions.publication import published
from meetings.models import SearchEntry
from meetings.public import search
from tests.meetings.test_search_word_forms import GROUPS, _containing


def test_every_form_finds_the_paragraphs_of_every_form(seeded):
    entries = list(SearchEntry.objects.all())
    recall = {}
    for group in GROUPS:
        expected = _containing(entries, group)
        assert expected, group  # the demo has the word in some form
        for form in group:
            found = set(search.search(form, published=published()).found)
            recall[form] = len(found & expected) / len(expected)

    assert {form: r for form, r in recall.items() if r < 1} == {}
    assert len(recall) == 28
