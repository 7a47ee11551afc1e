"""An RFC 3161 timestamp is requested from the configured TSA and embedded in the signature."""

import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from asn1crypto import keys, tsp, x509
from cryptography import x509 as cx509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from django.conf import settings
from django.test import override_settings
from pyhanko.sign.timestamps.dummy_client import DummyTimeStamper
from weasyprint import HTML

from motcua.core import clock
from motcua.organizations.models import Unit, User
from motcua.signing import pdf, services
from motcua.signing.keys import ensure_test_ca
from motcua.signing.models import DocumentType

pytestmark = pytest.mark.django_db


def tsa_from_test_ca() -> DummyTimeStamper:
    """A time-stamping authority certified by the test CA (pyHanko's in-process TSA answers the requests)."""
    ca_cert, ca_key = ensure_test_ca(settings.MOTCUA_SIGNING_KEY_DIR)
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    start = clock.now() - timedelta(days=1)
    cert = (
        cx509.CertificateBuilder()
        .subject_name(cx509.Name([cx509.NameAttribute(NameOID.COMMON_NAME, "motcua TEST TSA")]))
        .issuer_name(ca_cert.subject)
        .public_key(key.public_key())
        .serial_number(cx509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(start + timedelta(days=30))
        .add_extension(cx509.ExtendedKeyUsage([ExtendedKeyUsageOID.TIME_STAMPING]), critical=True)
        .sign(ca_key, hashes.SHA256())
    )
    der_key = key.private_bytes(
        serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    return DummyTimeStamper(
        tsa_cert=x509.Certificate.load(cert.public_bytes(serialization.Encoding.DER)),
        tsa_key=keys.PrivateKeyInfo.load(der_key),
    )


def test_signature_carries_a_timestamp_from_the_configured_tsa() -> None:
    tsa = tsa_from_test_ca()
    asked: list[int] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            request = tsp.TimeStampReq.load(self.rfile.read(int(self.headers["Content-Length"])))
            asked.append(1)
            body = tsa.request_tsa_response(request).dump()
            self.send_response(200)
            self.send_header("Content-Type", "application/timestamp-reply")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        with override_settings(MOTCUA_SIGNING_TSA_URL=f"http://127.0.0.1:{server.server_port}/"):
            document = services.sign_document(
                HTML(string="<h1>QUYẾT ĐỊNH</h1>").write_pdf(),
                official=User.objects.get(username="stp.lanhdao"),
                document_type=DocumentType.objects.get(code="quyet_dinh"),
                summary="Quyết định",
                unit=Unit.objects.get(code="82.STP"),
            )
    finally:
        server.shutdown()
    check = pdf.validate(document.pdf.open("rb").read())
    assert check.is_valid, check.reason
    assert asked == [1] and check.timestamped_at is not None
