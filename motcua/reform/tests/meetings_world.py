"""The six-month review held online on Friday 13/02/2026 (the last working day before Tết), chaired by the
province's chairman, with two bridge points: Sở Tư pháp (host stp.lanhdao) and Phường Mỹ Tho (host mytho.lanhdao)."""

from datetime import date

import pytest

from motcua.core import clock
from motcua.organizations.models import Membership, Position, Role, User, UserKind
from motcua.reform.meetings.services import AgendaDraft, BridgePointDraft, create_meeting
from motcua.reform.models import Meeting

from .conftest import person, unit, vn

CHAIR = "tinh.chutich"
STARTS, ENDS = vn(2026, 2, 13, 14, 0), vn(2026, 2, 13, 16, 30)


@pytest.fixture(name="chair")
def chair_fixture(db: None) -> User:
    account = User.objects.create_user(CHAIR, kind=UserKind.STAFF, full_name="Trần Văn Chủ Tịch",
                                       email="chutich@example.vn")  # fmt: skip
    Membership.objects.create(user=account, unit=unit("82.UBND"), position=Position.CHAIRMAN, role=Role.LEADER,
                              valid_from=date(2020, 1, 1))  # fmt: skip
    return account


@pytest.fixture(name="meeting")
def meeting_fixture(tracker: User, chair: User) -> Meeting:
    with clock.frozen(vn(2026, 2, 9, 9)):
        return create_meeting(
            by=tracker, kind="so_ket_6_thang", title="Hội nghị sơ kết công tác cải cách hành chính 6 tháng",
            chair=chair, form="truc_tuyen", starts_at=STARTS, ends_at=ENDS, video_link="https://hop.example.vn/abc",
            agenda=[AgendaDraft("Báo cáo kết quả cải cách hành chính", unit("82.SNV"))],
            bridge_points=[
                BridgePointDraft(unit("82.STP"), "Hội trường Sở Tư pháp", person("stp.lanhdao")),
                BridgePointDraft(unit("28261.UBND"), "Hội trường UBND phường Mỹ Tho", person("mytho.lanhdao")),
            ],
        )  # fmt: skip
