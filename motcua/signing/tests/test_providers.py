"""The key providers: a remote-signing client plugged in through settings, and a missing PKCS#11 module."""

from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, utils
from cryptography.hazmat.primitives.serialization import pkcs12
from django.conf import settings
from django.test import override_settings

from motcua.core import clock
from motcua.core.clock import VIETNAM
from motcua.core.errors import DomainError
from motcua.organizations.models import Unit, User
from motcua.signing import pdf, services
from motcua.signing.models import DocumentType
from motcua.signing.providers import Pkcs11Provider

pytestmark = pytest.mark.django_db


class LocalKeyService:
    """Stands in for a vendor's remote-signing API: holds the official's key where the server cannot read it."""

    def __init__(self) -> None:
        path = Path(settings.MOTCUA_SIGNING_KEY_DIR) / "stp.lanhdao.p12"
        passphrase = settings.MOTCUA_SIGNING_P12_PASSPHRASE.encode()
        self.key, self.cert, self.chain = pkcs12.load_key_and_certificates(path.read_bytes(), passphrase)
        self.requests: list[bytes] = []

    def certificate_chain(self, official: User) -> Sequence[bytes]:
        return [c.public_bytes(serialization.Encoding.DER) for c in [self.cert, *self.chain]]  # type: ignore[list-item]

    def sign_digest(self, official: User, digest: bytes, digest_algorithm: str) -> bytes:
        self.requests.append(digest)
        return self.key.sign(digest, padding.PKCS1v15(), utils.Prehashed(hashes.SHA256()))  # type: ignore[union-attr]


SERVICE = LocalKeyService


def test_remote_provider_signs_through_the_configured_client() -> None:
    from weasyprint import HTML

    content = HTML(string="<h1>QUYẾT ĐỊNH</h1>").write_pdf()
    remote = {"MOTCUA_SIGNATURE_PROVIDER": "motcua.signing.providers.RemoteProvider"}
    client = {"MOTCUA_REMOTE_SIGNING_CLIENT": f"{__name__}.SERVICE"}
    with override_settings(**remote, **client), clock.frozen(datetime(2026, 3, 10, 9, tzinfo=VIETNAM)):
        document = services.sign_document(
            content,
            official=User.objects.get(username="stp.lanhdao"),
            document_type=DocumentType.objects.get(code="quyet_dinh"),
            summary="Quyết định thử",
            unit=Unit.objects.get(code="82.STP"),
        )
    assert document.notation == "01/QĐ-STP" and document.block == "GIÁM ĐỐC / Phạm Văn Giám Đốc"
    check = pdf.validate(document.pdf.open("rb").read())
    assert check.is_valid, check.reason


def test_pkcs11_without_its_library_says_so() -> None:
    with pytest.raises(DomainError, match="python-pkcs11"):
        Pkcs11Provider().signer_for(User.objects.get(username="stp.lanhdao"))
