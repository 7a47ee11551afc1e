"""QĐ 766 indicators from the national systems: 1.4 from DVCQG's acknowledgements, 3.5 and 3.6 from fees and online
payments, 4.5b
from VNeID-verified filings. A received dossier counts once, on its reception day, whether the fact came before or
after reception; a rebuild from the events agrees with the counters kept as they happened."""

from dataclasses import replace
from datetime import timedelta

import pytest
from django.db.models import Sum

from motcua.core import clock
from motcua.dossiers import counters
from motcua.dossiers.lifecycle import Action, Status
from motcua.dossiers.models import Dossier, OnlinePayment, UnitCounter
from motcua.dossiers.services import Inputs, perform, perform_as_system, submit_online
from motcua.dossiers.tests.factories import TUESDAY_9AM, birth_filing, load_catalogue, online, receive, unit, user
from motcua.indices.drilldown import procedures_behind
from motcua.indices.figures import figures_by_unit
from motcua.indices.periods import period_of
from motcua.indices.scope import scope_for
from motcua.indices.selectors import board
from motcua.integrations.simulators.dvcqg import NationalPortal
from motcua.integrations.tests.payment_world import FEE, asked_to_pay, filed_online, load_paying_catalogue
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


def days_of(metric: str) -> dict[object, int]:
    rows = UnitCounter.objects.filter(span="D", **{f"{metric}__gt": 0}).values("start").annotate(n=Sum(metric))
    return {row["start"]: row["n"] for row in rows}


def pay_online(dossier: Dossier) -> None:
    """What the payment platform's confirmed callback does (integrations/payment/services.settle)."""
    extra = {"order": f"TT-{dossier.pk}", "amount": FEE, "online_payment": OnlinePayment.NATIONAL}
    perform_as_system(dossier, Action.CONFIRM_PAYMENT if dossier.status == 6 else Action.RECORD_PAYMENT,
                      inputs=Inputs(extra=extra))  # fmt: skip


def test_3_6_counts_a_fee_paid_online_on_the_reception_day_before_or_after_it() -> None:
    load_paying_catalogue()
    monday, tuesday = TUESDAY_9AM - timedelta(days=1), TUESDAY_9AM
    with clock.frozen(monday):
        paid_first = filed_online()
        pay_online(paid_first)  # paid while status 1: counted when received
        owing = asked_to_pay()  # received at the counter on Monday, then asked to pay: status 6
    assert days_of("paid_online") == {} and days_of("fee_due") == {monday.date(): 1}
    with clock.frozen(tuesday):
        perform(paid_first, Action.ACCEPT, actor=user("mytho.motcua"))
        pay_online(owing)  # paid on Tuesday, counted on its reception day
        pay_online(Dossier.objects.get(pk=owing.pk))  # a second online payment is not a second dossier
    assert days_of("paid_online") == {tuesday.date(): 1, monday.date(): 1}
    assert days_of("fee_due") == {monday.date(): 1, tuesday.date(): 1}
    assert Dossier.objects.get(pk=owing.pk).status == Status.PROCESSING
    expected = counters.bucketed(counters.replay())
    assert counters.differences(expected[1], counters.stored()[1]) == []


def test_4_5b_counts_dossiers_filed_through_a_vneid_account() -> None:
    load_catalogue()
    with clock.frozen(TUESDAY_9AM):
        verified = submit_online(
            replace(birth_filing(channel=2), vneid_verified=True),
            citizen=user("0912345678"),
            receiving_unit=unit("28261.TTPVHCC"),
        ).dossier
        plain = online()
        for dossier in (verified, plain):
            perform(dossier, Action.ACCEPT, actor=user("mytho.motcua"))
        figures = figures_by_unit(period_of("thang", 2026, 3), [plain.competent_unit_id])[plain.competent_unit_id]
    assert (figures.received, figures.received_vneid) == (2, 1)
    expected = counters.bucketed(counters.replay())
    assert counters.differences(expected[1], counters.stored()[1]) == []


def test_3_5_counts_procedures_with_a_fee_and_a_dossier_owing_one() -> None:
    load_catalogue()
    load_paying_catalogue()
    today = clock.today()  # the paying procedure's version is in force from its import on
    scope, period = scope_for(user("giamsat")), period_of("thang", today.year, today.month)
    before = board(scope, unit("82"), period).unit.score.result("3.5")
    perform(filed_online(), Action.ACCEPT, actor=user("mytho.motcua"))
    receive()  # a birth registration owes no fee
    after = board(scope, unit("82"), period).unit.score.result("3.5")
    listed = procedures_behind(scope, unit("82"), period, "fee_with_dossier")
    assert before.numerator == 0 and before.denominator == after.denominator >= 1
    assert after.numerator == 1
    assert [version.procedure.code for _unit, version in listed] == ["1.999030"]


def test_4_5a_counts_procedures_for_citizens_with_a_dossier_filed_through_vneid() -> None:
    load_catalogue()
    today = clock.today()
    scope, period = scope_for(user("giamsat")), period_of("thang", today.year, today.month)
    before = board(scope, unit("82"), period).unit.score.result("4.5a")
    perform(online(), Action.ACCEPT, actor=user("mytho.motcua"))  # a password session: not counted
    assert board(scope, unit("82"), period).unit.score.result("4.5a").numerator == 0
    verified = replace(birth_filing(channel=2), vneid_verified=True)
    dossier = submit_online(verified, citizen=user("0912345678"), receiving_unit=unit("28261.TTPVHCC")).dossier
    perform(dossier, Action.ACCEPT, actor=user("mytho.motcua"))
    after = board(scope, unit("82"), period).unit.score.result("4.5a")
    listed = procedures_behind(scope, unit("82"), period, "citizens_with_vneid")
    assert before.denominator == after.denominator >= 1 and after.numerator == 1
    assert [version.procedure.code for _unit, version in listed] == ["1.001193"]
