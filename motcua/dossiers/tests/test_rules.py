"""`available_actions` offers an action exactly when `perform` accepts it: every action × status × person."""

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.db import transaction
from django.test import override_settings

from motcua.catalogue.models import Component
from motcua.core import clock
from motcua.core.errors import DomainError
from motcua.core.tests.samples import result_pdf
from motcua.dossiers.lifecycle import Action, Status
from motcua.dossiers.models import Dossier
from motcua.dossiers.processing import Rating
from motcua.dossiers.rules import Offer, available_actions, context_for
from motcua.dossiers.services import (
    Evaluation,
    Inputs,
    ResultFile,
    StopRequest,
    SupplementRequest,
    assignable_to,
    attach_result,
    complete_step,
    perform,
)
from motcua.organizations.models import User, UserKind
from motcua.signing.models import DocumentType, ResultSigning
from motcua.worktime.selectors import calendar_for

from .factories import TUESDAY_9AM, load_catalogue, online, receive, user
from .processing_factories import PDF

pytestmark = pytest.mark.django_db
APPLICANT = "0912345678"
PEOPLE = (
    APPLICANT,  # the applicant (a citizen)
    "0987654321",  # another citizen
    "mytho.motcua",  # one-stop officer of the receiving unit
    "mytho.chuyenvien",  # specialist of the competent unit
    "mytho.lanhdao",  # chairman: leader of the competent unit, the signer
    "mytho.phochutich",  # vice-chairman: a leader the register does not let sign civil status
    "stp.motcua",  # officer of another unit
    "quantri",  # system admin
)


class Rollback(Exception):
    pass


def started(dossier: Dossier) -> Dossier:
    perform(dossier, Action.START, actor=user("mytho.motcua"))
    return dossier


def at_check(dossier: Dossier) -> Dossier:
    complete_step(started(dossier), actor=user("mytho.motcua"))
    return dossier


def with_draft(dossier: Dossier) -> Dossier:
    pdf = result_pdf()  # a real page: the signing step stamps and signs it
    attach_result(at_check(dossier), actor=user("mytho.chuyenvien"), title="Giấy khai sinh", pdf=pdf)
    return dossier


def claimed(dossier: Dossier) -> Dossier:
    perform(at_check(dossier), Action.CLAIM, actor=user("mytho.chuyenvien"))
    return dossier


def at_signing(dossier: Dossier) -> Dossier:
    complete_step(with_draft(dossier), actor=user("mytho.chuyenvien"))
    return dossier


def at_signing_without_result(dossier: Dossier) -> Dossier:
    complete_step(at_check(dossier), actor=user("mytho.chuyenvien"))
    return dossier


def paused(status: Action) -> Callable[[Dossier], Dossier]:
    def make(dossier: Dossier) -> Dossier:
        if status is Action.REQUEST_SUPPLEMENT:
            first = Component.objects.filter(case=dossier.case).first()
            assert first is not None
            perform(dossier, status, actor=user("mytho.motcua"), reason="Thiếu", supplements=(supplement(first.pk),))
        else:
            perform(at_check(dossier), status, actor=user("mytho.chuyenvien"), reason="Nộp lệ phí")
        return dossier

    return make


def ended(action: Action) -> Callable[[Dossier], Dossier]:
    def make(dossier: Dossier) -> Dossier:
        if action is Action.STOP:
            perform(
                started(dossier),
                action,
                actor=user("mytho.lanhdao"),
                reason="Người nộp đề nghị",
                inputs=Inputs(stop=STOP_REQUEST),
            )
        else:
            perform(dossier, action, actor=user("mytho.motcua"), reason="Người nộp đề nghị")
        return dossier

    return make


def finished(dossier: Dossier) -> Dossier:
    at_signing(dossier)
    complete_step(dossier, actor=user("mytho.lanhdao"))  # no register entry here: signed on paper
    complete_step(dossier, actor=user("mytho.motcua"))
    return dossier


def returned(dossier: Dossier) -> Dossier:
    perform(
        finished(dossier), Action.RETURN_RESULT, actor=user("mytho.motcua"), inputs=Inputs(return_channel="counter")
    )
    return dossier


def rated(dossier: Dossier) -> Dossier:
    perform(returned(dossier), Action.RATE, actor=user(APPLICANT), inputs=Inputs(evaluation=EVALUATION))
    return dossier


def supplement(component_id: int) -> SupplementRequest:
    return SupplementRequest(component_id, "Bản chụp mờ")


EVALUATION = Evaluation(Rating.SATISFIED, Rating.SATISFIED)
STOP_REQUEST = StopRequest("Đơn đề nghị dừng giải quyết của người nộp", TUESDAY_9AM.date(), 0, "Không hoàn trả")
STATES: dict[str, Callable[[Dossier], Dossier]] = {
    "received": lambda d: d,
    "first step": started,
    "check": at_check,
    "check claimed": claimed,
    "check with result": with_draft,
    "signing": at_signing,
    "signing without result": at_signing_without_result,
    "supplement": paused(Action.REQUEST_SUPPLEMENT),
    "payment": paused(Action.REQUEST_PAYMENT),
    "withdrawn": ended(Action.WITHDRAW),
    "stopped": ended(Action.STOP),
    "finished": finished,
    "returned": returned,
    "rated": rated,
}


def valid_inputs(dossier: Dossier, action: Action, person: str) -> dict[str, object]:
    """Return inputs that pass every input check, so that only the rules can refuse."""
    situation = context_for(dossier, user(person))
    assignee = None
    if action is Action.ASSIGN and situation.step is not None:
        assignee = next(iter(assignable_to(situation.step)), None)
    new_due = None
    if dossier.due_at is not None:
        calendar = calendar_for(dossier.competent_unit)
        new_due = calendar.add_working_days(dossier.due_at + timedelta(days=1), 1)
    first = Component.objects.filter(case=dossier.case).first()
    assert first is not None
    return {
        "reason": "Lý do",
        "supplements": (supplement(first.pk),) if action is Action.REQUEST_SUPPLEMENT else (),
        "inputs": Inputs(
            assignee=assignee,
            new_due_at=new_due,
            return_channel="counter",
            evaluation=EVALUATION,
            result=ResultFile("Giấy khai sinh", PDF),
            stop=STOP_REQUEST,
            extra=REFUSAL if action is Action.REFUSE else {},
        ),
    }


REFUSAL = {"kind": "not_competent", "guidance": "Ủy ban nhân dân phường nơi người mẹ thường trú"}


def accepts(dossier: Dossier, action: Action, person: str) -> bool:
    try:
        with transaction.atomic():
            perform(
                Dossier.objects.get(pk=dossier.pk), action, actor=user(person), **valid_inputs(dossier, action, person)
            )  # type: ignore[arg-type]
            raise Rollback
    except Rollback:
        return True
    except DomainError:
        return False


@pytest.mark.parametrize("state", list(STATES))
@pytest.mark.parametrize("online_filed", [False, True])
def test_offered_exactly_when_accepted(state: str, online_filed: bool) -> None:
    load_catalogue()
    User.objects.create(username="0987654321", kind=UserKind.CITIZEN, full_name="Trần Thị Khác")
    gks = DocumentType.objects.create(code="gks", name="Giấy khai sinh", abbreviation="GKS")
    # The vice-chairman may do the chairman's step here, so that the register's own refusal is what is tested.
    with clock.frozen(TUESDAY_9AM), override_settings(MOTCUA_DEPUTY_MAY_ACT_FOR_HEAD=True):
        if online_filed:
            dossier = online(APPLICANT)
            perform(dossier, Action.ACCEPT, actor=user("mytho.motcua"))
        else:
            dossier = receive()
            Dossier.objects.filter(pk=dossier.pk).update(citizen=user(APPLICANT))
        ResultSigning.objects.create(version=dossier.version, document_type=gks, step_number=3)
        if state in {"finished", "returned", "rated"}:
            ResultSigning.objects.all().delete()  # a procedure whose result is signed on paper
        dossier = STATES[state](Dossier.objects.get(pk=dossier.pk))
        for person in PEOPLE:
            fresh = Dossier.objects.get(pk=dossier.pk)
            offers: list[Offer] = available_actions(fresh, user(person))
            assert len({o.action for o in offers}) == len(offers)  # each action once
            for offer in offers:
                assert accepts(fresh, offer.action, person) == offer.allowed, (state, person, offer)
                assert offer.allowed or offer.refusal  # a refusal always says why


def test_submitted_online_offers_acceptance_to_the_counter_only() -> None:
    load_catalogue()
    User.objects.create(username="0987654321", kind=UserKind.CITIZEN, full_name="Trần Thị Khác")
    with clock.frozen(TUESDAY_9AM):
        dossier = online(APPLICANT)
        for person in PEOPLE:
            offers = available_actions(Dossier.objects.get(pk=dossier.pk), user(person))
            allowed = {o.action for o in offers if o.allowed}
            for offer in offers:
                assert accepts(dossier, offer.action, person) == offer.allowed, (person, offer)
            if person == "mytho.motcua":
                assert {Action.ACCEPT, Action.REFUSE, Action.REQUEST_SUPPLEMENT} <= allowed
            if person == APPLICANT:
                assert allowed == {Action.WITHDRAW}
    assert Dossier.objects.get(pk=dossier.pk).status == Status.SUBMITTED  # every try was rolled back


def test_waiting_for_papers_before_acceptance_offers_refusal_to_the_counter_only() -> None:
    """Form 03 is still possible while an online dossier waits for papers it was asked for before acceptance."""
    load_catalogue()
    User.objects.create(username="0987654321", kind=UserKind.CITIZEN, full_name="Trần Thị Khác")
    with clock.frozen(TUESDAY_9AM):
        dossier = paused(Action.REQUEST_SUPPLEMENT)(online(APPLICANT))
        for person in PEOPLE:
            offers = available_actions(Dossier.objects.get(pk=dossier.pk), user(person))
            for offer in offers:
                assert accepts(dossier, offer.action, person) == offer.allowed, (person, offer)
            refusal = next(o for o in offers if o.action is Action.REFUSE)
            assert refusal.allowed == (person == "mytho.motcua"), person
    assert Dossier.objects.get(pk=dossier.pk).status == Status.SUPPLEMENT_REQUESTED  # every try was rolled back


@pytest.mark.parametrize("online_filed", [False, True])
def test_once_received_refusal_is_offered_with_the_reason_it_is_a_stop(online_filed: bool) -> None:
    load_catalogue()
    with clock.frozen(TUESDAY_9AM):
        dossier = online(APPLICANT) if online_filed else receive()
        if online_filed:
            perform(dossier, Action.ACCEPT, actor=user("mytho.motcua"))
        paused(Action.REQUEST_SUPPLEMENT)(Dossier.objects.get(pk=dossier.pk))
        dossier = Dossier.objects.get(pk=dossier.pk)
        refusal = next(o for o in available_actions(dossier, user("mytho.motcua")) if o.action is Action.REFUSE)
        assert not refusal.allowed and "dừng giải quyết (Mẫu số 05)" in refusal.refusal
        assert not accepts(dossier, Action.REFUSE, "mytho.motcua")
