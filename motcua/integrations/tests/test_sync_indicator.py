"""QĐ 766 indicator 1.4 from the national portal's acknowledgements: a received dossier counts once, on its
reception day, whether its record was acknowledged before or after reception; a rebuild from events agrees."""

from datetime import timedelta

import pytest
from django.db.models import Sum

from motcua.core import clock
from motcua.dossiers import counters
from motcua.dossiers.lifecycle import Action
from motcua.dossiers.models import Dossier, UnitCounter
from motcua.dossiers.services import perform
from motcua.dossiers.tests.factories import TUESDAY_9AM, load_catalogue, online, receive, user
from motcua.indices.figures import figures_by_unit
from motcua.indices.periods import period_of
from motcua.integrations.simulators.dvcqg import NationalPortal
from motcua.outbox import delivery

pytestmark = pytest.mark.django_db


def drain() -> None:
    while delivery.deliver_due("test"):
        pass


def synced_on_days() -> dict[object, int]:
    rows = UnitCounter.objects.filter(span="D", synced__gt=0).values("start").annotate(n=Sum("synced"))
    return {row["start"]: row["n"] for row in rows}


def test_a_received_dossier_counts_once_on_its_reception_day(portal: NationalPortal) -> None:
    load_catalogue()
    with clock.frozen(TUESDAY_9AM):
        at_counter = receive()
        submitted = online()
        drain()  # both acknowledged; only the one received counts yet
    assert synced_on_days() == {TUESDAY_9AM.date(): 1}
    with clock.frozen(TUESDAY_9AM + timedelta(days=1)):
        perform(submitted, Action.ACCEPT, actor=user("mytho.motcua"))  # received after its acknowledgement
        drain()  # the acceptance's own record: acknowledged again, not counted again
    assert synced_on_days() == {TUESDAY_9AM.date(): 1, TUESDAY_9AM.date() + timedelta(days=1): 1}
    with clock.frozen(TUESDAY_9AM + timedelta(days=1)):
        unit = submitted.competent_unit_id
        figures = figures_by_unit(period_of("thang", 2026, 3), [unit])[unit]
    assert (figures.received, figures.received_synced) == (2, 2)
    assert set(Dossier.objects.filter(synced_at__isnull=False).values_list("code", flat=True)) == {
        at_counter.code,
        submitted.code,
    }
    expected = counters.bucketed(counters.replay())
    assert counters.differences(expected[1], counters.stored()[1]) == []


def test_a_dossier_the_portal_never_acknowledged_is_not_counted(portal: NationalPortal) -> None:
    load_catalogue()
    portal.control("reject", seconds=3600)
    with clock.frozen(TUESDAY_9AM):
        dossier = receive()
        drain()
    assert Dossier.objects.get(pk=dossier.pk).synced_at is None
    assert synced_on_days() == {}
    with clock.frozen(TUESDAY_9AM):
        figures = figures_by_unit(period_of("thang", 2026, 3), [dossier.competent_unit_id])[dossier.competent_unit_id]
    assert (figures.received, figures.received_synced) == (1, 0)
