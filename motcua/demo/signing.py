"""The demo's signing-authority register and test certificates: who signs for the commune, the department and the
province, each entry citing an illustrative decision, and PKCS#12 files from the local TEST CA."""

from datetime import date

from django.conf import settings

from motcua.catalogue.models import Field
from motcua.catalogue.selectors import get_version_on
from motcua.documents.results import generate_result, sign_result
from motcua.dossiers.lifecycle import Action, Status
from motcua.dossiers.models import Dossier
from motcua.dossiers.services import complete_step, perform
from motcua.organizations.models import Unit, User
from motcua.signing.authority import Mode, Regime
from motcua.signing.keys import holds_test_certificate, issue_test_certificate
from motcua.signing.models import DocumentType, IssuingBody, RegisterEntry, ResultSigning, SignedDocument

ILLUSTRATIVE = "minh họa"
COMMUNE = "28261.UBND"
# Civil-status results are specialised documents (Luật Hộ tịch 2014), not among ND 30/2020's types; the
# abbreviation is illustrative [R].
BIRTH_CERTIFICATE = ("giay_khai_sinh", "Giấy khai sinh", "GKS", "Văn bản chuyên ngành, Luật Hộ tịch 2014 [R]")
# (unit, regime, collective name, head title, symbol)
BODIES = [
    (COMMUNE, Regime.COLLECTIVE, "Ủy ban nhân dân", "Chủ tịch", "UBND"),
    ("82.UBND", Regime.COLLECTIVE, "Ủy ban nhân dân", "Chủ tịch", "UBND"),
    ("82.STP", Regime.HEAD, "", "Giám đốc", "STP"),
]
# (unit, username, mode, printed title, decision number, fields, document types, valid_to)
ENTRIES = [
    (COMMUNE, "mytho.lanhdao", Mode.HEAD, "Chủ tịch", "01/NQ-HĐND", (), (), None),
    (COMMUNE, "mytho.phochutich", Mode.DEPUTY, "Phó Chủ tịch", "15/QĐ-UBND", ("LOCAL.CHUNGTHUC",), (), None),
    ("82.STP", "stp.lanhdao", Mode.HEAD, "Giám đốc", "120/QĐ-UBND", (), (), None),
    (
        "82.UBND",
        "stp.lanhdao",
        Mode.AUTHORISED,
        "Giám đốc Sở Tư pháp",
        "35/QĐ-UBND",
        (),
        ("quyet_dinh",),
        date(2026, 12, 31),
    ),
]
SIGNERS = {"mytho.lanhdao": COMMUNE, "mytho.phochutich": COMMUNE, "stp.lanhdao": "82.STP"}


def seed_signing() -> None:
    """Create the register and the officials' test certificates; running it again changes nothing."""
    for code, regime, collective, head, symbol in BODIES:
        IssuingBody.objects.get_or_create(
            unit=Unit.objects.get(code=code),
            defaults={
                "regime": regime,
                "collective_name": collective,
                "head_title": head,
                "symbol": symbol,
                "rules_decision": f"Quy chế làm việc ({ILLUSTRATIVE})",
            },
        )
    for code, username, mode, title, number, fields, types, valid_to in ENTRIES:
        official = User.objects.filter(username=username).first()
        if official is None:
            continue
        entry, created = RegisterEntry.objects.get_or_create(
            body=IssuingBody.objects.get(unit__code=code),
            official=official,
            mode=mode,
            defaults={
                "title": title,
                "valid_from": date(2025, 7, 1),
                "valid_to": valid_to,
                "decision_number": f"{number} ({ILLUSTRATIVE})",
                "decision_date": date(2025, 7, 1),
            },
        )
        if created or (fields and not entry.fields.exists()):
            entry.fields.set(Field.objects.filter(code__in=fields))
            entry.document_types.set(DocumentType.objects.filter(code__in=types))
    code, name, abbreviation, basis = BIRTH_CERTIFICATE
    birth, _ = DocumentType.objects.get_or_create(
        code=code, defaults={"name": name, "abbreviation": abbreviation, "legal_basis": basis}
    )
    version = get_version_on("1.001193")
    if version is not None:
        ResultSigning.objects.get_or_create(
            version=version, defaults={"document_type": birth, "legal_basis": "Luật Hộ tịch 2014, điều 17"}
        )
    issue_demo_certificates()
    if version is not None and not SignedDocument.objects.exists():
        _sign_one_result(birth)


def _sign_one_result(document_type: DocumentType) -> None:
    """Take one birth registration through its process to the chairman's signature; leave another waiting for it.

    Both go through the dossier rules: the specialist's step generates the result, the chairman's step signs it.
    """
    received = Dossier.objects.filter(version__procedure__code="1.001193", status=Status.RECEIVED).order_by("pk")
    counter, specialist = (User.objects.get(username=n) for n in ("mytho.motcua", "mytho.chuyenvien"))
    for index, dossier in enumerate(received[:2]):
        perform(dossier, Action.START, actor=counter)
        complete_step(dossier, actor=counter)
        generate_result(dossier, specialist)
        complete_step(dossier, actor=specialist)
        if index == 0:
            sign_result(dossier, User.objects.get(username="mytho.lanhdao"))


def issue_demo_certificates() -> None:
    """Give each demo signer a certificate from the TEST CA, unless they already hold one in their own name."""
    directory = settings.MOTCUA_SIGNING_KEY_DIR
    passphrase = settings.MOTCUA_SIGNING_P12_PASSPHRASE.encode()
    for username, unit_code in SIGNERS.items():
        official = User.objects.filter(username=username).first()
        if official is None or holds_test_certificate(directory, username, official.full_name, passphrase):
            continue
        issue_test_certificate(
            directory,
            username=username,
            full_name=official.full_name,
            organisation=Unit.objects.get(code=unit_code).name,
            passphrase=passphrase,
        )
