"""Ways to make dossiers in tests, through the real services (never by writing rows directly)."""

from datetime import datetime

from motcua.catalogue.models import Component
from motcua.catalogue.services import import_catalogue
from motcua.catalogue.tests.samples import BIRTH, RECORDS, sample
from motcua.core.clock import VIETNAM
from motcua.dossiers.models import Dossier
from motcua.dossiers.services import Applicant, Filing, Paper, receive_at_counter, submit_online
from motcua.organizations.models import Unit, User

TUESDAY_9AM = datetime(2026, 3, 10, 9, 0, tzinfo=VIETNAM)
PERSON = Applicant(
    name="Nguyễn Văn An", citizen_id="082090001234", phone="0912345678", address="Số 12 đường Ấp Bắc, Phường Mỹ Tho"
)


def load_catalogue() -> None:
    import_catalogue([BIRTH, RECORDS, sample(("MATTHC", "1.000002"), ("TENTTHC", "Đăng ký khai tử"))])


def user(name: str) -> User:
    return User.objects.get(username=name)


def unit(code: str) -> Unit:
    return Unit.objects.get(code=code)


def birth_filing(channel: int = 1, **changes: object) -> Filing:
    components = Component.objects.filter(case__version__procedure__code="1.001193").order_by("position")
    papers = tuple(Paper(c.pk, originals=1) for c in components)
    fields = {"case_id": components[0].case_id, "channel": channel, "applicant": PERSON, "papers": papers}
    return Filing(**{**fields, **changes})  # type: ignore[arg-type]


def receive(filing: Filing | None = None, officer: str = "mytho.motcua", at: str = "28261.TTPVHCC") -> Dossier:
    return receive_at_counter(filing or birth_filing(), officer=user(officer), receiving_unit=unit(at)).dossier


def online(citizen: str = "0912345678") -> Dossier:
    return submit_online(birth_filing(channel=2), citizen=user(citizen), receiving_unit=unit("28261.TTPVHCC")).dossier
