"""PDF/A's rules for metadata that can be checked without a validator, on every
sealed PDF/A document: the document information dictionary and the XMP metadata say
the same (producer, creating tool, title, creation and modification dates), and an
embedded file is listed once among the associated files."""

import datetime
import io
import re

import pytest
from pypdf import PdfReader

from meetings.actions import justering, publication, rattelse
from meetings.documents import utdrag


def _xmp(reader: PdfReader) -> str:
    return reader.trailer["/Root"]["/Metadata"].get_object().get_data().decode()


def _xmp_value(xmp: str, name: str) -> str | None:
    found = re.search(rf'{name}="([^"]*)"', xmp) or re.search(rf"<{name}>([^<]*)</{name}>", xmp)
    return found.group(1) if found else None


def assert_agreeing_metadata(data: bytes, *, embedded: int) -> None:
    reader = PdfReader(io.BytesIO(data))
    info = reader.metadata
    xmp = _xmp(reader)
    assert _xmp_value(xmp, "pdfaid:part") == "3"
    assert info["/Producer"] == _xmp_value(xmp, "pdf:Producer")
    assert info["/Creator"] == _xmp_value(xmp, "xmp:CreatorTool")
    assert info["/Creator"].startswith("WeasyPrint ")
    assert info["/Title"] in xmp
    for moment, name in (
        (info.creation_date, "xmp:CreateDate"),
        (info.modification_date, "xmp:ModifyDate"),
    ):
        assert moment == datetime.datetime.fromisoformat(_xmp_value(xmp, name))
    associated = reader.trailer["/Root"].get("/AF", [])
    assert len(associated) == embedded
    assert len({a.idnum for a in associated}) == embedded


@pytest.fixture
def published(justerat):
    publication.publish(justerat, by=None)
    return justerat


def test_the_sealed_original_and_public_version_agree_in_their_metadata(published):
    # The original carries protokoll.json and justering.json (how each approved);
    # the public version its redacted protokoll.json only.
    assert_agreeing_metadata(published.archive.pdf.open("rb").read(), embedded=2)
    assert_agreeing_metadata(published.public_version.pdf.open("rb").read(), embedded=1)


def test_an_extract_and_a_rattelse_agree_in_their_metadata(published, secretary):
    extract = utdrag.public_extract(published.public_version, 4)
    assert_agreeing_metadata(extract.pdf.open("rb").read(), embedded=0)

    correction = rattelse.propose(
        published, text="§ 4: Tjänsteköpet gäller 2022.", paragraph=None, by=secretary
    )
    for person in justering.approvers(published):
        person.refresh_from_db()
        rattelse.approve(correction, person, user=person.user)
    correction.refresh_from_db()
    assert_agreeing_metadata(correction.pdf.open("rb").read(), embedded=0)
