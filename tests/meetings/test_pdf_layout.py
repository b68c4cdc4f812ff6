"""PDF layout (issue 29, 13): the kallelse's request for förhinder stays on the page
of the names it is signed by; an extract's certification stays with its justering,
and one certified by the organisation's seal has no line for a hand to sign."""

import io

import pytest
from pypdf import PdfReader

from meetings.actions import kallelse
from meetings.documents import utdrag

pytestmark = pytest.mark.django_db


def _pages(pdf: bytes) -> list[str]:
    return [" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(pdf)).pages]


def test_the_kallelse_signs_on_the_page_that_asks_for_forhinder(planned, seats):
    pages = _pages(kallelse.render(planned))

    (signed,) = [p for p in pages if "sekreterare" in p and "ordförande" in p]
    assert "Förhinder anmäls" in signed


@pytest.fixture
def published(justerat):
    from meetings.actions import publication

    publication.publish(justerat, by=None)
    justerat.refresh_from_db()
    return justerat


def test_a_sealed_extract_is_certified_by_the_seal_without_a_line(published):
    extract = utdrag.public_extract(published.public_version, 4)
    pages = _pages(extract.pdf.read())

    (certified,) = [p for p in pages if "Utdragsbestyrkande" in p]
    assert "JUSTERING" in certified
    assert certified.endswith(
        "Samordningsförbundet Norrbotten, genom dess elektroniska sigill. "
        "Samordningsförbundet Norrbotten PROTOKOLLSUTDRAG 2021-09-27 Sida 1 av 1"
    )
