"""A time-stamping authority on loopback for the tests: an RFC 3161 server over
HTTP (application/timestamp-query in, application/timestamp-reply out) whose tokens
are made by pyHanko's own test TSA (DummyTimeStamper), with a root and a TSA
certificate of its own. The seal reaches it as it would reach a real TSA, by
SEAL_TSA_URL. Its certificate names a CRL distribution point on the same server
(GET /crl, the root's CRL): revocation information a seal's validation data can
hold (PAdES B-LT)."""

import datetime
import threading
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from asn1crypto import keys, tsp
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from pyhanko.sign.timestamps import DummyTimeStamper


def _name(common_name: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "SE"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Testtidsstämpling"),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ]
    )


def _certificate(subject, issuer, public_key, signing_key, *, ca: bool, crl_url: str = ""):
    now = datetime.datetime.now(datetime.UTC)
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer)
        .public_key(public_key)
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=365))
        .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
    )
    if not ca:  # RFC 3161: a TSA's certificate is for time-stamping only
        builder = builder.add_extension(
            x509.ExtendedKeyUsage([ExtendedKeyUsageOID.TIME_STAMPING]), critical=True
        )
    if crl_url:
        builder = builder.add_extension(
            x509.CRLDistributionPoints(
                [
                    x509.DistributionPoint(
                        full_name=[x509.UniformResourceIdentifier(crl_url)],
                        relative_name=None,
                        reasons=None,
                        crl_issuer=None,
                    )
                ]
            ),
            critical=False,
        )
    return builder.sign(signing_key, hashes.SHA256())


@dataclass
class TimeStampingAuthority:
    url: str
    root_file: Path  # the root to trust (SEAL_TSA_TRUST_FILE)
    requests: list  # one entry per time-stamp request answered
    server: ThreadingHTTPServer
    crl: bytes = b""  # the root's CRL, which the TSA's certificate names

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


def start(folder: Path, *, crl: bool = True) -> TimeStampingAuthority:
    answered: list = []
    served: dict = {}  # what the handler answers with, once the address is known

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            if self.path != "/crl":
                self.send_error(404)
                return
            served["crl_fetches"] = served.get("crl_fetches", 0) + 1
            self.send_response(200)
            self.send_header("Content-Type", "application/pkix-crl")
            self.send_header("Content-Length", str(len(served["crl"])))
            self.end_headers()
            self.wfile.write(served["crl"])

        def do_POST(self):
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            if self.headers.get("Content-Type") != "application/timestamp-query":
                self.send_error(415)
                return
            reply = served["stamper"].request_tsa_response(tsp.TimeStampReq.load(body)).dump()
            answered.append(len(body))
            self.send_response(200)
            self.send_header("Content-Type", "application/timestamp-reply")
            self.send_header("Content-Length", str(len(reply)))
            self.end_headers()
            self.wfile.write(reply)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    address = f"http://127.0.0.1:{server.server_address[1]}"
    root_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    tsa_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    root_name = _name("Testtidsstämpling rot")
    root = _certificate(root_name, root_name, root_key.public_key(), root_key, ca=True)
    tsa = _certificate(
        _name("Testtidsstämpling TSA"),
        root_name,
        tsa_key.public_key(),
        root_key,
        ca=False,
        crl_url=f"{address}/crl" if crl else "",
    )
    now = datetime.datetime.now(datetime.UTC)
    served["crl"] = (
        x509.CertificateRevocationListBuilder()
        .issuer_name(root_name)
        .last_update(now - datetime.timedelta(hours=1))
        .next_update(now + datetime.timedelta(days=7))
        .sign(root_key, hashes.SHA256())
        .public_bytes(serialization.Encoding.DER)
    )
    der = serialization.Encoding.DER
    served["stamper"] = DummyTimeStamper(
        tsa_cert=asn1_x509.Certificate.load(tsa.public_bytes(der)),
        tsa_key=keys.PrivateKeyInfo.load(
            tsa_key.private_bytes(
                der, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
            )
        ),
        certs_to_embed=[asn1_x509.Certificate.load(root.public_bytes(der))],
    )
    threading.Thread(target=server.serve_forever, daemon=True).start()
    root_file = folder / "tsa-rot.pem"
    root_file.write_bytes(root.public_bytes(serialization.Encoding.PEM))
    return TimeStampingAuthority(f"{address}/tsa", root_file, answered, server, served["crl"])
