"""The organisation's seal on a justerat protocol: a PAdES signature made with
pyHanko, and its verification.

The certificate and key come from settings (SEAL_CERTIFICATE_FILE, SEAL_KEY_FILE,
SEAL_KEY_PASSPHRASE). `create_development_certificate` makes a self-signed pair for
development and the demo; a förbund in production uses a certificate it obtained.
"""

import datetime
import hashlib
import io
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.x509.oid import NameOID
from django.conf import settings
from django.utils.translation import gettext as _
from pyhanko.pdf_utils.generic import TextStringObject, pdf_date, pdf_name
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.metadata.model import VENDOR
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import fields, signers
from pyhanko.sign.general import get_pyca_cryptography_hash
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext

SIGNATURE_FIELD = "Sigill"


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

    async def async_sign_raw(self, data: bytes, digest_algorithm: str, dry_run=False) -> bytes:
        mechanism = self.get_signature_mechanism_for_digest(digest_algorithm).signature_algo
        if mechanism != "rsassa_pkcs1v15":
            return await super().async_sign_raw(data, digest_algorithm, dry_run)
        if dry_run:  # a PKCS#1 v1.5 signature is exactly as long as the modulus
            return bytes((self._key.key_size + 7) // 8)
        return self._key.sign(
            data, padding.PKCS1v15(), get_pyca_cryptography_hash(digest_algorithm)
        )


# Per process, the signer of the files as they are now: reloaded when either changes.
_loaded: dict[tuple, _SealSigner] = {}


def _signer() -> signers.SimpleSigner:
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
        loaded = signers.SimpleSigner.load(
            str(key_path()), str(certificate_path()), key_passphrase=passphrase
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
    certificate = signer.signing_cert
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
    if public.public_numbers() != signer._key.public_key().public_numbers():
        return _("The seal key does not belong to the seal certificate.")
    return ""


def certificate_facts() -> dict | None:
    """What the public is told of the seal, to check a PDF without Paragraf: the
    certificate (PEM), whom it names, until when it is valid, and its SHA-256
    fingerprint as tools print it (AB:CD:…). None without a usable seal."""
    if problem():
        return None
    certificate = _signer().signing_cert
    der = certificate.dump()
    digest = hashlib.sha256(der).hexdigest().upper()
    return {
        "subject": certificate.subject.human_friendly,
        "issuer": certificate.issuer.human_friendly,
        "not_after": certificate.not_valid_after,
        "self_signed": certificate.subject == certificate.issuer,
        "fingerprint": ":".join(digest[i : i + 2] for i in range(0, len(digest), 2)),
        "pem": x509.load_der_x509_certificate(der).public_bytes(serialization.Encoding.PEM),
    }


def expires_soon() -> datetime.datetime | None:
    """The end of a usable certificate's validity, when it is near."""
    if problem():
        return None
    end = _signer().signing_cert.not_valid_after
    return end if end - datetime.datetime.now(datetime.UTC) < EXPIRY_WARNING else None


def seal(pdf: bytes, *, reason: str, location: str) -> bytes:
    """The PDF with the organisation's PAdES signature added (an incremental update,
    so the PDF/A content stays as rendered)."""
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
    _agreeing_metadata(writer)
    metadata = signers.PdfSignatureMetadata(
        field_name=SIGNATURE_FIELD,
        md_algorithm="sha256",
        subfilter=fields.SigSeedSubFilter.PADES,
        reason=reason,
        location=location,
    )
    return signers.sign_pdf(writer, metadata, signer=_signer()).getvalue()


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


@dataclass
class SealCheck:
    sealed: bool  # a signature is there at all
    intact: bool  # the signed bytes are unchanged
    trusted: bool  # made with this installation's certificate
    whole_file: bool  # nothing was added after the signature
    signer: str = ""
    problem: str = ""

    @property
    def ok(self) -> bool:
        return self.sealed and self.intact and self.trusted and self.whole_file


def check_seal(pdf: bytes) -> SealCheck:
    """Verify the seal against this installation's certificate (the only trust
    root: a seal made elsewhere is not ours, however valid)."""
    try:
        reader = PdfFileReader(io.BytesIO(pdf), strict=False)
        signatures = reader.embedded_signatures
    except Exception as e:  # any damage to the file's structure
        return SealCheck(False, False, False, False, problem=f"unreadable PDF: {e}")
    if not signatures:
        return SealCheck(False, False, False, False, problem="no signature")
    trust_root = _signer().signing_cert
    context = ValidationContext(trust_roots=[trust_root], allow_fetching=False)
    try:
        status = validate_pdf_signature(signatures[0], context)
    except Exception as e:
        return SealCheck(True, False, False, False, problem=f"signature cannot be checked: {e}")
    return SealCheck(
        sealed=True,
        intact=bool(status.intact and status.valid),
        trusted=bool(status.trusted),
        whole_file=status.coverage == status.coverage.ENTIRE_FILE,
        signer=status.signing_cert.subject.human_friendly,
    )
