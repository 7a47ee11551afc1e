"""Walk a dossier of the 15-day procedure to the other department's step, through the services."""

from datetime import datetime

from motcua.core import clock
from motcua.core.clock import VIETNAM
from motcua.dossiers.models import Dossier
from motcua.dossiers.services import complete_step
from motcua.dossiers.tests.factories import user
from motcua.dossiers.tests.processing_factories import department_officer
from motcua.organizations.models import User


def walk_to_transfer(dossier: Dossier) -> User:
    other = department_officer()
    with clock.frozen(datetime(2026, 3, 10, 9, 0, tzinfo=VIETNAM)):
        complete_step(dossier, actor=user("stp.motcua"))
        complete_step(dossier, actor=user("stp.chuyenvien"))
    return other
