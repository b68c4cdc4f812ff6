"""Every document Paragraf makes passes the PDF/UA-1 rules an offline checker can
decide (tests/pdf_ua.py): the protocol (the sealed original and its public version),
the kallelse, a protokollsutdrag and a rättelse."""

import re

import pytest

from meetings.actions import kallelse, rattelse
from meetings.documents import utdrag
from meetings.models import Rattelse
from tests import pdf_ua


@pytest.fixture
def documents(justerat, secretary, fredrik, annica):
    """The four kinds, as stored or sent."""
    paragraph = justerat.paragraphs.get(title="Tjänsteköp Samordnare")
    correction = rattelse.propose(
        justerat, text="Tjänsteköpet gäller från 2021-10-08.", paragraph=paragraph, by=secretary
    )
    for person in (fredrik, annica):
        rattelse.approve(correction, person, user=secretary)
    correction = Rattelse.objects.get(pk=correction.pk)
    extract = utdrag.public_extract(justerat.public_version, paragraph.number)
    return {
        "protokoll": justerat.archive.pdf.open("rb").read(),
        "offentlig version": justerat.public_version.pdf.open("rb").read(),
        "kallelse": kallelse.render(justerat),
        "utdrag": extract.pdf.open("rb").read(),
        "rättelse": correction.pdf.open("rb").read(),
        "rättelse, offentlig": correction.public_pdf.open("rb").read(),
    }


def test_every_document_passes_the_offline_pdf_ua_rules(documents):
    found = {name: pdf_ua.problems(pdf) for name, pdf in documents.items()}

    assert found == {name: [] for name in documents}


def test_the_checker_finds_what_weasyprint_and_pyhanko_leave_undone():
    """Without Paragraf's finishing, the same HTML fails the rules the documents
    pass: the checker is not blind to them."""
    from pyhanko.sign import fields, signers
    from weasyprint import HTML

    from meetings.documents import accessible_pdf, sealing

    html = (
        '<html lang="sv"><head><title>Prov</title><style>@page { @top-left { content: '
        '"Löptext" } }</style></head><body><h1>Prov</h1><table><tr><th scope="row">Datum'
        "</th><td>2026-12-06</td></tr></table></body></html>"
    )
    bare = HTML(string=html).write_pdf(pdf_variant="pdf/a-3a")
    found = " ".join(pdf_ua.problems(bare))
    assert "06-002" in found  # no PDF/UA identifier
    assert "01-003" in found  # the running head neither artifact nor structure
    assert "15-003" in found  # the TH without /Scope

    # pyHanko's own field for the seal: unnamed, outside the structure tree.
    import io

    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    writer = IncrementalPdfFileWriter(io.BytesIO(bare))
    plain = (
        signers.PdfSigner(
            signers.PdfSignatureMetadata(field_name="Sigill"),
            signer=sealing._signer(),
            new_field_spec=fields.SigFieldSpec("Sigill"),
        )
        .sign_pdf(writer)
        .getvalue()
    )
    found = " ".join(pdf_ua.problems(plain))
    assert "28-002" in found and "28-005" in found

    # The same finished and sealed by Paragraf: nothing left.
    finished = HTML(string=html).write_pdf(pdf_variant="pdf/a-3a", finisher=accessible_pdf.finish)
    assert pdf_ua.problems(sealing.seal(finished, reason="Prov", location="Prov")) == []


def test_running_heads_are_artifacts_and_header_cells_have_their_scope(justerat):
    import io

    from pypdf import PdfReader
    from pypdf.generic import IndirectObject

    reader = PdfReader(io.BytesIO(justerat.archive.pdf.open("rb").read()))
    content = " ".join(reader.pages[0].get_contents().get_data().decode("latin-1").split())
    tree = reader.trailer["/Root"]["/StructTreeRoot"]

    # The organisation's name, the document and the page number around the page are
    # drawn inside artifacts, and nothing is marked with an MCID the tree lacks.
    texts = re.findall(r"/Artifact BMC (.*?) EMC", content)
    assert sum(" TJ" in t for t in texts) == 3
    scopes = []
    pending = [tree["/K"][0]]
    while pending:
        element = pending.pop().get_object()
        if element.get("/Type") != "/StructElem":
            continue
        if element.get("/S") == "/TH":
            scopes.append(element["/A"]["/Scope"])
        kids = element.get("/K", [])
        pending.extend(
            k for k in (kids if isinstance(kids, list) else [kids]) if isinstance(k, IndirectObject)
        )
    assert scopes and set(scopes) == {"/Row"}  # the protocol's facts: one header per row
