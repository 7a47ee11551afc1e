from datetime import date, datetime, time

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError

from motcua.core.clock import VIETNAM
from motcua.organizations.models import Unit, User
from motcua.worktime.models import CalendarDay, CalendarVersion, DayKind, OfficeSchedule
from motcua.worktime.selectors import calendar_for
from motcua.worktime.services import remove_calendar_day, seed_official_calendar, set_calendar_day, set_office_hours

pytestmark = pytest.mark.django_db


def test_seeding_again_changes_nothing_and_keeps_admin_corrections() -> None:
    versions = CalendarVersion.objects.count()
    CalendarDay.objects.filter(day=date(2026, 1, 1)).update(note="sửa bởi quản trị")
    assert seed_official_calendar(range(2020, 2031)) is None
    assert CalendarVersion.objects.count() == versions
    assert CalendarDay.objects.get(day=date(2026, 1, 1)).note == "sửa bởi quản trị"
    # 11 art. 112 days and 1 compensatory day in force in 2026, plus the 02/01 ↔ 10/01 swap of VPCP letter 12729.
    assert CalendarDay.objects.filter(day__year=2026).count() == 14


def test_a_new_decision_is_a_new_version_that_says_what_to_recompute() -> None:
    admin = User.objects.get(username="quantri")
    before = calendar_for()
    start = datetime(2026, 12, 30, 9, 0, tzinfo=VIETNAM)
    assert before.add_working_days(start, 1) == datetime(2026, 12, 31, 9, 0, tzinfo=VIETNAM)
    version = set_calendar_day(
        day=date(2026, 12, 31),
        kind=DayKind.OFF,
        name="Nghỉ hoán đổi (giả định)",
        legal_basis="Thông báo số 1/TB-VPCP (giả định trong kiểm thử)",
        actor=admin,
    )
    assert (version.first_affected, version.last_affected, version.actor) == (
        date(2026, 12, 31),
        date(2026, 12, 31),
        admin,
    )
    after = calendar_for()
    assert after.version == f"v{version.pk}" != before.version
    assert after.add_working_days(start, 1) == datetime(2027, 1, 4, 9, 0, tzinfo=VIETNAM)
    # What must be recomputed: deadlines whose counting crosses 31/12/2026, and nothing else.
    assert version.affects(date(2026, 12, 30), date(2026, 12, 31))
    assert version.affects(date(2026, 12, 1), date(2027, 2, 1))
    assert not version.affects(date(2026, 11, 1), date(2026, 12, 30))
    assert not version.affects(date(2027, 1, 4), date(2027, 1, 10))
    assert CalendarDay.objects.get(day=date(2026, 12, 31)).history.count() == 1
    withdrawn = remove_calendar_day(day=date(2026, 12, 31), reason="thông báo bị thu hồi", actor=admin)
    assert calendar_for().version == f"v{withdrawn.pk}"
    assert calendar_for().add_working_days(start, 1) == datetime(2026, 12, 31, 9, 0, tzinfo=VIETNAM)


def test_office_hours_are_per_province_and_overridable_per_unit() -> None:
    centre = Unit.objects.get(code="28261.TTPVHCC")
    start = datetime(2026, 3, 10, 7, 0, tzinfo=VIETNAM)
    assert calendar_for(centre).add_working_hours(start, 1) == datetime(2026, 3, 10, 8, 0, tzinfo=VIETNAM)
    set_office_hours(
        Unit.objects.get(code="82"),
        morning=(time(7, 30), time(11, 30)),
        afternoon=(time(13, 0), time(17, 0)),
        actor=None,
    )
    assert calendar_for(centre).add_working_hours(start, 1) == datetime(2026, 3, 10, 8, 30, tzinfo=VIETNAM)
    set_office_hours(centre, morning=(time(7, 0), time(12, 0)), afternoon=(time(13, 0), time(17, 0)), actor=None)
    assert calendar_for(centre).add_working_hours(start, 1) == datetime(2026, 3, 10, 8, 0, tzinfo=VIETNAM)
    assert calendar_for(Unit.objects.get(code="82.STP")).add_working_hours(start, 1) == datetime(
        2026, 3, 10, 8, 30, tzinfo=VIETNAM
    )


def test_office_hours_out_of_order_are_refused_and_nothing_changes() -> None:
    versions = CalendarVersion.objects.count()
    with pytest.raises(ValidationError, match="Giờ làm việc phải theo thứ tự"):
        set_office_hours(
            Unit.objects.get(code="82"),
            morning=(time(11, 0), time(8, 0)),
            afternoon=(time(13, 0), time(17, 0)),
            actor=None,
        )
    assert not OfficeSchedule.objects.exists()
    assert CalendarVersion.objects.count() == versions


def test_cli_due_and_off_days(capsys: pytest.CaptureFixture[str]) -> None:
    call_command("calendar", "due", "--start", "2026-02-13T16:30", "--working-days", "5")
    assert capsys.readouterr().out.strip() == "2026-02-27T16:30:00+07:00"
    call_command("calendar", "due", "--start", "2026-03-06T15:30", "--same-day")
    assert capsys.readouterr().out.strip() == "2026-03-09T17:00:00+07:00"
    call_command("calendar", "due", "--start", "2026-04-10T09:00+07:00", "--days", "20")
    assert capsys.readouterr().out.strip() == "2026-05-04T17:00:00+07:00"
    call_command("calendar", "due", "--start", "2026-03-10T12:00", "--working-hours", "4")
    assert capsys.readouterr().out.strip() == "2026-03-11T07:30:00+07:00"
    call_command("calendar", "off-days", "--year", "2026")
    out = capsys.readouterr().out
    assert "10/01/2026  Ngày làm bù" in out and "12729/VPCP-KGVX" in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["due", "--start", "13/02/2026", "--working-days", "5"], "ISO 8601"),
        (["due", "--start", "2026-02-13T16:30", "--working-days", "-1"], "lớn hơn 0"),
        (["due", "--start", "2040-02-13T16:30", "--working-days", "1"], "ngoài lịch làm việc"),
        (["due", "--start", "2026-02-13T16:30", "--working-days", "1", "--unit", "khong-co"], "Không có đơn vị"),
        (["off-days", "--year", "1999"], "chưa có trong bảng lịch"),
    ],
)
def test_cli_errors_are_vietnamese(args: list[str], message: str) -> None:
    with pytest.raises(CommandError, match=message):
        call_command("calendar", *args)
