"""The demo's PAR index: Sở Nội vụ's officer, a small published set for communes (one sub-criterion fed from the
QĐ 766 indicator 2.1), and this year's round open for every commune, made through the real services."""

from datetime import date, datetime, timedelta
from decimal import Decimal

from motcua.core import clock
from motcua.organizations.models import Membership, Position, Role, Unit, User, UserKind
from motcua.par import services
from motcua.par.models import Criterion, Field, ParIndexSet, Round, SubCriterion

OFFICER = "snv.caicach"  # the demo's Sở Nội vụ officer (seed.STAFF), also made here when seeded alone
# (code, name, points, rule, input, method, threshold, QĐ 766 indicator)
SUB_CRITERIA = [
    ("1.1.1", "Ban hành kế hoạch CCHC năm đúng thời hạn", 1, "co_khong", "co_khong", "tu_danh_gia", None, ""),
    ("1.1.2", "Tỷ lệ nhiệm vụ trong kế hoạch CCHC hoàn thành", 2, "tuyen_tinh", "ty_le", "tu_danh_gia", 100, ""),
    ("2.1.1", "Tỷ lệ hồ sơ giải quyết đúng hạn (QĐ 766, chỉ tiêu 2.1)", 3, "tuyen_tinh", "ty_le", "du_lieu_motcua",
     100, "2.1"),
    ("2.1.2", "Mức độ hài lòng của người dân (điều tra xã hội học)", 2, "tu_cham", "so", "dieu_tra_xhh", None, ""),
]  # fmt: skip


def _officer(password: str) -> User:
    officer, created = User.objects.get_or_create(
        username=OFFICER, defaults={"kind": UserKind.STAFF, "full_name": "Trần Thị Cải Cách"}
    )
    if created:
        officer.set_password(password)
        officer.save(update_fields=["password"])
    office = Unit.objects.get(code="82.SNV")
    if not Membership.objects.filter(user=officer, unit=office, role=Role.REFORM_OFFICER).exists():
        Membership.objects.create(
            user=officer, unit=office, role=Role.REFORM_OFFICER, valid_from=date(2025, 7, 1),
            position=Position.SPECIALIST,
        )  # fmt: skip
    return officer


def seed_par(password: str) -> User:
    """Idempotent: a second run finds the set and does nothing."""
    officer = _officer(password)
    year = clock.today().year
    if ParIndexSet.objects.filter(level="xa", year=year).exists():
        return officer
    index_set = ParIndexSet.objects.create(
        level="xa", year=year, name="Bộ chỉ số CCHC của UBND xã, phường (mẫu)", decision_number="15/QĐ-UBND",
        decision_date=date(year, 1, 15), effective_from=date(year, 1, 1), survey_max=Decimal(0),
    )  # fmt: skip
    fields = {
        "1": Field.objects.create(index_set=index_set, code="1", name="Công tác chỉ đạo, điều hành CCHC", order=1),
        "2": Field.objects.create(index_set=index_set, code="2", name="Cải cách thủ tục hành chính", order=2),
    }
    criteria = {
        "1.1": Criterion.objects.create(index_set=index_set, field=fields["1"], code="1.1", name="Kế hoạch CCHC"),
        "2.1": Criterion.objects.create(index_set=index_set, field=fields["2"], code="2.1",
                                        name="Giải quyết thủ tục hành chính"),
    }  # fmt: skip
    for order, (code, name, points, rule, input_type, method, threshold, indicator) in enumerate(SUB_CRITERIA, 1):
        SubCriterion.objects.create(
            index_set=index_set, criterion=criteria[code[:3]], code=code, name=name, max_points=Decimal(points),
            rule=rule, input_type=input_type, method=method,
            threshold=Decimal(threshold) if threshold is not None else None, indicator=indicator,
            evidence_required=method == "tu_danh_gia", order=order, source="Quyết định 15/QĐ-UBND (mẫu)",
        )  # fmt: skip
    services.publish_set(index_set, by=officer)
    now = clock.now()
    opens = datetime(year, 1, 1, 7, tzinfo=clock.VIETNAM)
    closes = max(datetime(year, 12, 31, 17, tzinfo=clock.VIETNAM), now + timedelta(days=30))
    round_: Round = services.create_round(
        index_set, year=year, open_from=min(opens, now - timedelta(hours=1)), open_to=closes,
        appraisal_deadline=closes.astimezone(clock.VIETNAM).date() + timedelta(days=60), complaint_days=10, by=officer,
    )  # fmt: skip
    services.open_round(round_, by=officer)
    return officer
