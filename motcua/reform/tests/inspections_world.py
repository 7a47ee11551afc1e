"""What the inspection tests share: Sở Nội vụ's chair, an inspector, the 2026 plan over Phường Mỹ Tho and Sở Tư
pháp, and dossiers of Mỹ Tho and of another unit."""

from datetime import date, datetime

from motcua.core import clock
from motcua.dossiers.models import Dossier
from motcua.dossiers.tests.factories import load_catalogue, receive
from motcua.organizations.models import Membership, Position, Role, Unit, User, UserKind
from motcua.reform.inspections import services
from motcua.reform.models import Inspection, InspectionPlan

COMMUNE, OTHER = "28261.UBND", "82.STP"


def vn(year: int, month: int, day: int, hour: int = 9) -> datetime:
    return datetime(year, month, day, hour, tzinfo=clock.VIETNAM)


def staff(username: str, unit: str, role: Role, position: Position = Position.SPECIALIST) -> User:
    found = User.objects.filter(username=username).first()
    if found is not None:
        return found
    account = User.objects.create_user(username, kind=UserKind.STAFF, full_name=username.title())
    Membership.objects.create(
        user=account, unit=Unit.objects.get(code=unit), position=position, role=role, valid_from=date(2020, 1, 1)
    )
    return account


def chair() -> User:
    return staff("snv.truongdoan", "82.SNV", Role.REFORM_OFFICER)


def inspector() -> User:
    return staff("snv.kiemtra", "82.SNV", Role.INSPECTOR)


def plan_2026() -> InspectionPlan:
    with clock.frozen(vn(2026, 2, 2)):
        return services.create_plan(
            year=2026,
            decision_number="45/QĐ-UBND",
            decision_on=date(2026, 1, 30),
            title="Kế hoạch kiểm tra công tác cải cách hành chính năm 2026",
            chair=chair(),
            members=[inspector()],
            schedule=[
                services.Scheduled(Unit.objects.get(code=COMMUNE), date(2026, 4, 14)),
                services.Scheduled(Unit.objects.get(code=OTHER), date(2026, 5, 12), "qua_bao_cao"),
            ],
            by=chair(),
        )


def commune_inspection(plan: InspectionPlan) -> Inspection:
    return plan.inspections.get(unit__code=COMMUNE)


def dossiers() -> tuple[Dossier, Dossier]:
    """A dossier of Phường Mỹ Tho, and one moved to Sở Tư pháp (another unit)."""
    load_catalogue()
    with clock.frozen(vn(2026, 3, 10)):
        own, other = receive(), receive()
    other_unit = Unit.objects.get(code=OTHER)
    Dossier.objects.filter(pk=other.pk).update(receiving_unit=other_unit, competent_unit=other_unit)
    return own, Dossier.objects.get(pk=other.pk)
