"""The demo's signing-authority register and test certificates: every unit with a leader, its head and deputies,
the province's committee with its TUQ. entry, each entry citing an illustrative decision, and PKCS#12 files from the
local TEST CA."""

from datetime import date

from django.conf import settings
from django.utils import translation

from motcua.catalogue.models import Field
from motcua.catalogue.selectors import get_version_on
from motcua.documents.results import generate_result, sign_result
from motcua.dossiers.lifecycle import Action, Status
from motcua.dossiers.models import Dossier
from motcua.dossiers.processing import DEPUTIES
from motcua.dossiers.services import complete_step, perform
from motcua.organizations.models import Membership, Position, Role, Unit, UnitType, User
from motcua.organizations.selectors import current_memberships_of, memberships_on
from motcua.signing.authority import Mode, Regime
from motcua.signing.keys import holds_test_certificate, issue_test_certificate
from motcua.signing.models import DocumentType, IssuingBody, RegisterEntry, ResultSigning, SignedDocument

ILLUSTRATIVE = "minh họa"
# Civil-status results are specialised documents (Luật Hộ tịch 2014), not among ND 30/2020's types; the
# abbreviation is illustrative [R].
BIRTH_CERTIFICATE = ("giay_khai_sinh", "Giấy khai sinh", "GKS", "Văn bản chuyên ngành, Luật Hộ tịch 2014 [R]")
# The results of the other procedures shipped with an e-form (docs/eforms.md), signed in the system the same way:
# procedure → (type code, name, abbreviation, basis, the signing entry's basis). Abbreviations are illustrative [R].
RESULTS = {
    "1.000656": ("trich_luc_khai_tu", "Trích lục khai tử", "TLKT", "Luật Hộ tịch 2014 [R]",
                 "Luật Hộ tịch 2014, điều 34"),
    "1.000894": ("gcn_ket_hon", "Giấy chứng nhận kết hôn", "GCNKH", "Luật Hộ tịch 2014 [R]",
                 "Luật Hộ tịch 2014, điều 18"),
    "2.000635": ("ban_sao_trich_luc", "Bản sao trích lục hộ tịch", "BSTL", "Luật Hộ tịch 2014 [R]",
                 "Luật Hộ tịch 2014, điều 63"),
    "2.000815": ("loi_chung_ban_sao", "Lời chứng chứng thực bản sao", "CTBS", "Nghị định 23/2015/NĐ-CP [R]",
                 "Nghị định 23/2015/NĐ-CP, điều 20"),
    "2.000884": ("loi_chung_chu_ky", "Lời chứng chứng thực chữ ký", "CTCK", "Nghị định 23/2015/NĐ-CP [R]",
                 "Nghị định 23/2015/NĐ-CP, điều 25"),
    "1.001612": ("gcn_ho_kinh_doanh", "Giấy chứng nhận đăng ký hộ kinh doanh", "HKD", "Nghị định 168/2025/NĐ-CP [R]",
                 "Nghị định 168/2025/NĐ-CP"),
    "1.009994": ("giay_phep_xay_dung", "Giấy phép xây dựng", "GPXD", "Luật Xây dựng 2014 [R]",
                 "Luật Xây dựng 2014, điều 103"),
    "1.013978": ("gcn_qsdd", "Giấy chứng nhận quyền sử dụng đất, quyền sở hữu tài sản gắn liền với đất", "GCN",
                 "Luật Đất đai 2024 [R]", "Nghị định 151/2025/NĐ-CP"),
}  # fmt: skip
# Every demo unit with a leader is an issuing body, registered as a province would from its working rules: a People's
# Committee works collectively and its chairman signs TM. (ND 30/2020 art. 13(1)), an agency works under its head.
COLLECTIVE_TYPES = frozenset({UnitType.PROVINCIAL_COMMITTEE, UnitType.COMMUNE_COMMITTEE})
COLLECTIVE_NAME = "Ủy ban nhân dân"
HEADS_OF = {deputy: head for head, deputy in DEPUTIES.items()}
# Bodies without a leader account of their own: (unit, regime, collective name, head title, symbol).
BODIES = [("82.UBND", Regime.COLLECTIVE, COLLECTIVE_NAME, "Chủ tịch", "UBND")]
# The decisions behind the leaders' entries (illustrative numbers) and the fields each deputy is assigned: a deputy
# signs KT. only in those (art. 13(1)); one with no field assigned yet is registered and signs nothing until it is.
DECISIONS = {"mytho.lanhdao": "01/NQ-HĐND", "mytho.phochutich": "15/QĐ-UBND", "stp.lanhdao": "120/QĐ-UBND"}
DEPUTY_FIELDS = {"mytho.phochutich": ("LOCAL.CHUNGTHUC",)}
# Entries beyond a unit's own leaders: (unit, username, mode, printed title, decision number, document types, valid_to)
ENTRIES = [
    (
        "82.UBND",
        "stp.lanhdao",
        Mode.AUTHORISED,
        "Giám đốc Sở Tư pháp",
        "35/QĐ-UBND",
        ("quyet_dinh",),
        date(2026, 12, 31),
    ),
    # ND 30/2020 art. 13(1)(d): the head may have the head of one of the body's own units sign some types TL.
    (
        "28261.UBND",
        "mytho.truongphong",
        Mode.BY_ORDER,
        "Trưởng phòng Kinh tế",
        "20/QĐ-UBND",
        ("gcn_ho_kinh_doanh",),
        None,
    ),
]


def seed_signing() -> None:
    """Create the register and the officials' test certificates; running it again changes nothing."""
    for code, regime, collective, head, symbol in BODIES:
        _body(Unit.objects.get(code=code), regime, collective, head, symbol)
    leaders = memberships_on().filter(role=Role.LEADER, position__in=[*DEPUTIES, *HEADS_OF])
    for post in leaders.select_related("unit", "user").order_by("unit__code", "user__username"):
        _register_leader(post)
    code, name, abbreviation, basis = BIRTH_CERTIFICATE
    birth, _ = DocumentType.objects.get_or_create(
        code=code, defaults={"name": name, "abbreviation": abbreviation, "legal_basis": basis}
    )
    version = get_version_on("1.001193")
    if version is not None:
        ResultSigning.objects.get_or_create(
            version=version, defaults={"document_type": birth, "legal_basis": "Luật Hộ tịch 2014, điều 17"}
        )
    for procedure, (type_code, name, abbreviation, basis, entry_basis) in RESULTS.items():
        other = get_version_on(procedure)
        if other is None:
            continue
        kind, _ = DocumentType.objects.get_or_create(
            code=type_code, defaults={"name": name, "abbreviation": abbreviation, "legal_basis": basis}
        )
        ResultSigning.objects.get_or_create(
            version=other, defaults={"document_type": kind, "legal_basis": entry_basis}
        )
    for code, username, mode, title, number, types, valid_to in ENTRIES:
        official = User.objects.filter(username=username).first()
        if official is None:
            continue
        body = IssuingBody.objects.get(unit__code=code)
        entry, created = _entry(body, official, mode, title, number, date(2025, 7, 1), valid_to)
        if created or not entry.document_types.exists():  # the types are created with the results above
            entry.document_types.set(DocumentType.objects.filter(code__in=types))
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


def _register_leader(post: Membership) -> None:
    """Register a leader's unit as an issuing body and the leader in it: its head as head, a deputy KT. in the
    fields assigned to them."""
    position = post.position
    head_position = position if position in DEPUTIES else HEADS_OF[position]
    collective = post.unit.type in COLLECTIVE_TYPES
    body = _body(
        post.unit,
        Regime.COLLECTIVE if collective else Regime.HEAD,
        COLLECTIVE_NAME if collective else "",
        _title(head_position),
        post.unit.code.rsplit(".", 1)[-1],
    )
    mode = Mode.HEAD if position in DEPUTIES else Mode.DEPUTY
    number = DECISIONS.get(post.user.username, "Quyết định phân công")
    entry, created = _entry(body, post.user, mode, _title(position), number, post.valid_from, None)
    fields = DEPUTY_FIELDS.get(post.user.username, ())
    if created or (fields and not entry.fields.exists()):  # the catalogue's fields may arrive after the register
        entry.fields.set(Field.objects.filter(code__in=fields))


def _title(position: str) -> str:
    with translation.override("vi"):
        return str(Position(position).label)


def _body(unit: Unit, regime: Regime, collective: str, head: str, symbol: str) -> IssuingBody:
    body, _ = IssuingBody.objects.get_or_create(
        unit=unit,
        defaults={
            "regime": regime,
            "collective_name": collective,
            "head_title": head,
            "symbol": symbol,
            "rules_decision": f"Quy chế làm việc ({ILLUSTRATIVE})",
        },
    )
    return body


def _entry(
    body: IssuingBody, official: User, mode: Mode, title: str, number: str, valid_from: date, valid_to: date | None
) -> tuple[RegisterEntry, bool]:
    return RegisterEntry.objects.get_or_create(
        body=body,
        official=official,
        mode=mode,
        defaults={
            "title": title,
            "valid_from": valid_from,
            "valid_to": valid_to,
            "decision_number": f"{number} ({ILLUSTRATIVE})",
            "decision_date": valid_from,
        },
    )


def issue_demo_certificates() -> None:
    """Give each official of the register a certificate from the TEST CA, unless they hold one in their own name."""
    directory = settings.MOTCUA_SIGNING_KEY_DIR
    passphrase = settings.MOTCUA_SIGNING_P12_PASSPHRASE.encode()
    signers = RegisterEntry.objects.select_related("official").order_by("official__username", "mode")
    for official in {entry.official.username: entry.official for entry in signers}.values():
        if holds_test_certificate(directory, official.username, official.full_name, passphrase):
            continue
        post = current_memberships_of(official).select_related("unit").order_by("valid_from", "pk").first()
        issue_test_certificate(
            directory,
            username=official.username,
            full_name=official.full_name,
            organisation=post.unit.name if post is not None else "",
            passphrase=passphrase,
        )
