"""Procedures with an internal process for the processing tests, imported through the real catalogue service."""

from datetime import date

from motcua.catalogue.models import Component
from motcua.catalogue.selectors import listed_fees
from motcua.catalogue.services import import_catalogue
from motcua.catalogue.tests.samples import BIRTH, RECORDS, sample
from motcua.core.tests import samples
from motcua.dossiers.lifecycle import Action
from motcua.dossiers.models import Dossier, FeeCollection
from motcua.dossiers.services import Filing, Paper, perform, receive_at_counter
from motcua.organizations.models import Membership, Position, Role, Unit, User, UserKind
from motcua.signing.authority import Mode, Regime
from motcua.signing.models import IssuingBody, RegisterEntry

from .factories import PERSON

PDF = samples.pdf("result")  # a real one: result files are read by their structure

# Chứng thực bản sao: same day, 15:00 cut-off (DOMAIN.md §1.3(b)); commune one-stop → commune staff → vice-chairman.
CERTIFICATION = sample(
    ("MATTHC", "2.000815"),
    ("TENTTHC", "Chứng thực bản sao từ bản chính"),
    ("CACHTHUCTHUCHIEN.0.THOIGIAN.0.DONVITINH", "Trong ngày"),
    ("CACHTHUCTHUCHIEN.0.THOIGIAN.0.THOIGIANGIAIQUYET", 0),
    ("CACHTHUCTHUCHIEN.1.THOIGIAN.0.DONVITINH", "Trong ngày"),
    ("CACHTHUCTHUCHIEN.1.THOIGIAN.0.THOIGIANGIAIQUYET", 0),
    (
        "MOTCUA.QUYTRINH.0.BUOC",
        [
            {"TENBUOC": "Tiếp nhận, chuyển hồ sơ", "DONVI": "receiving", "CHUCVU": "cong_chuc_mot_cua", "SOGIO": 1},
            {"TENBUOC": "Thẩm định", "DONVI": "competent", "CHUCVU": "cong_chuc", "SOGIO": 4},
            {"TENBUOC": "Ký chứng thực", "DONVI": "competent", "CHUCVU": "pho_chu_tich", "SOGIO": 2},
            {"TENBUOC": "Trả kết quả", "DONVI": "receiving", "CHUCVU": "cong_chuc_mot_cua", "SOGIO": 1},
        ],
    ),
)

# A 15-working-day provincial procedure whose third step is done by another department (liên thông).
LAND = sample(
    ("MATTHC", "1.999015"),
    ("TENTTHC", "Thẩm định hồ sơ liên thông (thử nghiệm)"),
    ("CACHTHUCTHUCHIEN.0.THOIGIAN.0.THOIGIANGIAIQUYET", 15),
    (
        "MOTCUA.QUYTRINH",
        [
            {
                "TRUONGHOP": name,
                "BUOC": [
                    {"TENBUOC": "Tiếp nhận", "DONVI": "receiving", "CHUCVU": "cong_chuc_mot_cua", "SOGIO": 4},
                    {"TENBUOC": "Thẩm định", "DONVI": "competent", "CHUCVU": "chuyen_vien", "SOGIO": 72},
                    {"TENBUOC": "Lấy ý kiến Sở NN&MT", "DONVI": "82.SNNMT", "CHUCVU": "chuyen_vien", "SOGIO": 24},
                    {"TENBUOC": "Phê duyệt", "DONVI": "competent", "CHUCVU": "giam_doc", "SOGIO": 16},
                    {"TENBUOC": "Trả kết quả", "DONVI": "receiving", "CHUCVU": "cong_chuc_mot_cua", "SOGIO": 4},
                ],
            }
            for name in ("Người yêu cầu tự nộp", "Ủy quyền cho người khác nộp")
        ],
    ),
    base=RECORDS,
)


def load_processing_catalogue() -> None:
    import_catalogue([BIRTH, CERTIFICATION, LAND])


def department_officer(
    username: str = "snnmt.chuyenvien",
    unit: str = "82.SNNMT",
    *,
    full_name: str = "Ngô Văn Đất",
    role: Role = Role.SPECIALIST,
    position: Position = Position.SPECIALIST,
) -> User:
    """Give the other department a member (a specialist unless told), as its admin would."""
    user, _ = User.objects.get_or_create(username=username, defaults={"kind": UserKind.STAFF, "full_name": full_name})
    Membership.objects.get_or_create(
        user=user,
        unit=Unit.objects.get(code=unit),
        role=role,
        valid_from=date(2025, 7, 1),
        defaults={"position": position},
    )
    return user


def department_head() -> User:
    """Give the other department its director, in the signing register as its head: the one who signs that
    department's letters (ND 30/2020 art. 13)."""
    head = department_officer(
        "snnmt.giamdoc", full_name="Trương Văn Môi Trường", role=Role.LEADER, position=Position.DIRECTOR
    )
    body, _ = IssuingBody.objects.get_or_create(
        unit=Unit.objects.get(code="82.SNNMT"),
        defaults={
            "regime": Regime.HEAD,
            "head_title": "Giám đốc",
            "symbol": "SNNMT",
            "rules_decision": "Quy chế làm việc (thử nghiệm)",
        },
    )
    RegisterEntry.objects.get_or_create(
        body=body,
        official=head,
        mode=Mode.HEAD,
        defaults={
            "title": "Giám đốc",
            "valid_from": date(2025, 7, 1),
            "decision_number": "01/QĐ-UBND",
            "decision_date": date(2025, 7, 1),
        },
    )
    return head


def file(code: str, *, officer: str, at: str, commune: str = "28261") -> Dossier:
    components = Component.objects.filter(case__version__procedure__code=code, case__position=0).order_by("position")
    papers = tuple(Paper(c.pk, originals=1) for c in components)
    fee = next(iter(listed_fees(components[0].case, 1)), None)
    collection = FeeCollection.BEFORE if fee and fee.amount else FeeCollection.NONE
    filing = Filing(components[0].case_id, 1, PERSON, papers, commune, fee.pk if fee else None, collection)
    return receive_at_counter(
        filing, officer=User.objects.get(username=officer), receiving_unit=Unit.objects.get(code=at)
    ).dossier


def started(code: str = "1.999015", *, officer: str = "stp.motcua", at: str = "82.STP") -> Dossier:
    """File a dossier at a counter and start its processing: the first step is active."""
    dossier = file(code, officer=officer, at=at)
    return perform(dossier, Action.START, actor=User.objects.get(username=officer)).dossier
