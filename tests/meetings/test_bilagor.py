"""Bilagor until justering: edit, replace the file, reorder, remove (numbers stay
gap-free), each in the audit trail; after justering none of it."""

import hashlib

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from meetings.actions import services
from meetings.documents.history import paragraph_history
from meetings.models import Bilaga


def pdf(text: str) -> bytes:
    return f"%PDF-1.4\n% {text}\n".encode()


@pytest.fixture
def three(planned, secretary):
    services.start_protocol(planned)
    item = planned.paragraphs.get(title="Val av justerare")
    for title in ("Avtal", "Budget", "Karta"):
        services.attach_bilaga(
            item,
            title=title,
            file=ContentFile(pdf(title), name="f.pdf"),
            filename=f"{title.lower()}.pdf",
            is_public=True,
        )
    return planned


def titles(meeting) -> list[tuple[int, str]]:
    return list(meeting.bilagor.order_by("number").values_list("number", "title"))


def url(meeting, name, number):
    return reverse(f"workspace:{name}", args=[meeting.pk, number])


def test_a_bilaga_is_renamed_made_non_public_and_its_file_replaced(three, secretary_client):
    response = secretary_client.post(
        url(three, "bilaga_edit", 2),
        {
            "title": "Budget 2022",
            "is_public": "",
            "title_is_public": "on",
            "file": SimpleUploadedFile("ny.pdf", pdf("ny budget"), "application/pdf"),
        },
    )

    assert response.status_code == 302
    bilaga = three.bilagor.get(number=2)
    assert (bilaga.title, bilaga.is_public, bilaga.title_is_public) == ("Budget 2022", False, True)
    assert bilaga.filename == "ny.pdf"
    assert bilaga.sha256 == hashlib.sha256(pdf("ny budget")).hexdigest()
    history = [e["event"] for e in paragraph_history(bilaga.paragraph)]
    assert "En bilaga ändrad" in history


def test_an_edit_without_a_file_keeps_the_file(three, secretary_client):
    before = three.bilagor.get(number=1).sha256
    secretary_client.post(url(three, "bilaga_edit", 1), {"title": "Avtalet", "is_public": "on"})

    assert three.bilagor.get(number=1).sha256 == before
    assert three.bilagor.get(number=1).title == "Avtalet"


def test_a_file_that_is_not_what_it_says_is_refused_and_the_title_kept(three, secretary_client):
    response = secretary_client.post(
        url(three, "bilaga_edit", 1),
        {
            "title": "Nytt namn",
            "is_public": "on",
            "file": SimpleUploadedFile("x.pdf", b"MZ\\x90 not a pdf"),
        },
    )

    assert response.status_code == 400
    assert 'value="Nytt namn"' in response.content.decode()
    assert three.bilagor.get(number=1).title == "Avtal"


def test_bilagor_are_reordered(three, secretary_client):
    secretary_client.post(url(three, "bilaga_move", 3), {"direction": "up"})

    assert titles(three) == [(1, "Avtal"), (2, "Karta"), (3, "Budget")]


def test_removing_a_bilaga_asks_first_then_closes_the_gap(three, secretary_client):
    stored = three.bilagor.get(number=1).file.name
    asked = secretary_client.get(url(three, "bilaga_remove", 1))
    assert "Ta bort Bilaga 1: Avtal?" in asked.content.decode()
    assert titles(three) == [(1, "Avtal"), (2, "Budget"), (3, "Karta")]

    secretary_client.post(url(three, "bilaga_remove", 1))

    assert titles(three) == [(1, "Budget"), (2, "Karta")]
    item = three.paragraphs.get(title="Val av justerare")
    assert "En bilaga borttagen" in [e["event"] for e in paragraph_history(item)]
    assert not Bilaga.objects.filter(file=stored).exists()


def test_after_justering_a_bilaga_cannot_change(justerat, secretary_client):
    bilaga = justerat.bilagor.get()
    for name in ("bilaga_edit", "bilaga_remove"):
        assert secretary_client.get(url(justerat, name, bilaga.number)).status_code == 403
    refused = secretary_client.post(
        url(justerat, "bilaga_move", bilaga.number), {"direction": "up"}
    )
    assert refused.status_code == 403
    assert justerat.bilagor.get().title == "Tjänsteköpsavtal"


def test_a_bilaga_of_an_earlier_item_takes_its_number_in_the_protocols_order(three, secretary):
    """Issue 29, 14: Bilaga 1, 2, 3 … in the order of the §; a bilaga attached
    later to an earlier item comes before those of the items after it."""
    opening = three.paragraphs.get(title="Mötets öppnande")
    closing = three.paragraphs.get(title="Mötets avslutande")

    services.attach_bilaga(
        closing, title="Utvärdering", file=ContentFile(pdf("u"), name="u.pdf"),
        filename="u.pdf", is_public=True,
    )  # fmt: skip
    services.attach_bilaga(
        opening, title="Närvarolista", file=ContentFile(pdf("n"), name="n.pdf"),
        filename="n.pdf", is_public=True,
    )  # fmt: skip

    assert titles(three) == [
        (1, "Närvarolista"), (2, "Avtal"), (3, "Budget"), (4, "Karta"), (5, "Utvärdering"),
    ]  # fmt: skip
    # The move is no edit of the others: their trail shows only their attachment.
    assert Bilaga.history.filter(meeting_id=three.pk, history_type="~").count() == 0
    assert Bilaga.history.filter(meeting_id=three.pk, history_type="+").count() == 5
