"""Where an official's signing key lives. One interface, three kinds of provider, chosen by a setting.

- `Pkcs12FileProvider`: one PKCS#12 file per official in a directory (demo and development).
- `Pkcs11Provider`: a token or HSM through a PKCS#11 module (pyHanko's PKCS11Signer; needs `python-pkcs11`).
- `RemoteProvider`: a remote-signing service; the vendor's protocol is a `RemoteSigningClient` named in settings,
  which signs a digest with the official's credential and returns the certificate chain.

Every provider returns a pyHanko `Signer`; the signing service checks that its certificate belongs to the official.
"""

import hashlib
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any, Protocol

from asn1crypto import keys, x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ec import ECDSA, EllipticCurvePrivateKey
from cryptography.hazmat.primitives.asymmetric.padding import PKCS1v15
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPrivateKey
from cryptography.hazmat.primitives.serialization import pkcs12
from django.conf import settings
from django.utils.module_loading import import_string
from pyhanko.sign.signers import Signer, SimpleSigner
from pyhanko_certvalidator.registry import SimpleCertificateStore
from pyhanko_certvalidator.util import get_pyca_cryptography_hash

from motcua.core.errors import DomainError
from motcua.organizations.models import User


class SignatureProvider(Protocol):
    # True when the key is unlocked by what the signer types at signing time (a PIN, a passphrase).
    asks_passphrase: bool

    def signer_for(self, official: User, passphrase: str = "") -> Signer:
        """Return a pyHanko signer holding the official's key, or raise DomainError when there is none."""
        ...


class Pkcs12FileProvider:
    """Keys in `{MOTCUA_SIGNING_KEY_DIR}/{username}.p12`, protected by MOTCUA_SIGNING_P12_PASSPHRASE."""

    def __init__(self, directory: Path | None = None, passphrase: bytes | None = None) -> None:
        self.directory = Path(directory or settings.MOTCUA_SIGNING_KEY_DIR)
        self.passphrase = passphrase if passphrase is not None else settings.MOTCUA_SIGNING_P12_PASSPHRASE.encode()
        # With no passphrase configured, each signer types the one protecting their own file.
        self.asks_passphrase = not self.passphrase

    def signer_for(self, official: User, passphrase: str = "") -> Signer:
        path = self.directory / f"{official.username}.p12"
        if not path.exists():
            raise DomainError(f"{official} chưa có chứng thư số (tệp khóa ký) trên hệ thống.")
        if self.asks_passphrase and not passphrase:
            raise DomainError("Cần nhập mật khẩu bảo vệ khóa ký số.", field="passphrase")
        stat = path.stat()
        try:
            return _load_pkcs12(str(path), stat.st_mtime_ns, stat.st_size, self.passphrase or passphrase.encode())
        except ValueError as error:
            raise DomainError("Mật khẩu bảo vệ khóa ký số không đúng.", field="passphrase") from error


class CachedKeySigner(SimpleSigner):
    """A SimpleSigner that parses its private key once.

    pyHanko's SimpleSigner re-serialises and re-parses the key (with the RSA consistency check) on every signature,
    which costs more than the signature itself.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._key = serialization.load_der_private_key(self.signing_key.dump(), password=None)

    def sign_raw(self, data: bytes, digest_algorithm: str) -> bytes:
        mechanism = self.get_signature_mechanism_for_digest(digest_algorithm).signature_algo
        if mechanism == "rsassa_pkcs1v15" and isinstance(self._key, RSAPrivateKey):
            return self._key.sign(data, PKCS1v15(), get_pyca_cryptography_hash(digest_algorithm))
        if mechanism == "ecdsa" and isinstance(self._key, EllipticCurvePrivateKey):
            return self._key.sign(data, ECDSA(get_pyca_cryptography_hash(digest_algorithm)))
        return super().sign_raw(data, digest_algorithm)


def read_pkcs12(path: str, passphrase: bytes) -> CachedKeySigner:
    """Load a PKCS#12 file into a signer, or raise DomainError when it cannot be opened."""
    try:
        key, cert, others = pkcs12.load_key_and_certificates(Path(path).read_bytes(), passphrase)
    except ValueError as error:
        raise DomainError("Không đọc được tệp khóa ký (sai mật khẩu hoặc tệp hỏng).") from error
    if key is None or cert is None:
        raise DomainError("Tệp khóa ký không có khóa bí mật hoặc chứng thư số.")
    der = key.private_bytes(
        serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    chain = [x509.Certificate.load(c.public_bytes(serialization.Encoding.DER)) for c in others]
    return CachedKeySigner(
        signing_key=keys.PrivateKeyInfo.load(der),
        signing_cert=x509.Certificate.load(cert.public_bytes(serialization.Encoding.DER)),
        cert_registry=SimpleCertificateStore.from_certs(chain),
    )


# Decrypting a PKCS#12 file costs more than the signature itself: keep each loaded key until the file changes (its
# modification time and size are part of the cache key).
@lru_cache(maxsize=256)
def _load_pkcs12(path: str, mtime_ns: int, size: int, passphrase: bytes) -> Signer:
    return read_pkcs12(path, passphrase)


class Pkcs11Provider:
    """Keys on a token or HSM; the key and certificate labels are the official's username."""

    def __init__(self) -> None:
        self.library = settings.MOTCUA_PKCS11_LIBRARY
        self.token_label = settings.MOTCUA_PKCS11_TOKEN_LABEL
        self.pin = settings.MOTCUA_PKCS11_PIN
        self.asks_passphrase = not self.pin  # the token's PIN is typed by the signer
        self._session: Any = None

    def signer_for(self, official: User, passphrase: str = "") -> Signer:
        try:
            from pyhanko.config.pkcs11 import TokenCriteria
            from pyhanko.sign.pkcs11 import PKCS11Signer, open_pkcs11_session
        except ImportError as error:  # python-pkcs11 is an optional dependency
            raise DomainError("Chưa cài thư viện python-pkcs11 để ký bằng thiết bị ký số (PKCS#11).") from error
        if not self.library:
            raise DomainError("Chưa cấu hình MOTCUA_PKCS11_LIBRARY (đường dẫn mô-đun PKCS#11).")
        if self.asks_passphrase and not passphrase:
            raise DomainError("Cần nhập mã PIN của thiết bị ký số.", field="passphrase")
        criteria = TokenCriteria(label=self.token_label) if self.token_label else None
        if self.asks_passphrase:  # a session opened with one signer's PIN is never reused for another
            session = open_pkcs11_session(self.library, token_criteria=criteria, user_pin=passphrase)
            return PKCS11Signer(session, key_label=official.username, cert_label=official.username)
        if self._session is None:
            self._session = open_pkcs11_session(self.library, token_criteria=criteria, user_pin=self.pin or None)
        return PKCS11Signer(self._session, key_label=official.username, cert_label=official.username)


class RemoteSigningClient(Protocol):
    """A vendor's remote-signing API, reduced to what signing a PDF needs."""

    def certificate_chain(self, official: User) -> Sequence[bytes]:
        """Return the official's certificate first, then its issuers, DER-encoded."""
        ...

    def sign_digest(self, official: User, digest: bytes, digest_algorithm: str) -> bytes:
        """Return the raw signature of a digest made with the official's remote key (after their approval)."""
        ...


class _RemoteSigner(Signer):
    def __init__(self, client: RemoteSigningClient, official: User) -> None:
        chain = [x509.Certificate.load(der) for der in client.certificate_chain(official)]
        if not chain:
            raise DomainError(f"Dịch vụ ký số từ xa không có chứng thư số của {official}.")
        super().__init__(signing_cert=chain[0], cert_registry=SimpleCertificateStore.from_certs(chain))
        self.client, self.official = client, official

    async def async_sign_raw(self, data: bytes, digest_algorithm: str, dry_run: bool = False) -> bytes:
        if dry_run:
            return bytes(512)
        digest = hashlib.new(digest_algorithm, data).digest()
        return self.client.sign_digest(self.official, digest, digest_algorithm)


class RemoteProvider:
    """Signs through the client named by MOTCUA_REMOTE_SIGNING_CLIENT (a dotted path to a class)."""

    def __init__(self) -> None:
        if not settings.MOTCUA_REMOTE_SIGNING_CLIENT:
            raise DomainError("Chưa cấu hình MOTCUA_REMOTE_SIGNING_CLIENT (dịch vụ ký số từ xa).")
        self.client: RemoteSigningClient = import_string(settings.MOTCUA_REMOTE_SIGNING_CLIENT)()
        self.asks_passphrase = False  # the signer approves on the vendor's own app

    def signer_for(self, official: User, passphrase: str = "") -> Signer:
        return _RemoteSigner(self.client, official)


def configured_provider() -> SignatureProvider:
    """Return the provider named by MOTCUA_SIGNATURE_PROVIDER."""
    provider: SignatureProvider = import_string(settings.MOTCUA_SIGNATURE_PROVIDER)()
    return provider
