"""A small PAR round: a published set of four sub-criteria, a round of 2026 for Sở Tư pháp, Sở Nội vụ's officer."""

from datetime import date, datetime
from decimal import Decimal

from motcua.core import clock
from motcua.organizations.models import Membership, Position, Role, Unit, User, UserKind
from motcua.par import services
from motcua.par.models import Assessment, Criterion, Field, ParIndexSet, Round, SubCriterion

REFORM_OFFICER = "snv.cchc"
SPECIALIST, LEADER = "stp.chuyenvien", "stp.lanhdao"
UNIT = "82.STP"


def vn(year: int, month: int, day: int, hour: int = 9) -> datetime:
    return datetime(year, month, day, hour, tzinfo=clock.VIETNAM)


OPEN_FROM, OPEN_TO = vn(2027, 1, 5), vn(2027, 1, 31, 17)
DURING = vn(2027, 1, 10)


def reform_officer() -> User:
    found = User.objects.filter(username=REFORM_OFFICER).first()
    if found is not None:
        return found
    officer = User.objects.create_user(REFORM_OFFICER, kind=UserKind.STAFF, full_name="Trần Thị Cải Cách")
    Membership.objects.create(
        user=officer, unit=Unit.objects.get(code="82.SNV"), position=Position.SPECIALIST, role=Role.REFORM_OFFICER,
        valid_from=date(2020, 1, 1),
    )  # fmt: skip
    return officer


def draft_set(**fields: object) -> ParIndexSet:
    index_set = ParIndexSet.objects.create(
        level="so_nganh", year=2026, name="Bộ chỉ số CCHC sở, ngành", decision_number="12/QĐ-UBND",
        decision_date=date(2026, 12, 1), effective_from=date(2026, 1, 1), **fields,
    )  # fmt: skip
    field = Field.objects.create(index_set=index_set, code="1", name="Công tác chỉ đạo, điều hành")
    criterion = Criterion.objects.create(index_set=index_set, field=field, code="1.1", name="Kế hoạch CCHC")
    common = {"index_set": index_set, "criterion": criterion}
    SubCriterion.objects.create(code="1.1.1", name="Ban hành kế hoạch đúng hạn", max_points=Decimal(1),
                                rule="co_khong", input_type="co_khong", method="tu_danh_gia", **common)  # fmt: skip
    SubCriterion.objects.create(code="1.1.2", name="Tỷ lệ nhiệm vụ hoàn thành", max_points=Decimal(2),
                                rule="tuyen_tinh", threshold=Decimal(80), input_type="ty_le",
                                method="tu_danh_gia", **common)  # fmt: skip
    SubCriterion.objects.create(code="1.1.3", name="Mức độ hài lòng", max_points=Decimal(3), rule="tu_cham",
                                input_type="so", method="dieu_tra_xhh", evidence_required=False,
                                **common)  # fmt: skip
    SubCriterion.objects.create(code="1.1.4", name="Hồ sơ đúng hạn (QĐ 766 chỉ tiêu 2.1)", max_points=Decimal(2),
                                rule="tuyen_tinh", threshold=Decimal(100), input_type="ty_le",
                                method="du_lieu_motcua", indicator="2.1", evidence_required=False,
                                **common)  # fmt: skip
    return index_set


def open_round() -> Assessment:
    """The round opened for Sở Tư pháp alone; returns its assessment."""
    officer = reform_officer()
    index_set = draft_set()
    with clock.frozen(vn(2026, 12, 20)):
        services.publish_set(index_set, by=officer)
        round_ = services.create_round(
            index_set, year=2026, open_from=OPEN_FROM, open_to=OPEN_TO, appraisal_deadline=date(2027, 2, 28),
            complaint_days=10, by=officer,
        )  # fmt: skip
        services.open_round(round_, by=officer, units=[Unit.objects.get(code=UNIT)])
    return Assessment.objects.get(round=round_)


def person(name: str) -> User:
    return User.objects.get(username=name)


def fresh(round_: Round) -> Round:
    return Round.objects.get(pk=round_.pk)
