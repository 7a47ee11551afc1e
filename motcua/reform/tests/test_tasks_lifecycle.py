"""A task's way from assignment to confirmation, and every refusal leaving it as it was."""

from datetime import date
from typing import Any

import pytest

from motcua.core import clock
from motcua.core.errors import ConflictError, DomainError, NotPermittedError
from motcua.core.tests import samples
from motcua.notifications.models import OutgoingMessage
from motcua.organizations.models import User
from motcua.reform.models import Task, TaskEvent, TaskEvidence
from motcua.reform.tasks import lifecycle, rules
from motcua.reform.tasks.lifecycle import Action, Status
from motcua.reform.tasks.services import Evidence, Inputs, act

from .conftest import person, vn

pytestmark = pytest.mark.django_db
SPECIALIST, LEADER = "stp.chuyenvien", "stp.lanhdao"


def state(task: Task) -> dict[str, Any]:
    """The task's row and its history, to compare before and after a refusal."""
    row = Task.objects.filter(pk=task.pk).values().get()
    return {"row": row, "events": TaskEvent.objects.filter(task=task).count(), "files": TaskEvidence.objects.count()}


def do(task: Task, action: Action, who: str, at: Any = None, **inputs: Any) -> Task:
    with clock.frozen(at or vn(2026, 3, 12)):
        return act(task, action, actor=person(who), inputs=Inputs(**inputs))


def refused(task: Task, action: Action, who: str, error: type[DomainError], at: Any = None, **inputs: Any) -> str:
    before = state(task)
    with pytest.raises(error) as raised:
        do(task, action, who, at, **inputs)
    assert state(task) == before
    return raised.value.message


def test_every_transition_names_known_statuses() -> None:
    for t in lifecycle.TRANSITIONS:
        assert t.target is None or t.target in Status
        assert t.action in lifecycle.ACTION_LABELS


def test_from_assignment_to_confirmed_on_time(make_task, tracker) -> None:  # type: ignore[no-untyped-def]
    User.objects.filter(username=LEADER).update(email="giamdoc.stp@example.vn")
    task = make_task()
    assert task.status == Status.NEW and task.due_at == vn(2026, 3, 31, 17, 0)
    assert OutgoingMessage.objects.filter(reference=f"task:{task.pk}").count() == 1  # the lead unit's leader
    do(task, Action.ACCEPT, SPECIALIST)
    do(task, Action.REPORT, SPECIALIST, percent=60, text="Đã rà soát 30/50 thủ tục")
    product = Evidence("bao-cao.pdf", samples.pdf("SAN-PHAM"), is_product=True)
    do(task, Action.REPORT, LEADER, percent=100, text="Xong", files=[product])
    do(task, Action.ASK_COMPLETION, LEADER, vn(2026, 3, 20))
    asked = OutgoingMessage.objects.filter(reference=f"task:{task.pk}", recipient=tracker.email)
    assert asked.count() == 1  # Văn phòng UBND tỉnh hears of the completion asked
    task = do(task, Action.CONFIRM, tracker.username, vn(2026, 4, 2))
    assert (task.status, task.percent, task.has_product) == (Status.DONE, 100, True)
    assert task.completion_asked_at == vn(2026, 3, 20) and task.confirmed_at == vn(2026, 4, 2)
    events = list(task.events.order_by("sequence").values_list("sequence", "action", "status_after"))
    assert events == [
        (1, "create", Status.NEW), (2, "accept", Status.IN_PROGRESS), (3, "report", Status.IN_PROGRESS),
        (4, "report", Status.IN_PROGRESS), (5, "ask-completion", Status.AWAITING_CONFIRMATION),
        (6, "confirm", Status.DONE),
    ]  # fmt: skip
    stored = TaskEvidence.objects.get(task=task)
    assert stored.is_product and len(stored.sha256) == 64 and stored.event.sequence == 4
    assert task.events.get(sequence=6).details == {"on_time": True}


def test_completion_asked_below_100_percent_is_refused(make_task) -> None:  # type: ignore[no-untyped-def]
    task = make_task()
    do(task, Action.ACCEPT, SPECIALIST)
    do(task, Action.REPORT, SPECIALIST, percent=99, text="Gần xong", document_number="15/BC-STP")
    assert refused(task, Action.ASK_COMPLETION, SPECIALIST, DomainError) == rules.BELOW_100


def test_100_percent_without_product_or_document_number_is_refused(make_task) -> None:  # type: ignore[no-untyped-def]
    task = make_task()
    do(task, Action.ACCEPT, SPECIALIST)
    evidence = Evidence("anh.png", samples.image(), is_product=False)  # evidence of the work, not the product
    do(task, Action.REPORT, SPECIALIST, percent=100, text="Xong", files=[evidence])
    assert refused(task, Action.ASK_COMPLETION, SPECIALIST, DomainError) == rules.NO_PRODUCT
    do(task, Action.REPORT, SPECIALIST, percent=100, text="Đã có văn bản", document_number="20/BC-STP")
    assert do(task, Action.ASK_COMPLETION, SPECIALIST).status == Status.AWAITING_CONFIRMATION


def test_returned_task_is_redone_and_not_completed(make_task, tracker) -> None:  # type: ignore[no-untyped-def]
    task = make_task()
    do(task, Action.ACCEPT, SPECIALIST)
    do(task, Action.REPORT, SPECIALIST, percent=100, text="Xong", document_number="20/BC-STP")
    do(task, Action.ASK_COMPLETION, SPECIALIST)
    refused(task, Action.RETURN, tracker.username, DomainError, reason="")  # a return says why
    task = do(task, Action.RETURN, tracker.username, reason="Báo cáo thiếu số liệu")
    assert (task.status, task.status_label, task.returned_count) == (Status.REDO, "Thực hiện lại", 1)
    assert task.completion_asked_at is None and task.confirmed_at is None
    assert {o.action for o in rules.available_actions(task, person(SPECIALIST)) if o.allowed} >= {
        Action.REPORT, Action.ASK_COMPLETION,
    }  # fmt: skip


def test_extension_after_the_deadline_is_refused(make_task) -> None:  # type: ignore[no-untyped-def]
    task = make_task(deadline=date(2026, 3, 31))
    do(task, Action.ACCEPT, SPECIALIST)
    message = refused(task, Action.EXTEND, LEADER, DomainError, vn(2026, 4, 1, 8), reason="Chậm",
                      new_deadline=date(2026, 4, 30))  # fmt: skip
    assert message == rules.PAST_DEADLINE.format(day="31/03/2026")


def test_extension_granted_keeps_both_dates(make_task, tracker) -> None:  # type: ignore[no-untyped-def]
    task = make_task(deadline=date(2026, 3, 31))
    refused(task, Action.EXTEND, LEADER, DomainError, reason="Chờ ý kiến Bộ", new_deadline=date(2026, 3, 20))
    do(task, Action.EXTEND, LEADER, reason="Chờ ý kiến Bộ", new_deadline=date(2026, 4, 30))
    assert refused(task, Action.EXTEND, LEADER, DomainError, reason="Lại", new_deadline=date(2026, 5, 5)) == (
        rules.PENDING
    )
    task = do(task, Action.DECIDE_EXTENSION, tracker.username, approve=True)
    assert (task.deadline_on, task.extended_on) == (date(2026, 3, 31), date(2026, 4, 30))
    # 30/04 and 01/05 are holidays, then a weekend: the extended deadline ends on Monday 04/05.
    assert task.original_due_at == vn(2026, 3, 31, 17, 0) and task.due_at == vn(2026, 5, 4, 17, 0)
    assert task.extension_asked_on is None
    assert refused(task, Action.DECIDE_EXTENSION, tracker.username, DomainError, approve=False) == rules.NOTHING_ASKED


def test_postpone_resume_cancel(make_task, tracker) -> None:  # type: ignore[no-untyped-def]
    task = make_task()
    task = do(task, Action.POSTPONE, tracker.username, reason="Chờ chủ trương mới")
    assert task.status == Status.POSTPONED
    refused(task, Action.ACCEPT, SPECIALIST, ConflictError)
    assert do(task, Action.RESUME, tracker.username).status == Status.NEW  # never accepted: back to acceptance
    assert do(task, Action.CANCEL, tracker.username, reason="Không còn phù hợp").status == Status.CANCELLED
    refused(task, Action.RESUME, tracker.username, ConflictError)


def test_actions_of_the_other_side_are_not_permitted(make_task, tracker) -> None:  # type: ignore[no-untyped-def]
    task = make_task()
    assert refused(task, Action.ACCEPT, tracker.username, NotPermittedError) == rules.NOT_LEAD
    assert refused(task, Action.ACCEPT, "stp.motcua", NotPermittedError) == rules.NOT_LEAD  # reads, does not act
    assert refused(task, Action.POSTPONE, LEADER, NotPermittedError, reason="x") == rules.NOT_TRACKER
    assert refused(task, Action.ACCEPT, "mytho.lanhdao", NotPermittedError) == rules.NOT_LEAD


def test_progress_outside_0_to_100_and_hostile_text_are_refused(make_task) -> None:  # type: ignore[no-untyped-def]
    task = make_task()
    do(task, Action.ACCEPT, SPECIALIST)
    refused(task, Action.REPORT, SPECIALIST, DomainError, percent=101, text="x")
    refused(task, Action.REPORT, SPECIALIST, DomainError, percent=50, text="x" * 5_000)
    refused(task, Action.REPORT, SPECIALIST, DomainError, percent=50, text="a\x00b")
    refused(task, Action.REPORT, SPECIALIST, DomainError, percent=50, text="x", files=[Evidence("a.exe", b"MZ..")])
