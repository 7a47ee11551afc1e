"""The access matrix's PAR round: a published set, a round open around the matrix's instant, the unit assessed."""

from datetime import date, datetime, timedelta

from motcua.core import clock
from motcua.organizations.models import Membership, Position, Role, Unit, User, UserKind
from motcua.par import services
from motcua.par.models import Assessment, Criterion, Field, ParIndexSet, SubCriterion


def par_assessment(unit: Unit, around: datetime, leader: User) -> Assessment:
    """Sở Nội vụ's officer (made here: no matrix role is one) opens a round for `unit` alone, open around `around`;
    the unit's leader has entered its one item, so it may be approved."""
    officer = User.objects.create_user("snv.chisocchc", kind=UserKind.STAFF)
    Membership.objects.create(user=officer, unit=Unit.objects.get(code="82.SNV"), position=Position.SPECIALIST,
                              role=Role.REFORM_OFFICER, valid_from=date(2020, 1, 1))  # fmt: skip
    index_set = ParIndexSet.objects.create(
        level="xa", year=2025, name="Bộ chỉ số CCHC cấp xã", decision_number="1/QĐ-UBND",
        decision_date=date(2025, 12, 1), effective_from=date(2025, 1, 1),
    )  # fmt: skip
    field = Field.objects.create(index_set=index_set, code="1", name="Chỉ đạo, điều hành")
    criterion = Criterion.objects.create(index_set=index_set, field=field, code="1.1", name="Kế hoạch")
    SubCriterion.objects.create(index_set=index_set, criterion=criterion, code="1.1.1", name="Ban hành kế hoạch",
                                max_points=1, rule="co_khong", input_type="co_khong",
                                method="tu_danh_gia")  # fmt: skip
    services.publish_set(index_set, by=officer)
    round_ = services.create_round(
        index_set, year=2025, open_from=around - timedelta(days=30), open_to=around + timedelta(days=30),
        appraisal_deadline=(around + timedelta(days=60)).astimezone(clock.VIETNAM).date(), complaint_days=10,
        by=officer,
    )  # fmt: skip
    services.open_round(round_, by=officer, units=[unit])
    assessment = Assessment.objects.get(round=round_)
    with clock.frozen(around - timedelta(days=1)):
        services.save_item(assessment, "1.1.1", by=leader, value="co", explanation="Kế hoạch số 1/KH-UBND")
    return assessment
