"""The organisation's seal on a justerat protocol: a PAdES signature made with
pyHanko, and its verification.

The certificate and key come from settings (SEAL_CERTIFICATE_FILE, SEAL_KEY_FILE,
SEAL_KEY_PASSPHRASE, SEAL_CHAIN_FILE). `create_development_certificate` makes a
self-signed pair for development and the demo; a förbund in production uses a
certificate it obtained (docs/seal.md).

Every seal carries the validation data of its certificates in the document security
store, in the signature's own revision; with SEAL_TSA_URL also an RFC 3161
time-stamp (PAdES B-LT): the proof of when it was sealed outlives the certificate.
"""

import datetime
import io
import logging
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING
from xml.sax.saxutils import escape as xml_escape

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.x509.oid import NameOID
from django.conf import settings
from django.utils.translation import gettext as _
from pyhanko.pdf_utils.generic import (
    ArrayObject,
    DictionaryObject,
    NumberObject,
    StreamObject,
    TextStringObject,
    pdf_date,
    pdf_name,
)
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.metadata import model as xmp_model
from pyhanko.pdf_utils.metadata import xmp_xml
from pyhanko.pdf_utils.metadata.model import VENDOR
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import fields, signers
from pyhanko.sign.general import get_pyca_cryptography_hash, load_certs_from_pemder
from pyhanko.sign.signers.pdf_signer import DSSContentSettings, SigDSSPlacementPreference
from pyhanko.sign.timestamps import TimestampRequestError
from pyhanko.sign.timestamps.requests_client import RequestsHTTPTimeStamper
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext

if TYPE_CHECKING:
    from asn1crypto import x509 as asn1_x509

logger = logging.getLogger(__name__)

SIGNATURE_FIELD = "Sigill"
# What a screen reader says of the seal's field (PDF/UA: a form field has a name).
SIGNATURE_FIELD_DESCRIPTION = "Organisationens elektroniska sigill"


class SealNotConfigured(Exception):
    """No certificate and key where the settings say they are."""


class SealUnreadable(SealNotConfigured):
    """A certificate and key are there, but cannot be loaded."""


def certificate_path() -> Path:
    return Path(settings.SEAL_CERTIFICATE_FILE)


def key_path() -> Path:
    return Path(settings.SEAL_KEY_FILE)


def create_development_certificate(common_name: str = "Paragraf utvecklingssigill") -> bool:
    """Write a self-signed certificate and key where the settings point, unless both
    exist. Returns True if it wrote them. For development and the demo only."""
    cert_file, key_file = certificate_path(), key_path()
    if cert_file.exists() and key_file.exists():
        return False
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "SE"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Paragraf (utveckling)"),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ]
    )
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=3650))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,
                key_cert_sign=True,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .sign(key, hashes.SHA256())
    )
    cert_file.parent.mkdir(parents=True, exist_ok=True)
    key_file.parent.mkdir(parents=True, exist_ok=True)
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    key_file.chmod(0o600)
    cert_file.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    return True


class _SealSigner(signers.SimpleSigner):
    """pyHanko's SimpleSigner, but the key is parsed once: SimpleSigner parses it
    (with a slow RSA consistency check) for every signature, and pyHanko signs twice
    per seal, the first time only to measure the signature's size. That doubled the
    cost of sealing a protocol (bench/: 140 ms of which 70 ms went to the key)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._key = serialization.load_der_private_key(self.signing_key.dump(), password=None)

    @property
    def certificate(self) -> "asn1_x509.Certificate":
        """pyHanko's signing_cert, which a seal's signer always has (_signer() makes
        it from the certificate it loaded)."""
        assert self.signing_cert is not None
        return self.signing_cert

    async def async_sign_raw(self, data: bytes, digest_algorithm: str, dry_run=False) -> bytes:
        mechanism = self.get_signature_mechanism_for_digest(digest_algorithm).signature_algo
        key = self._key
        # The PKCS#1 v1.5 mechanism is chosen for an RSA key, and only for one.
        if mechanism != "rsassa_pkcs1v15" or not isinstance(key, rsa.RSAPrivateKey):
            return await super().async_sign_raw(data, digest_algorithm, dry_run)
        if dry_run:  # a PKCS#1 v1.5 signature is exactly as long as the modulus
            return bytes((key.key_size + 7) // 8)
        return key.sign(data, padding.PKCS1v15(), get_pyca_cryptography_hash(digest_algorithm))


# Per process, the signer of the files as they are now: reloaded when either changes.
_loaded: dict[tuple, _SealSigner] = {}


def _signer() -> _SealSigner:
    if not (certificate_path().exists() and key_path().exists()):
        raise SealNotConfigured(
            f"No seal certificate at {certificate_path()} and key at {key_path()}; "
            "run `manage.py create_seal_certificate` for development."
        )
    stamp = tuple(
        (str(p), p.stat().st_mtime_ns, p.stat().st_size) for p in (key_path(), certificate_path())
    )
    if stamp not in _loaded:
        passphrase = settings.SEAL_KEY_PASSPHRASE.encode() if settings.SEAL_KEY_PASSPHRASE else None
        chain = [settings.SEAL_CHAIN_FILE] if settings.SEAL_CHAIN_FILE else None
        loaded = signers.SimpleSigner.load(
            str(key_path()), str(certificate_path()), chain, key_passphrase=passphrase
        )
        if loaded is None:  # pyHanko logs why and gives nothing
            raise SealUnreadable(
                f"The seal key {key_path()} or certificate {certificate_path()} cannot be "
                "read (not PEM, or another passphrase)."
            )
        signer = _SealSigner(
            signing_cert=loaded.signing_cert,
            signing_key=loaded.signing_key,
            cert_registry=loaded.cert_registry,
        )
        _loaded.clear()
        _loaded[stamp] = signer
    return _loaded[stamp]


# A certificate this close to its end is reported: a new one takes time to obtain.
EXPIRY_WARNING = datetime.timedelta(days=30)


def problem() -> str:
    """Why this installation cannot seal a protocol now, or "" when it can: the
    certificate and key are where the settings say, readable, a pair, and the
    certificate valid today. Said in words an administrator acts on."""
    try:
        signer = _signer()
    except SealUnreadable as e:
        return _("The seal certificate or key cannot be read: %(error)s") % {"error": e}
    except SealNotConfigured:
        return _("There is no seal certificate at %(cert)s with its key at %(key)s.") % {
            "cert": certificate_path(),
            "key": key_path(),
        }
    except Exception as e:  # unreadable, wrong passphrase, not a key or certificate
        return _("The seal certificate or key cannot be read: %(error)s") % {"error": e}
    certificate = signer.certificate
    now = datetime.datetime.now(datetime.UTC)
    if certificate.not_valid_after < now:
        return _("The seal certificate expired on %(date)s.") % {
            "date": f"{certificate.not_valid_after:%Y-%m-%d}"
        }
    if certificate.not_valid_before > now:
        return _("The seal certificate is valid only from %(date)s.") % {
            "date": f"{certificate.not_valid_before:%Y-%m-%d}"
        }
    public = serialization.load_der_public_key(certificate.public_key.dump())
    if public != signer._key.public_key():
        return _("The seal key does not belong to the seal certificate.")
    return ""


def certificate_facts() -> dict | None:
    """What the public is told of the seal, to check a PDF without Paragraf: the
    certificate (PEM), whom it names, until when it is valid, and its SHA-256
    fingerprint as tools print it (AB:CD:…). None without a usable seal."""
    if problem():
        return None
    certificate = _signer().certificate
    return {
        **_published([certificate]),
        "issuer": x509.load_der_x509_certificate(certificate.dump()).issuer.rfc4514_string(),
        "not_after": certificate.not_valid_after,
        "self_signed": certificate.subject == certificate.issuer,
        "time_stamping": settings.SEAL_TSA_URL,
    }


def tsa_facts() -> dict | None:
    """The time-stamping authority's root that this installation trusts, published
    so that a reader can check a time-stamp without Paragraf: whom it names, its
    SHA-256 fingerprint and PEM. None without SEAL_TSA_TRUST_FILE."""
    roots = _tsa_roots()
    return _published(roots) if roots else None


def _published(certificates: list) -> dict:
    """The first certificate's name as RFC 4514 writes it (CN=…,O=…,C=SE, as pdfsig
    prints the signer's: the reader compares like with like, in no one language),
    its SHA-256 fingerprint as tools print it (AB:CD:…), and all of them as PEM."""
    loaded = [x509.load_der_x509_certificate(c.dump()) for c in certificates]
    digest = loaded[0].fingerprint(hashes.SHA256()).hex().upper()
    return {
        "subject": loaded[0].subject.rfc4514_string(),
        "fingerprint": ":".join(digest[i : i + 2] for i in range(0, len(digest), 2)),
        "pem": b"".join(c.public_bytes(serialization.Encoding.PEM) for c in loaded),
    }


def expires_soon() -> datetime.datetime | None:
    """The end of a usable certificate's validity, when it is near."""
    if problem():
        return None
    end = _signer().certificate.not_valid_after
    return end if end - datetime.datetime.now(datetime.UTC) < EXPIRY_WARNING else None


def _tsa_roots() -> list:
    path = settings.SEAL_TSA_TRUST_FILE
    return list(load_certs_from_pemder([path])) if path else []


def _trust(signer: signers.SimpleSigner) -> ValidationContext:
    """Whom a seal's validation data is gathered for: the seal's own chain (up to
    the last certificate the installation holds, a self-signed one included) and
    the TSA's roots. Revocation data (OCSP, CRL) is fetched where the certificates
    name it, as B-LT wants; a development certificate names none."""
    chain = [signer.signing_cert, *signer.cert_registry]
    return ValidationContext(
        trust_roots=[chain[-1], *_tsa_roots()],
        other_certs=chain[:-1],
        allow_fetching=True,
        revocation_mode="soft-fail",
    )


def seal(pdf: bytes, *, reason: str, location: str) -> bytes:
    """The PDF with the organisation's PAdES signature added (an incremental update,
    so the PDF/A content stays as rendered): with a TSA configured, time-stamped and
    with its validation data (B-LT). If the TSA does not answer, the document is
    sealed without a time-stamp (a justering must not wait on a third party) and the
    failure is logged as an error for the administrator."""
    signer = _signer()
    timestamper = None
    if settings.SEAL_TSA_URL:
        timestamper = RequestsHTTPTimeStamper(
            settings.SEAL_TSA_URL, timeout=settings.SEAL_TSA_TIMEOUT
        )
    try:
        return _sign(pdf, signer, reason, location, timestamper)
    except TimestampRequestError as e:
        logger.error("No time-stamp from %s (%s): sealed without one", settings.SEAL_TSA_URL, e)
        return _sign(pdf, signer, reason, location, None)


def _sign(pdf: bytes, signer, reason: str, location: str, timestamper) -> bytes:
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
    _agreeing_metadata(writer)
    metadata = signers.PdfSignatureMetadata(
        field_name=SIGNATURE_FIELD,
        md_algorithm="sha256",
        subfilter=fields.SigSeedSubFilter.PADES,
        reason=reason,
        location=location,
        embed_validation_info=True,
        validation_context=_trust(signer),
        # The validation data in the signature's own revision (the TSA's certificates
        # learnt beforehand): the seal then covers the whole file, and checking it
        # needs no analysis of a later revision (bench/: 6 s for a 25-page protocol
        # with the data in a revision after the signature, against 18 ms).
        dss_settings=DSSContentSettings(
            placement=SigDSSPlacementPreference.TOGETHER_WITH_SIGNATURE,
            include_vri=False,
        ),
    )
    _tagged_seal_field(writer)
    return (
        signers.PdfSigner(metadata, signer=signer, timestamper=timestamper)
        .sign_pdf(writer)
        .getvalue()
    )


def _tagged_seal_field(writer: IncrementalPdfFileWriter) -> None:
    """The seal's (invisible) form field, named for assistive technology (/TU) and,
    in a tagged PDF, placed in the structure tree as a Form element, as PDF/UA wants
    of every annotation: made here, in the same revision, and then signed."""
    fields.append_signature_field(
        writer,
        fields.SigFieldSpec(SIGNATURE_FIELD, readable_field_name=SIGNATURE_FIELD_DESCRIPTION),
    )
    root = writer.root
    if "/StructTreeRoot" not in root:
        return
    form_fields = root["/AcroForm"]["/Fields"]
    field_ref = next(
        form_fields.raw_get(i)
        for i in range(len(form_fields))
        if form_fields[i].get("/T") == SIGNATURE_FIELD
    )
    page_ref = writer.find_page_for_modification(0)[0]
    tree_ref = root.raw_get("/StructTreeRoot")
    tree = tree_ref.get_object()
    kids = tree.raw_get("/K")
    document_ref = kids.raw_get(0) if isinstance(kids, ArrayObject) else kids
    document = document_ref.get_object()
    parent_tree_ref = tree.raw_get("/ParentTree")
    nums = parent_tree_ref.get_object()["/Nums"]
    key = max(int(nums[i]) for i in range(0, len(nums), 2)) + 1
    form_ref = writer.add_object(
        DictionaryObject(
            {
                pdf_name("/Type"): pdf_name("/StructElem"),
                pdf_name("/S"): pdf_name("/Form"),
                pdf_name("/P"): document_ref,
                pdf_name("/Pg"): page_ref,
                pdf_name("/Alt"): TextStringObject(SIGNATURE_FIELD_DESCRIPTION),
                pdf_name("/K"): DictionaryObject(
                    {
                        pdf_name("/Type"): pdf_name("/OBJR"),
                        pdf_name("/Obj"): field_ref,
                        pdf_name("/Pg"): page_ref,
                    }
                ),
            }
        )
    )
    document_kids = document.raw_get("/K")
    if not isinstance(document_kids, ArrayObject):
        document[pdf_name("/K")] = document_kids = ArrayObject([document_kids])
    document_kids.append(form_ref)
    nums.extend([NumberObject(key), form_ref])
    field_ref.get_object()[pdf_name("/StructParent")] = NumberObject(key)
    tree[pdf_name("/ParentTreeNextKey")] = NumberObject(key + 1)
    for changed in (document_ref, parent_tree_ref, tree_ref, field_ref):
        writer.mark_update(changed)


def _agreeing_metadata(writer: IncrementalPdfFileWriter) -> None:
    """PDF/A wants the document information dictionary and the XMP metadata to say
    the same. pyHanko rewrites the XMP producer and dates when it seals, but in the
    dictionary only adds itself to WeasyPrint's producer and updates dates that are
    there already: so the dictionary is given, before it signs, exactly what it will
    write in both (the producer, WeasyPrint as the creating tool, one time for
    creation and sealing)."""
    sealed_at = datetime.datetime.now(datetime.UTC).replace(microsecond=0)
    info = writer.trailer["/Info"].get_object()
    made_by = str(info.get("/Producer", ""))
    meta = writer.document_meta
    meta.created = meta.last_modified = sealed_at
    if made_by and made_by != VENDOR:
        meta.creator = made_by
        info[pdf_name("/Creator")] = TextStringObject(made_by)
    info[pdf_name("/Producer")] = TextStringObject(VENDOR)
    for key in ("/CreationDate", "/ModDate"):
        info[pdf_name(key)] = pdf_date(sealed_at)
    writer.update_container(info)
    # The XMP as rendered (PDF/A and PDF/UA identification, the extension schema that
    # declares pdfuaid) is kept as written: pyHanko would parse and write it again in
    # its own form, and compressed, which PDF/A validators refuse (ISO 19005-3,
    # 6.6.2.1 and 6.6.2.3). Only the values it updates are set in the text.
    current = writer.root["/Metadata"].get_object()
    exact = _ExactXmp(stream_data=current.data)
    writer.root[pdf_name("/Metadata")] = writer.add_object(exact)
    writer.update_root()


def _write_stream_with_a_clear_end(self, stream, handler=None, container_ref=None):
    """pyHanko's StreamObject.write_to_stream, but for data that ends in a carriage
    return: "\\r" then pyHanko's "\\n" before endstream reads as one CRLF end of line,
    and a PDF/A validator counts the stream a byte short of its /Length (ISO 19005-3,
    6.1.7.1; page-validation's PDFA3A-STREAM-LENGTH-001). Such data (a compressed
    cross-reference stream, a certificate of the DSS) ends with CRLF instead."""
    data = self.encoded_data
    if handler is not None and container_ref is not None and not self._has_crypt_filter:
        cf = handler.get_stream_filter()
        data = cf.encrypt(cf.derive_object_key(container_ref.idnum, container_ref.generation), data)
    self[pdf_name("/Length")] = NumberObject(len(data))
    DictionaryObject.write_to_stream(self, stream, handler, container_ref)
    del self["/Length"]
    stream.write(b"\nstream\n")
    stream.write(data)
    stream.write(b"\r\nendstream" if data.endswith(b"\r") else b"\nendstream")


StreamObject.write_to_stream = _write_stream_with_a_clear_end  # type: ignore[method-assign]


# The XMP properties pyHanko sets when it seals, and how they are written in the XMP.
_XMP_SET = {
    xmp_model.XMP_MODDATE: "xmp:ModifyDate",
    xmp_model.XMP_CREATEDATE: "xmp:CreateDate",
    xmp_model.PDF_PRODUCER: "pdf:Producer",
    xmp_model.XMP_CREATORTOOL: "xmp:CreatorTool",
}


class _ExactXmp(xmp_xml.MetadataStream):
    """A metadata stream that pyHanko updates in place: the dates, producer and
    creating tool it would write, set in the text as it stands; uncompressed."""

    def update_xmp_with_meta(self, meta):
        fields = {k: v for root in xmp_xml.update_xmp_with_meta(meta) for k, v in root}
        text = self.data.decode("utf-8")
        for name, tag in _XMP_SET.items():
            value = fields.get(name)
            if value is None or not isinstance(value.value, str):
                continue
            new = xml_escape(value.value)
            element = re.compile(rf"<{tag}>[^<]*</{tag}>")
            attribute = re.compile(rf'\b{tag}="[^"]*"')
            if element.search(text):
                text = element.sub(f"<{tag}>{new}</{tag}>".replace("\\", "\\\\"), text, count=1)
            elif attribute.search(text):
                text = attribute.sub(f'{tag}="{new}"'.replace("\\", "\\\\"), text, count=1)
            else:  # a Description of its own, declaring its namespace
                prefix = tag.split(":")[0]
                text = text.replace(
                    "</rdf:RDF>",
                    f'<rdf:Description rdf:about="" xmlns:{prefix}="{name.ns}"><{tag}>{new}</{tag}>'
                    "</rdf:Description></rdf:RDF>",
                    1,
                )
        self._data = text.encode("utf-8")
        self._encoded_data = None
        self.pop("/Filter", None)
        self.pop("/DecodeParms", None)


@dataclass
class SealCheck:
    sealed: bool  # a signature is there at all
    intact: bool  # the signed bytes are unchanged
    trusted: bool  # made with this installation's certificate
    whole_file: bool  # nothing was added after the signature
    signer: str = ""
    problem: str = ""
    # The RFC 3161 time-stamp on the signature, when there is one: its time, and
    # whether its token is intact and from a TSA this installation trusts.
    time_stamped_at: datetime.datetime | None = None
    time_stamp_trusted: bool = False
    # What the document itself proves (ETSI EN 319 142-1): B-B a signature, B-T with a
    # time-stamp, B-LT with the revocation information of its certificates too.
    level: str = ""

    @property
    def ok(self) -> bool:
        return self.sealed and self.intact and self.trusted and self.whole_file


def check_seal(pdf: bytes) -> SealCheck:
    """Verify the seal against this installation's certificate and those it retired
    (the only trust roots: a seal made elsewhere is not ours, however valid)."""
    try:
        reader = PdfFileReader(io.BytesIO(pdf), strict=False)
        signatures = reader.embedded_signatures
    except Exception as e:  # any damage to the file's structure
        return SealCheck(False, False, False, False, problem=f"unreadable PDF: {e}")
    if not signatures:
        return SealCheck(False, False, False, False, problem="no signature")
    retired = settings.SEAL_RETIRED_CERTIFICATES_FILE
    ours = [_signer().signing_cert, *(load_certs_from_pemder([retired]) if retired else [])]
    context = ValidationContext(trust_roots=ours, allow_fetching=False)
    tsa_context = ValidationContext(trust_roots=_tsa_roots(), allow_fetching=False)
    try:
        # Our seals cover the whole file, validation data included: a later revision
        # is something added, whatever it holds, and is not analysed (pyHanko's
        # difference analysis took seconds on a long protocol).
        status = validate_pdf_signature(
            signatures[0], context, ts_validation_context=tsa_context, skip_diff=True
        )
    except Exception as e:
        return SealCheck(True, False, False, False, problem=f"signature cannot be checked: {e}")
    stamp = status.timestamp_validity
    dss = reader.root.get("/DSS")
    store = dss.get_object() if dss is not None else {}
    revocation = any(key in store for key in ("/CRLs", "/OCSPs"))
    return SealCheck(
        level="B-LT" if stamp and revocation else "B-T" if stamp else "B-B",
        sealed=True,
        intact=bool(status.intact and status.valid),
        trusted=bool(status.trusted),
        # Bytes after the last revision (the file's last %%EOF) are no revision at
        # all, but something added too.
        whole_file=status.coverage == SignatureCoverageLevel.ENTIRE_FILE
        and pdf.rstrip().endswith(b"%%EOF"),
        signer=status.signing_cert.subject.human_friendly,
        time_stamped_at=stamp.timestamp if stamp else None,
        time_stamp_trusted=bool(stamp and stamp.intact and stamp.valid and stamp.trusted),
    )
