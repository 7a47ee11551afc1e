"""The people around a directive's task led by Sở Tư pháp: its leader and specialist act; its one-stop officer reads;
Văn phòng UBND tỉnh's tracker assigns, confirms and returns."""

from collections.abc import Callable
from datetime import date, datetime

import pytest

from motcua.core import clock
from motcua.organizations.models import Membership, Position, Role, Unit, User, UserKind
from motcua.reform.models import Task
from motcua.reform.tasks.services import TaskDraft, create_directive

TRACKER = "vp.theodoi"


def vn(year: int, month: int, day: int, hour: int = 9, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=clock.VIETNAM)


def unit(code: str) -> Unit:
    return Unit.objects.get(code=code)


def person(name: str) -> User:
    return User.objects.get(username=name)


@pytest.fixture
def tracker(db: None) -> User:
    account = User.objects.create_user(TRACKER, kind=UserKind.STAFF, full_name="Văn Phòng Theo Dõi",
                                       email="theodoi@example.vn")  # fmt: skip
    Membership.objects.create(user=account, unit=unit("82.VP"), position=Position.SPECIALIST,
                              role=Role.DIRECTIVE_TRACKER, valid_from=date(2020, 1, 1))  # fmt: skip
    return account


@pytest.fixture
def make_task(tracker: User) -> Callable[..., Task]:
    """A directive of one task led by Sở Tư pháp, entered at `at`, due on `deadline`."""

    def make(deadline: date | None = date(2026, 3, 31), at: datetime | None = None, lead: str = "82.STP",
             **fields: object) -> Task:  # fmt: skip
        at = at or vn(2026, 3, 10)
        with clock.frozen(at):
            directive = create_directive(
                source_kind="van_ban", source_number="123/UBND-KSTTHC", source_date=at.date(),
                leader_name="Nguyễn Văn Chủ Tịch", urgency="thuong", by=tracker,
                tasks=[TaskDraft("Rà soát thủ tục hành chính", unit(lead), (), deadline, "Báo cáo rà soát")],
                **fields,
            )  # fmt: skip
        return directive.tasks.get()

    return make
