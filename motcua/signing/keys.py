"""A local test certification authority and PKCS#12 files for officials: for the demo and development only.

Nothing issued here is a qualified certificate under Vietnamese law (ND 130/2018/NĐ-CP): the CA's name says so, and
production points MOTCUA_SIGNING_TRUST_ROOTS at real roots and uses a token, an HSM or a remote-signing service.
"""

from datetime import UTC, datetime, timedelta
from pathlib import Path

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from motcua.core import clock

TEST_CA_NAME = "motcua TEST CA — không dùng cho văn bản thật"
CA_CERT = "test-ca.pem"
CA_KEY = "test-ca-key.pem"
CA_START = datetime(2025, 1, 1, tzinfo=UTC)


def _name(common_name: str, *, uid: str = "", organisation: str = "motcua (thử nghiệm)") -> x509.Name:
    attributes = [
        x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, organisation),
        x509.NameAttribute(NameOID.COMMON_NAME, common_name),
    ]
    if uid:
        attributes.append(x509.NameAttribute(NameOID.USER_ID, uid))
    return x509.Name(attributes)


def _write_private(path: Path, data: bytes) -> None:
    path.write_bytes(data)
    path.chmod(0o600)


def ensure_test_ca(directory: Path) -> tuple[x509.Certificate, rsa.RSAPrivateKey]:
    """Load the test CA from the directory, creating it on first use."""
    directory.mkdir(parents=True, exist_ok=True)
    cert_path, key_path = directory / CA_CERT, directory / CA_KEY
    if cert_path.exists() and key_path.exists():
        key = serialization.load_pem_private_key(key_path.read_bytes(), password=None)
        assert isinstance(key, rsa.RSAPrivateKey)
        return x509.load_pem_x509_certificate(cert_path.read_bytes()), key
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    # Valid from well before the demo's earliest dates, so that tests may move the clock back.
    start = min(clock.now(), CA_START) - timedelta(days=1)
    cert = (
        x509.CertificateBuilder()
        .subject_name(_name(TEST_CA_NAME))
        .issuer_name(_name(TEST_CA_NAME))
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(start + timedelta(days=3650))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(False, False, False, False, False, True, True, False, False), critical=True
        )  # keyCertSign, cRLSign
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    _write_private(
        key_path,
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()),
    )
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    return cert, key


def issue_test_certificate(
    directory: Path,
    *,
    username: str,
    full_name: str,
    organisation: str,
    passphrase: bytes,
    valid_from: datetime | None = None,
    days: int = 1825,
) -> Path:
    """Issue a signing certificate to an official from the test CA and store it with its key as `{username}.p12`.

    The subject carries the official's full name (CN) and account (UID): the signing service refuses a certificate
    whose subject is not the person signing.
    """
    ca_cert, ca_key = ensure_test_ca(directory)
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    start = valid_from or min(clock.now(), CA_START) - timedelta(days=1)
    cert = (
        x509.CertificateBuilder()
        .subject_name(_name(full_name, uid=username, organisation=organisation))
        .issuer_name(ca_cert.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(start + timedelta(days=days))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(True, True, False, False, False, False, False, False, False), critical=True
        )  # digitalSignature, nonRepudiation
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION]), critical=False)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    encryption = serialization.BestAvailableEncryption(passphrase)
    data = pkcs12.serialize_key_and_certificates(username.encode(), key, cert, [ca_cert], encryption)
    path = directory / f"{username}.p12"
    _write_private(path, data)
    return path


def holds_test_certificate(directory: Path, username: str, full_name: str, passphrase: bytes) -> bool:
    """Tell whether an official's stored certificate is in their name and issued by the current test CA."""
    path = directory / f"{username}.p12"
    if not path.exists() or not (directory / CA_CERT).exists():
        return False
    try:
        _key, cert, _others = pkcs12.load_key_and_certificates(path.read_bytes(), passphrase)
        ca_cert = x509.load_pem_x509_certificate((directory / CA_CERT).read_bytes())
        if cert is None:
            return False
        cert.verify_directly_issued_by(ca_cert)
    except (ValueError, TypeError, InvalidSignature):
        return False
    names = cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)
    return bool(names) and names[0].value == full_name
