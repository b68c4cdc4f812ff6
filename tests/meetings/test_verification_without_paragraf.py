"""What a reader needs to check a protocol without Paragraf (docs/verification.md):
the seal's certificate and fingerprint published on /verifiera/, and the version
printed in the PDF reproduced from its embedded JSON by the documented rule."""

import hashlib
import io
import json

from cryptography import x509
from cryptography.hazmat.primitives import hashes
from pypdf import PdfReader


def shown_fingerprint(certificate: x509.Certificate) -> str:
    """A certificate's SHA-256 fingerprint as /verifiera/ shows it (and openssl prints
    it): AB:CD:…, computed here with cryptography, not with the site's code."""
    fingerprint = certificate.fingerprint(hashes.SHA256()).hex().upper()
    return ":".join(fingerprint[i : i + 2] for i in range(0, 64, 2))


def test_verifiera_publishes_the_seal_certificate_and_its_fingerprint(client, justerat, settings):
    with open(settings.SEAL_CERTIFICATE_FILE, "rb") as f:
        certificate = x509.load_pem_x509_certificate(f.read())
    shown = shown_fingerprint(certificate)

    page = client.get("/verifiera/").content.decode()
    pem = client.get("/verifiera/sigill.pem")

    assert f'<code class="fingerprint">{shown}</code>' in page
    assert 'href="/verifiera/sigill.pem"' in page
    assert pem.status_code == 200
    assert pem["Content-Type"] == "application/x-pem-file"
    assert x509.load_pem_x509_certificate(pem.content) == certificate
    # The sealed PDF is signed with exactly that certificate.
    sealed = PdfReader(io.BytesIO(justerat.archive.pdf.open("rb").read()))
    assert sealed.trailer["/Root"]["/AcroForm"]["/Fields"][0].get_object()["/V"]


def test_without_a_seal_nothing_is_published_as_one(client, db, no_seal):
    assert client.get("/verifiera/sigill.pem").status_code == 404
    assert "fingerprint" not in client.get("/verifiera/").content.decode()


def test_the_version_in_the_pdf_is_reproduced_by_the_documented_rule(justerat):
    sealed = PdfReader(io.BytesIO(justerat.archive.pdf.open("rb").read()))
    (embedded,) = sealed.attachments["protokoll.json"]

    # docs/verification.md, step 3, as written there.
    data = json.loads(embedded.decode("utf-8"))
    del data["meeting"]["status"]
    text = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    version = hashlib.sha256(text.encode("utf-8")).hexdigest()

    assert version == justerat.archive.content_hash
    printed = " ".join(page.extract_text() for page in sealed.pages).replace("\n", "")
    assert version in printed.replace(" ", "")


def test_a_self_signed_seal_is_said_to_be_one(client, justerat):
    page = client.get("/verifiera/").content.decode()

    assert "Ett självsignerat certifikat, för utveckling och test" in page


def test_the_certificate_is_named_as_pdfsig_names_the_signer(client, justerat):
    page = client.get("/verifiera/").content.decode()

    # pdfsig: "Signer full Distinguished Name: CN=Paragraf utvecklingssigill,O=…,C=SE"
    assert "<td>CN=Paragraf utvecklingssigill,O=Paragraf (utveckling),C=SE</td>" in page
