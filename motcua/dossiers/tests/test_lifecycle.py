"""The transition table, checked for every status and action."""

import pytest

from motcua.dossiers.lifecycle import (
    ACTION_LABELS,
    STATUS_LABELS,
    TRANSITIONS,
    Action,
    Actor,
    Status,
    Transition,
    TransitionRefused,
    transition_for,
)

S, A = Status, Action
EVERYONE = set(Actor)
# (status before, action) → status after; everything else must be refused. RESUME is written as None.
EXPECTED: dict[tuple[Status | None, Action], Status | None] = {
    (None, A.SUBMIT): S.SUBMITTED,
    (None, A.RECEIVE): S.RECEIVED,
    (S.SUBMITTED, A.ACCEPT): S.RECEIVED,
    (None, A.REFUSE): S.REFUSED,  # refused at the counter: the record is created refused
    (S.SUBMITTED, A.REFUSE): S.REFUSED,
    (S.SUPPLEMENT_REQUESTED, A.REFUSE): S.REFUSED,  # only before acceptance: a guard of the rules
    (S.RECEIVED, A.START): S.PROCESSING,
    (S.SUBMITTED, A.REQUEST_SUPPLEMENT): S.SUPPLEMENT_REQUESTED,
    (S.RECEIVED, A.REQUEST_SUPPLEMENT): S.SUPPLEMENT_REQUESTED,
    (S.PROCESSING, A.REQUEST_SUPPLEMENT): S.SUPPLEMENT_REQUESTED,
    (S.SUPPLEMENT_REQUESTED, A.SUBMIT_SUPPLEMENT): None,
    (S.SUBMITTED, A.WITHDRAW): S.WITHDRAWN,
    (S.RECEIVED, A.WITHDRAW): S.WITHDRAWN,
    (S.PROCESSING, A.WITHDRAW): S.WITHDRAWN,
    (S.SUPPLEMENT_REQUESTED, A.WITHDRAW): S.WITHDRAWN,
    # Processing: hand-overs keep status 4, pauses resume, ends are 8, 9 and 10.
    (S.PROCESSING, A.CLAIM): S.PROCESSING,
    (S.PROCESSING, A.ASSIGN): S.PROCESSING,
    (S.PROCESSING, A.COMPLETE_STEP): S.PROCESSING,
    (S.PROCESSING, A.TRANSFER): S.PROCESSING,
    (S.PROCESSING, A.RETURN_STEP): S.PROCESSING,
    (S.PROCESSING, A.ATTACH_RESULT): S.PROCESSING,
    (S.PROCESSING, A.CORRECT_FORM): S.PROCESSING,
    (S.PROCESSING, A.SIGN_RESULT): S.PROCESSING,
    (S.PROCESSING, A.REQUEST_PAYMENT): S.PAYMENT_REQUESTED,
    (S.PAYMENT_REQUESTED, A.CONFIRM_PAYMENT): None,
    (S.PROCESSING, A.EXTEND): S.PROCESSING,
    (S.PROCESSING, A.STOP): S.STOPPED,
    (S.SUPPLEMENT_REQUESTED, A.STOP): S.STOPPED,
    (S.PAYMENT_REQUESTED, A.STOP): S.STOPPED,
    (S.PROCESSING, A.COMPLETE): S.FINISHED,
    (S.FINISHED, A.RETURN_RESULT): S.RETURNED,
    (S.RETURNED, A.RATE): S.RETURNED,
    (S.RECEIVED, A.RECOMPUTE_DUE): S.RECEIVED,
    (S.PROCESSING, A.RECOMPUTE_DUE): S.PROCESSING,
    (S.SUPPLEMENT_REQUESTED, A.RECOMPUTE_DUE): S.SUPPLEMENT_REQUESTED,
    (S.PAYMENT_REQUESTED, A.RECOMPUTE_DUE): S.PAYMENT_REQUESTED,
    **{(status, A.REPORT): status for status in S},  # a report about the dossier never changes its status
    # A fee paid online is recorded without a status change; in status 6 it is CONFIRM_PAYMENT, which resumes.
    **{(status, A.RECORD_PAYMENT): status for status in S if status is not S.PAYMENT_REQUESTED},
}


@pytest.mark.parametrize("status", [None, *Status])
@pytest.mark.parametrize("action", list(Action))
def test_every_status_and_action(status: Status | None, action: Action) -> None:
    if (status, action) in EXPECTED:
        assert transition_for(action, status, EVERYONE).target == EXPECTED[status, action]
    else:
        with pytest.raises(TransitionRefused) as refused:
            transition_for(action, status, EVERYONE)
        assert refused.value.code == "invalid_transition"
        assert ACTION_LABELS[action] in refused.value.message


def test_who_may_act() -> None:
    assert transition_for(A.ACCEPT, S.SUBMITTED, {Actor.RECEIVING_OFFICER})
    with pytest.raises(TransitionRefused, match="không có quyền") as refused:
        transition_for(A.ACCEPT, S.SUBMITTED, {Actor.APPLICANT, Actor.COMPETENT_STAFF})
    assert refused.value.code == "not_permitted"
    with pytest.raises(TransitionRefused):
        transition_for(A.WITHDRAW, S.PROCESSING, {Actor.COMPETENT_STAFF})
    assert transition_for(A.SUBMIT_SUPPLEMENT, S.SUPPLEMENT_REQUESTED, {Actor.APPLICANT}).target is None


def test_forms_and_labels() -> None:
    assert {t: transition_for(t, s, EVERYONE).form for s, t in [(None, A.RECEIVE), (None, A.REFUSE)]} == {
        A.RECEIVE: "01",
        A.REFUSE: "03",
    }
    assert transition_for(A.REQUEST_SUPPLEMENT, S.PROCESSING, EVERYONE).form == "02"
    assert set(STATUS_LABELS) == set(Status) and Status.REFUSED.label == "Không được tiếp nhận"
    assert [t.action for t in table(S.RETURNED, EVERYONE)] == [A.RATE, A.REPORT, A.RECORD_PAYMENT]
    assert transition_for(A.EXTEND, S.PROCESSING, EVERYONE).form == "04"
    assert transition_for(A.STOP, S.PROCESSING, EVERYONE).form == "05"
    with pytest.raises(TransitionRefused, match="không có quyền"):
        transition_for(A.STOP, S.PROCESSING, {Actor.COMPETENT_STAFF, Actor.STEP_OFFICER})
    assert [t.action for t in table(None, EVERYONE)] == [A.SUBMIT, A.RECEIVE, A.REFUSE]
    assert [t.action for t in table(S.SUBMITTED, {Actor.APPLICANT})] == [A.WITHDRAW]


def table(status: Status | None, actors: set[Actor]) -> list[Transition]:
    """The rows of the table for a status and these actors (what rules.available_actions then checks by guards)."""
    return [t for t in TRANSITIONS if status in t.sources and t.actors & actors]
