"""Every dossier and feedback event writes its messages in its own transaction; the worker delivers them in order,
retries with back-off, and turns what cannot be delivered into dead letters that hold their subject's later ones."""

from datetime import timedelta

import pytest
from django.db import transaction
from django.test import override_settings

from motcua.audit.models import AuditRecord
from motcua.audit.models import Kind as AuditKind
from motcua.core import clock
from motcua.core.errors import NotPermittedError
from motcua.dossiers.lifecycle import Action
from motcua.dossiers.services import perform
from motcua.dossiers.tests.factories import TUESDAY_9AM, load_catalogue, online, receive, user
from motcua.dossiers.tests.test_rules import paused, rated
from motcua.integrations.simulators.dvcqg import NationalPortal
from motcua.outbox import delivery
from motcua.outbox.models import NATIONAL, OutboundMessage, State
from motcua.outbox.services import resend

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def catalogue() -> None:
    load_catalogue()


def drain(worker: str = "test") -> int:
    handled = 0
    while count := delivery.deliver_due(worker):
        handled += count
    return handled


def national(code: str) -> list[OutboundMessage]:
    return list(OutboundMessage.objects.filter(queue=NATIONAL, key=code).order_by("sequence"))


def test_each_event_writes_its_national_record_in_its_own_transaction() -> None:
    with clock.frozen(TUESDAY_9AM):
        dossier = online()
        perform(dossier, Action.ACCEPT, actor=user("mytho.motcua"))
    first, second = national(dossier.code)
    assert (first.sequence, first.topic, second.sequence, second.topic) == (1, "dossier.submit", 2, "dossier.accept")
    assert first.payload["MaHoSo"] == dossier.code and first.payload["TrangThaiHoSo"] == 1
    assert second.payload["TrangThaiHoSo"] == 2 and second.payload["NgayHenTra"] is not None
    assert first.state == State.PENDING and first.message_id != second.message_id


def test_a_refused_action_leaves_no_message() -> None:
    with clock.frozen(TUESDAY_9AM):
        dossier = online()
        with pytest.raises(NotPermittedError), transaction.atomic():
            perform(dossier, Action.ACCEPT, actor=user("0912345678"))  # a citizen cannot accept
    assert [m.topic for m in national(dossier.code)] == ["dossier.submit"]


def test_the_worker_delivers_each_message_once_in_order(portal: NationalPortal) -> None:
    with clock.frozen(TUESDAY_9AM):
        dossiers = [online() for _ in range(3)]
        for dossier in dossiers:
            perform(dossier, Action.ACCEPT, actor=user("mytho.motcua"))
        assert drain() == 6
    assert OutboundMessage.objects.filter(queue=NATIONAL, state=State.DELIVERED).count() == 6
    assert portal.counts["applied"] == 6 and portal.counts["out_of_order"] == 0
    assert portal.records[dossiers[0].code]["TrangThaiHoSo"] == 2
    row = national(dossiers[0].code)[1]
    assert row.last_status == 200 and "ThanhCong" in row.answer and row.delivered_at == TUESDAY_9AM


def test_a_failing_receiver_is_retried_with_growing_capped_waits(portal: NationalPortal) -> None:
    with clock.frozen(TUESDAY_9AM):
        dossier = receive()
        portal.control("error", seconds=3600)
        for _ in range(8):
            delivery.deliver_due("test")
            OutboundMessage.objects.filter(key=dossier.code).update(next_attempt_at=clock.now())
    (row,) = national(dossier.code)
    assert (row.state, row.attempts, row.last_status) == (State.PENDING, 8, 500)
    waits = [delivery.backoff(n) for n in range(12) for _ in range(20)]
    assert all(timedelta(0) <= wait <= timedelta(seconds=60) for wait in waits)
    assert max(delivery.backoff(0) for _ in range(50)) <= timedelta(seconds=2)
    assert max(delivery.backoff(10) for _ in range(50)) > timedelta(seconds=30)  # capped at 60 s, not 2048 s


def test_a_refusal_makes_a_dead_letter_that_holds_the_dossiers_later_messages(portal: NationalPortal) -> None:
    with clock.frozen(TUESDAY_9AM):
        held, other = online(), online()
        portal.control("reject", seconds=1)
        delivery.deliver_due("test")  # the first of each dossier: refused with 400, a permanent error
    assert {m.state for m in OutboundMessage.objects.all()} == {State.DEAD}
    with clock.frozen(TUESDAY_9AM + timedelta(seconds=5)):
        perform(held, Action.ACCEPT, actor=user("mytho.motcua"))
        assert drain() == 0  # the accept waits behind the dead submission
        resend(OutboundMessage.objects.filter(key=held.code), actor=user("quantri"))
        assert drain() == 2
    assert [m.state for m in national(held.code)] == [State.DELIVERED, State.DELIVERED]
    assert national(other.code)[0].state == State.DEAD
    assert portal.counts["applied"] == 2 and portal.counts["out_of_order"] == 0
    audited = AuditRecord.objects.filter(kind=AuditKind.OUTBOX_RESEND)
    assert [r.object_id for r in audited] == [str(national(held.code)[0].message_id)]


def test_a_message_undelivered_for_a_day_becomes_a_dead_letter(portal: NationalPortal) -> None:
    with clock.frozen(TUESDAY_9AM):
        dossier = receive()
    portal.control("down", seconds=10**6)
    with clock.frozen(TUESDAY_9AM + timedelta(hours=23, minutes=59)):
        delivery.deliver_due("test")
    assert national(dossier.code)[0].state == State.PENDING
    with override_settings(MOTCUA_OUTBOX_DEAD_AFTER_HOURS=24), clock.frozen(TUESDAY_9AM + timedelta(hours=24)):
        delivery.deliver_due("test")
    (row,) = national(dossier.code)
    assert (row.state, row.last_status, row.attempts) == (State.DEAD, None, 2)
    assert "RemoteDisconnected" in row.answer or "Connection" in row.answer


def test_a_lease_lost_to_another_worker_is_not_overwritten(portal: NationalPortal) -> None:
    with clock.frozen(TUESDAY_9AM):
        dossier = receive()
        (claimed,) = delivery.claim("first", 10)
        assert delivery.claim("second", 10) == []  # leased: nobody else takes it meanwhile
    with clock.frozen(TUESDAY_9AM + timedelta(minutes=2)):  # the first worker died; its lease ran out
        (again,) = delivery.claim("second", 10)
        assert delivery.record(again, delivery.send(again), "second") == State.DELIVERED
        delivery.record(claimed, delivery.send(claimed), "first")  # the dead worker's late answer changes nothing
    (row,) = national(dossier.code)
    assert row.state == State.DELIVERED and row.attempts == 1
    assert portal.counts["applied"] == 1 and portal.counts["redeliveries"] == 1


def test_sync_can_be_switched_off_for_a_province_not_yet_connected() -> None:
    with override_settings(MOTCUA_DVCQG_SYNC=False), clock.frozen(TUESDAY_9AM):
        dossier = receive()
    assert national(dossier.code) == []


def test_every_event_of_a_dossiers_life_reaches_the_portal_in_order(portal: NationalPortal) -> None:
    with clock.frozen(TUESDAY_9AM):
        dossier = online()
        perform(dossier, Action.ACCEPT, actor=user("mytho.motcua"))
        paused(Action.REQUEST_SUPPLEMENT)(dossier)
        perform(dossier, Action.SUBMIT_SUPPLEMENT, actor=user("0912345678"))
        rated(dossier)  # processing steps, the result, its return and the applicant's rating
        drain()
    events = list(dossier.events.order_by("sequence"))
    assert {Action.REQUEST_SUPPLEMENT, Action.RETURN_RESULT, Action.RATE} <= {e.action for e in events}
    assert [(m.sequence, m.topic) for m in national(dossier.code)] == [
        (e.sequence, f"dossier.{e.action}") for e in events
    ]
    assert portal.counts["applied"] == len(events) and portal.counts["out_of_order"] == 0
    record = portal.records[dossier.code]
    assert (
        record["TrangThaiHoSo"] == 10 and record["NgayTra"] and record["NgayKetThucXuLy"] and record["HinhThuc"] == 0
    )
    assert len(record["QuaTrinhXuLy"]) == len(events) and record["DanhSachHoSoBoSung"][0]["TrangThaiBoSung"] == 1
