"""Long-term proof of the seal (docs/seal.md): with SEAL_TSA_URL each seal carries
an RFC 3161 time-stamp from the TSA, asked over HTTP (a TSA on loopback here,
tests/time_stamping.py), and every seal the validation data of its certificates in
the document security store (PAdES B-LT). /verifiera/ says whether and when a
document was time-stamped."""

import io
import logging

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.dss import DocumentSecurityStore
from pypdf import PdfReader

from meetings.documents import sealing
from meetings.documents.verification import verify
from tests.conftest import justera


def _certificates(*paths):
    from pyhanko.sign.general import load_certs_from_pemder

    return list(load_certs_from_pemder(list(paths)))


def test_a_justerat_protocol_is_time_stamped_by_the_tsa_and_carries_validation_data(
    drafted, annica, secretary, tsa, settings
):
    justera(drafted, justerare=[annica], by=secretary)
    drafted.refresh_from_db()
    sealed = drafted.archive.pdf.open("rb").read()

    # The TSA was asked over HTTP, for the original and for the public version (each
    # seal's signature is measured once, then made: two requests per seal).
    assert len(tsa.requests) == 4
    check = sealing.check_seal(sealed)
    assert check.ok
    assert check.time_stamp_trusted
    assert check.time_stamped_at is not None
    assert abs((check.time_stamped_at - drafted.justerat_at).total_seconds()) < 60

    # The validation data is in the document security store, in the signature's own
    # revision (so the seal covers the whole file): the seal's and the TSA's
    # certificates.
    reader = PdfReader(io.BytesIO(sealed))
    dss = reader.trailer["/Root"]["/DSS"]
    embedded = {bytes(c.get_object().get_data()) for c in dss["/Certs"]}
    seal_cert, tsa_root = _certificates(settings.SEAL_CERTIFICATE_FILE, str(tsa.root_file))
    assert seal_cert.dump() in embedded
    assert tsa_root.dump() in embedded
    # The TSA's certificate names a CRL (issue 32): fetched when sealing and kept in
    # the DSS, so the document proves its long-term validation level (PAdES B-LT).
    crls = {bytes(c.get_object().get_data()) for c in dss["/CRLs"]}
    assert tsa.crl in crls
    assert check.level == "B-LT"

    # Validated offline from the embedded data alone, trusting only the two roots:
    # the TSA's own certificate (not a root) comes from the DSS.
    pyhanko_reader = PdfFileReader(io.BytesIO(sealed))
    store = DocumentSecurityStore.read_dss(pyhanko_reader)
    context = store.as_validation_context(
        {"trust_roots": [seal_cert, tsa_root], "allow_fetching": False}
    )
    status = validate_pdf_signature(
        pyhanko_reader.embedded_signatures[0], context, ts_validation_context=context
    )
    assert status.bottom_line
    assert status.timestamp_validity.trusted
    assert status.coverage.name == "ENTIRE_FILE"


def test_verifiera_says_when_a_document_was_time_stamped(client, drafted, annica, secretary, tsa):
    justera(drafted, justerare=[annica], by=secretary)
    drafted.refresh_from_db()
    pdf = drafted.public_version.pdf.open("rb").read()
    at = timezone.localtime(sealing.check_seal(pdf).time_stamped_at)

    page = client.post(
        "/verifiera/", {"file": SimpleUploadedFile("p.pdf", pdf, "application/pdf")}
    ).content.decode()

    assert "Äkta" in page
    assert f"Tidsstämplad: sigillet fanns {at:%Y-%m-%d %H.%M.%S}" in page
    # The level this document proves, not the one the installation aims at.
    assert "Dokumentet innehåller också certifikatens spärrinformation (PAdES B-LT)" in page
    assert (
        f"tidsstämpel enligt RFC 3161 från {tsa.url}" in client.get("/verifiera/").content.decode()
    )


def test_a_time_stamp_from_an_authority_not_trusted_here_is_said_to_be_one(
    drafted, annica, secretary, tsa, settings
):
    justera(drafted, justerare=[annica], by=secretary)
    drafted.refresh_from_db()
    pdf = drafted.archive.pdf.open("rb").read()
    settings.SEAL_TSA_TRUST_FILE = ""

    check = sealing.check_seal(pdf)

    assert check.ok  # the seal itself is intact and ours
    assert check.time_stamped_at is not None
    assert not check.time_stamp_trusted


def test_a_tsa_whose_certificates_give_no_revocation_data_makes_b_t_and_the_page_says_so(
    client, drafted, annica, secretary, settings, tmp_path
):
    from tests import time_stamping

    authority = time_stamping.start(tmp_path, crl=False)
    settings.SEAL_TSA_URL = authority.url
    settings.SEAL_TSA_TRUST_FILE = str(authority.root_file)
    try:
        justera(drafted, justerare=[annica], by=secretary)
    finally:
        authority.stop()
    drafted.refresh_from_db()
    pdf = drafted.public_version.pdf.open("rb").read()

    page = client.post(
        "/verifiera/", {"file": SimpleUploadedFile("p.pdf", pdf, "application/pdf")}
    ).content.decode()

    assert sealing.check_seal(pdf).level == "B-T"
    assert "/CRLs" not in str(PdfReader(io.BytesIO(pdf)).trailer["/Root"]["/DSS"])
    assert "Dokumentet innehåller ingen spärrinformation för certifikaten (PAdES B-T)" in page
    assert "(PAdES B-LT)" not in page.split("Tekniska uppgifter")[0]


def test_without_a_tsa_the_seal_has_no_time_stamp_and_the_page_says_so(client, justerat):
    pdf = justerat.archive.pdf.open("rb").read()

    check = sealing.check_seal(pdf)
    page = client.post(
        "/verifiera/", {"file": SimpleUploadedFile("p.pdf", pdf, "application/pdf")}
    ).content.decode()

    assert check.ok and check.time_stamped_at is None
    assert "Sigillet har ingen tidsstämpel" in page
    assert "Sigill som görs här har ingen tidsstämpel." in page


def test_a_tsa_that_does_not_answer_leaves_the_protocol_sealed_without_one(
    drafted, annica, secretary, settings, caplog
):
    import socket

    with socket.socket() as unused:  # a port nobody listens on
        unused.bind(("127.0.0.1", 0))
        port = unused.getsockname()[1]
    settings.SEAL_TSA_URL = f"http://127.0.0.1:{port}/tsa"

    with caplog.at_level(logging.ERROR, logger="meetings.documents.sealing"):
        justera(drafted, justerare=[annica], by=secretary)
    drafted.refresh_from_db()

    assert drafted.is_frozen
    check = sealing.check_seal(drafted.archive.pdf.open("rb").read())
    assert check.ok and check.time_stamped_at is None
    assert f"No time-stamp from http://127.0.0.1:{port}/tsa" in caplog.text


def test_bytes_after_the_validation_data_are_something_added(justerat):
    pdf = justerat.archive.pdf.open("rb").read()

    added = sealing.check_seal(pdf + b"\n% tillagt\n")

    assert sealing.check_seal(pdf).whole_file
    assert not added.whole_file
    assert verify(pdf + b"\n% tillagt\n").message == (
        "Inte äkta: något har lagts till i filen efter att den förseglades."
    )


def test_the_seal_field_is_named_for_screen_readers(justerat):
    reader = PdfReader(io.BytesIO(justerat.archive.pdf.open("rb").read()))
    (field,) = [f.get_object() for f in reader.trailer["/Root"]["/AcroForm"]["/Fields"]]

    assert field["/T"] == "Sigill"
    assert field["/TU"] == "Organisationens elektroniska sigill"


def test_verifiera_publishes_the_tsa_root_a_reader_needs(client, tsa):
    from cryptography import x509

    from tests.meetings.test_verification_without_paragraf import shown_fingerprint

    root = x509.load_pem_x509_certificate(tsa.root_file.read_bytes())
    shown = shown_fingerprint(root)

    page = client.get("/verifiera/").content.decode()
    pem = client.get("/verifiera/tidsstampel.pem")

    assert f'<code class="fingerprint">{shown}</code>' in page
    assert "--trust tidsstampel-rot.pem protokoll.pdf" in page
    assert pem.status_code == 200
    assert x509.load_pem_x509_certificate(pem.content) == root


def test_without_a_tsa_no_root_is_published(client, db):
    assert client.get("/verifiera/tidsstampel.pem").status_code == 404
    assert "tidsstampel-rot.pem" not in client.get("/verifiera/").content.decode()


def test_documents_sealed_before_a_renewal_stay_authentic(justerat, settings, tmp_path):
    """The certificate is renewed; the old one, in SEAL_RETIRED_CERTIFICATES_FILE,
    still vouches for what it sealed (docs/seal.md: Renew)."""
    import shutil

    pdf = justerat.archive.pdf.open("rb").read()
    retired = tmp_path / "tidigare.pem"
    shutil.copy(settings.SEAL_CERTIFICATE_FILE, retired)
    settings.SEAL_CERTIFICATE_FILE = str(tmp_path / "ny" / "certifikat.pem")
    settings.SEAL_KEY_FILE = str(tmp_path / "ny" / "nyckel.pem")
    sealing.create_development_certificate("Paragraf nytt sigill")

    assert not verify(pdf).authentic  # the new certificate alone does not know it
    settings.SEAL_RETIRED_CERTIFICATES_FILE = str(retired)
    assert verify(pdf).authentic
