"""The watch reads only the open tasks near or past their deadline, flags each once, and tells through the outbox."""

from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command

from motcua.core import clock
from motcua.notifications.models import OutgoingMessage
from motcua.organizations.models import User
from motcua.reform.jobs import watch_tasks as watch_job
from motcua.reform.models import Task
from motcua.reform.tasks.lifecycle import Action
from motcua.reform.tasks.services import Inputs, act
from motcua.reform.tasks.watch import Alert, watch_tasks

from .conftest import person, vn

pytestmark = pytest.mark.django_db


def test_the_watch_flags_near_and_overdue_tasks_once(make_task, tracker) -> None:  # type: ignore[no-untyped-def]
    User.objects.filter(username="stp.lanhdao").update(email="giamdoc.stp@example.vn")
    far, near, late = (make_task(date(2026, 5, 29)), make_task(date(2026, 3, 12)), make_task(date(2026, 3, 9)))
    make_task(None)  # no deadline: never read
    done = make_task(date(2026, 3, 11))
    with clock.frozen(vn(2026, 3, 10, 10)):
        act(done, Action.CANCEL, actor=tracker, inputs=Inputs(reason="Trùng nhiệm vụ"))
    sent = OutgoingMessage.objects.count()
    with clock.frozen(vn(2026, 3, 10, 10)):
        report = watch_tasks()
    assert (report.examined, report.flagged) == (2, 2)
    levels = dict(Task.objects.values_list("pk", "alert_level"))
    assert (levels[far.pk], levels[near.pk], levels[late.pk]) == (Alert.NONE, Alert.NEAR_DUE, Alert.OVERDUE)
    # The leader hears of both; Văn phòng UBND tỉnh of the overdue one.
    assert OutgoingMessage.objects.count() - sent == 3
    with clock.frozen(vn(2026, 3, 10, 11)):
        again = watch_tasks()
    assert (again.examined, again.flagged) == (1, 0)  # the overdue one is no longer read
    with clock.frozen(vn(2026, 3, 16, 8)):
        assert watch_job.call() == {"examined": 1, "flagged": 1}
    assert Task.objects.get(pk=near.pk).alert_level == Alert.OVERDUE


def test_the_command(make_task) -> None:  # type: ignore[no-untyped-def]
    make_task(date(2026, 3, 9))
    out = StringIO()
    with clock.frozen(vn(2026, 3, 10, 10)):
        call_command("tasks-watch", stdout=out)
    assert out.getvalue().strip() == "Đã xem 1 nhiệm vụ sắp đến hạn; đánh dấu 1 nhiệm vụ."
    assert person("stp.lanhdao").pk
