"""Those inside never read the masking syntax (issue 29, 5): a masked span reads as
its words, marked "maskeras i den offentliga versionen" where a page can mark it,
and as its words alone where it cannot (an e-mail, a drop-down, a hidden label)."""

import pytest
from django.core import mail
from django.urls import reverse

from meetings.actions import services
from meetings.documents.protocol_diff import word_diff
from meetings.rules.masking import as_words, pieces
from tests.meetings.test_handlingar import attach, send

pytestmark = pytest.mark.django_db

MARK = '<mark class="masked" title="maskeras i den offentliga versionen">'


def test_a_masked_span_reads_as_its_words():
    text = "Ansökan från [[Kim Berg]] om [[stöd]]."

    assert as_words(text) == "Ansökan från Kim Berg om stöd."
    assert pieces(text) == [
        ("Ansökan från ", False),
        ("Kim Berg", True),
        (" om ", False),
        ("stöd", True),
        (".", False),
    ]


def test_the_justerares_diff_marks_masked_words_and_keeps_runs_apart():
    diff = word_diff("Deltagaren [[Kim Berg]] beviljas", "Deltagaren [[Kim Berg]] avslås")

    assert "[[" not in diff and "]]" not in diff
    assert f"Deltagaren {MARK}Kim</mark> {MARK}Berg</mark> " in diff
    assert diff.endswith("<del>beviljas</del> <ins>avslås</ins>")


def test_the_kallelse_email_gives_the_words(planned, secretary):
    item = services.add_item(planned, section="beslut", title="Ansökan från [[Kim Berg]]")
    attach(item, "Ansökan [[Kim Berg]]", name="ansokan.pdf")

    send(planned, secretary)

    body = mail.outbox[0].body
    assert "– Ansökan från Kim Berg: Ansökan Kim Berg (bifogad)" in body
    assert "[[" not in body


def test_the_workspace_marks_them_in_tables_and_gives_words_in_lists(secretary_client, planned):
    item = services.add_item(planned, section="beslut", title="Ansökan från [[Kim Berg]]")
    attach(item, "Ansökan [[Kim Berg]]", name="ansokan.pdf")

    handlingar = secretary_client.get(
        reverse("workspace:handlingar", args=[planned.pk])
    ).content.decode()
    meeting = secretary_client.get(reverse("workspace:meeting", args=[planned.pk])).content.decode()

    assert "[[" not in handlingar and "[[" not in meeting
    assert f"Ansökan {MARK}Kim Berg</mark>" in handlingar
    assert '<span class="visually-hidden"> Ansökan från Kim Berg</span>' in meeting
