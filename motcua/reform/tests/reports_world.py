"""What the report tests share: the reform officer's account, the dossiers of Phường Mỹ Tho around a window."""

from datetime import date, datetime

from motcua.core import clock
from motcua.core.clock import VIETNAM
from motcua.dossiers.lifecycle import Action as DossierAction
from motcua.dossiers.models import Dossier
from motcua.dossiers.services import perform
from motcua.dossiers.tests.factories import load_catalogue, online, receive, user
from motcua.organizations.models import Membership, Position, Role, Unit, User, UserKind

COMMUNE = "28261.UBND"
REFORM_OFFICER = "snv.cchc"
HALF_2026 = "2026-6-thang"


def at(day: date, hour: int = 9) -> datetime:
    return datetime(day.year, day.month, day.day, hour, 0, tzinfo=VIETNAM)


def reform_officer() -> User:
    """An official of Sở Nội vụ in the reform_officer role."""
    found = User.objects.filter(username=REFORM_OFFICER).first()
    if found is not None:
        return found
    officer = User.objects.create_user(REFORM_OFFICER, kind=UserKind.STAFF, full_name="Trần Thị Cải Cách")
    Membership.objects.create(
        user=officer, unit=Unit.objects.get(code="82.SNV"), position=Position.SPECIALIST, role=Role.REFORM_OFFICER,
        valid_from=date(2020, 1, 1),
    )  # fmt: skip
    return officer


def dossiers_around_half_2026() -> dict[str, Dossier]:
    """Dossiers of Phường Mỹ Tho: one before the six-month window (still open), one on its first day across the year
    boundary, one filed online in March and one accepted and withdrawn in March."""
    load_catalogue()
    made = {}
    with clock.frozen(at(date(2025, 12, 10))):
        made["before"] = receive()
    with clock.frozen(at(date(2025, 12, 15))):
        made["first_day"] = receive()
    with clock.frozen(at(date(2026, 3, 10))):
        made["online"] = perform(online(), DossierAction.ACCEPT, actor=user("mytho.motcua")).dossier
        made["withdrawn"] = receive()
        perform(made["withdrawn"], DossierAction.WITHDRAW, actor=user("mytho.motcua"), reason="Người nộp xin rút")
    return made
