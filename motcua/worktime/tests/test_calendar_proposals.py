"""Days without a cited text are proposals: working days until an admin confirms them or rejects them."""

from datetime import date, datetime

import pytest
from django.apps import apps
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from rest_framework.test import APIClient

from motcua.core import clock
from motcua.core.clock import VIETNAM
from motcua.core.errors import ConflictError, NotFoundError, NotPermittedError
from motcua.organizations.models import User
from motcua.worktime.models import CalendarDay, CalendarProposal, CalendarVersion, DayKind, ProposalStatus
from motcua.worktime.selectors import calendar_for
from motcua.worktime.services import ProposalError, confirm_proposal, reject_proposal, seed_official_calendar

pytestmark = pytest.mark.django_db

CULTURE_DAY = date(2026, 11, 24)
NO_AMENDMENT = "Chưa có văn bản sửa Điều 112 Bộ luật Lao động."
BASIS = "Thông báo số 123/TB-VPCP ngày 16/11/2026 của Văn phòng Chính phủ (giả định trong kiểm thử)"


def admin() -> User:
    return User.objects.get(username="quantri")


def state() -> tuple[object, ...]:
    """Everything a refused decision must leave as it was."""
    return (
        list(CalendarProposal.objects.values_list("day", "status", "legal_basis", "rejection_reason", "decided_by")),
        list(CalendarDay.objects.values_list("day", "kind", "legal_basis")),
        CalendarVersion.objects.count(),
    )


def test_24_11_2026_is_a_working_day_until_confirmed_then_a_day_off_with_open_deadlines_recomputed() -> None:
    from motcua.dossiers.lifecycle import Action
    from motcua.dossiers.services import perform, watch_deadlines
    from motcua.dossiers.tests.processing_factories import file, load_processing_catalogue

    proposal = CalendarProposal.objects.get(day=CULTURE_DAY)
    assert (proposal.status, proposal.kind) == (ProposalStatus.PENDING, DayKind.OFF)
    assert not CalendarDay.objects.filter(day=CULTURE_DAY).exists()
    assert calendar_for().is_working_day(CULTURE_DAY)
    load_processing_catalogue()
    with clock.frozen(datetime(2026, 11, 17, 9, 0, tzinfo=VIETNAM)):
        dossier = file("1.999015", officer="stp.motcua", at="82.STP")  # 15 working days
        perform(dossier, Action.START, actor=User.objects.get(username="stp.motcua"))
    assert dossier.due_at == datetime(2026, 12, 8, 9, 0, tzinfo=VIETNAM)  # 24/11 counted as a working day
    decided_at = datetime(2026, 11, 18, 10, 0, tzinfo=VIETNAM)
    with clock.frozen(decided_at):
        version = confirm_proposal(CULTURE_DAY, basis=f"  {BASIS} ", actor=admin())
        report = watch_deadlines()
    assert (version.first_affected, version.last_affected, version.actor) == (CULTURE_DAY, CULTURE_DAY, admin())
    day = CalendarDay.objects.get(day=CULTURE_DAY)
    assert (day.kind, day.name, day.legal_basis) == (DayKind.OFF, "Ngày Văn hóa Việt Nam", BASIS)
    proposal.refresh_from_db()
    assert (proposal.status, proposal.document_number, proposal.document_on) == (
        ProposalStatus.CONFIRMED,
        "123/TB-VPCP",
        date(2026, 11, 16),
    )
    assert (proposal.decided_by, proposal.decided_at, proposal.calendar_version) == (admin(), decided_at, version)
    assert calendar_for().version == f"v{version.pk}" and not calendar_for().is_working_day(CULTURE_DAY)
    # The existing path: the deadline watch recomputes open dossiers whose period crosses the new day off.
    dossier.refresh_from_db()
    assert report.recomputed == 1
    assert dossier.due_at == datetime(2026, 12, 9, 9, 0, tzinfo=VIETNAM)
    event = dossier.events.get(action=Action.RECOMPUTE_DUE)
    assert (event.details["old_due_at"][:10], event.details["new_due_at"][:10]) == ("2026-12-08", "2026-12-09")


def test_rejecting_leaves_it_a_working_day_records_who_and_why_and_cannot_be_decided_again() -> None:
    versions = CalendarVersion.objects.count()
    with clock.frozen(datetime(2026, 11, 18, 10, 0, tzinfo=VIETNAM)):
        rejected = reject_proposal(CULTURE_DAY, reason=f" {NO_AMENDMENT} ", actor=admin())
    assert [p.day for p in rejected] == [CULTURE_DAY]
    proposal = CalendarProposal.objects.get(day=CULTURE_DAY)
    assert (proposal.status, proposal.rejection_reason, proposal.decided_by) == (
        ProposalStatus.REJECTED,
        NO_AMENDMENT,
        admin(),
    )
    assert proposal.decided_at == datetime(2026, 11, 18, 10, 0, tzinfo=VIETNAM)
    assert CalendarVersion.objects.count() == versions  # the calendar did not change
    assert not CalendarDay.objects.filter(day=CULTURE_DAY).exists() and calendar_for().is_working_day(CULTURE_DAY)
    before = state()
    with pytest.raises(ConflictError, match="đã bị bác bỏ lúc 10:00 ngày 18/11/2026 bởi Quản trị hệ thống"):
        confirm_proposal(CULTURE_DAY, basis=BASIS, actor=admin())
    assert state() == before


def test_a_swap_is_confirmed_as_a_pair_in_one_version() -> None:
    saturday, monday = date(2026, 8, 22), date(2026, 8, 31)
    assert not calendar_for().is_working_day(saturday) and calendar_for().is_working_day(monday)
    version = confirm_proposal(saturday, basis="Thông báo số 45/TB-VPCP ngày 10/08/2026 (giả định)", actor=admin())
    assert (version.first_affected, version.last_affected) == (saturday, monday)
    assert calendar_for().is_working_day(saturday) and not calendar_for().is_working_day(monday)
    assert set(CalendarDay.objects.filter(day__in=[saturday, monday]).values_list("day", "kind")) == {
        (saturday, DayKind.WORKING),
        (monday, DayKind.OFF),
    }
    assert set(CalendarProposal.objects.filter(day__in=[saturday, monday]).values_list("status", flat=True)) == {
        ProposalStatus.CONFIRMED
    }


def test_seeding_twice_creates_no_duplicates_and_keeps_the_admins_decisions() -> None:
    reject_proposal(CULTURE_DAY, reason="Chưa có văn bản.", actor=admin())
    confirm_proposal(date(2027, 11, 24), basis=BASIS, actor=admin())
    proposals, days = CalendarProposal.objects.count(), CalendarDay.objects.count()
    versions = CalendarVersion.objects.count()
    assert seed_official_calendar(range(2020, 2031)) is None
    assert seed_official_calendar(range(2020, 2031)) is None
    assert (CalendarProposal.objects.count(), CalendarDay.objects.count(), CalendarVersion.objects.count()) == (
        proposals,
        days,
        versions,
    )
    assert CalendarProposal.objects.get(day=CULTURE_DAY).status == ProposalStatus.REJECTED
    assert CalendarProposal.objects.get(day=date(2027, 11, 24)).status == ProposalStatus.CONFIRMED
    assert CalendarDay.objects.get(day=date(2027, 11, 24)).legal_basis == BASIS
    # Every day of 2020–2030 that the package yields is either in force with a cited text or proposed, never both.
    assert (
        proposals == 13
        and not CalendarDay.objects.filter(
            day__in=CalendarProposal.objects.filter(status=ProposalStatus.PENDING).values("day")
        ).exists()
    )


@pytest.mark.parametrize(
    ("basis", "message"),
    [
        ("", "Căn cứ phải ghi số và ngày của văn bản"),
        ("Thông báo của Văn phòng Chính phủ", "Căn cứ phải ghi số và ngày của văn bản"),
        ("Thông báo số 123/TB-VPCP", "Căn cứ phải ghi số và ngày của văn bản"),
        ("Thông báo ngày 16/11/2026", "Căn cứ phải ghi số và ngày của văn bản"),
        ("Thông báo số 123/TB-VPCP ngày 31/02/2026", "không có thật"),
        ("Thông báo số 123/TB-VPCP ngày 20/11/2026", "ở tương lai"),
        (f"Thông báo số 123/TB-VPCP ngày 16/11/2026 {'x' * 300}", "dài quá 300 ký tự"),
    ],
)
def test_a_confirm_without_the_documents_number_and_date_is_refused_in_vietnamese(basis: str, message: str) -> None:
    before = state()
    with clock.frozen(datetime(2026, 11, 18, 10, 0, tzinfo=VIETNAM)), pytest.raises(ProposalError) as error:
        confirm_proposal(CULTURE_DAY, basis=basis, actor=admin())
    assert message in error.value.message
    assert error.value.field == "basis"
    assert state() == before


def test_other_refusals_change_nothing() -> None:
    before = state()
    with pytest.raises(ProposalError, match="Hãy ghi lý do bác bỏ") as error:
        reject_proposal(CULTURE_DAY, reason="  ", actor=admin())
    assert error.value.field == "reason"
    with pytest.raises(NotPermittedError, match="Chỉ quản trị hệ thống"):
        confirm_proposal(CULTURE_DAY, basis=BASIS, actor=User.objects.get(username="stp.lanhdao"))
    with pytest.raises(NotFoundError, match="Không có đề xuất nào cho ngày 25/11/2026"):
        confirm_proposal(date(2026, 11, 25), basis=BASIS, actor=admin())
    assert state() == before


def test_cli_lists_confirms_and_rejects_in_vietnamese(capsys: pytest.CaptureFixture[str]) -> None:
    call_command("calendar", "proposals", "--year", "2026")
    out = capsys.readouterr().out
    assert "24/11/2026  Ngày nghỉ" in out and "Ngày Văn hóa Việt Nam" in out and "chờ xác nhận" in out
    assert "31/08/2026" in out and "hoán đổi với ngày 22/08/2026" in out
    call_command("calendar", "off-days", "--year", "2026")
    out = capsys.readouterr().out
    assert "Đề xuất chờ xác nhận, chưa áp dụng:" in out
    assert out.index("Đề xuất chờ xác nhận") < out.index("24/11/2026")  # listed apart, not among the days off
    with pytest.raises(CommandError, match="Căn cứ phải ghi số và ngày của văn bản"):
        call_command("calendar", "confirm", "24/11/2026", "--basis", "theo báo chí", "--by", "quantri")
    with pytest.raises(CommandError, match="dd/mm/yyyy"):
        call_command("calendar", "confirm", "24-11-2026", "--basis", BASIS, "--by", "quantri")
    with pytest.raises(CommandError, match="Không có tài khoản khong-co"):
        call_command("calendar", "reject", "24/11/2026", "--reason", "x", "--by", "khong-co")
    assert CalendarProposal.objects.get(day=CULTURE_DAY).status == ProposalStatus.PENDING
    call_command("calendar", "confirm", "24/11/2026", "--basis", BASIS, "--by", "quantri")
    assert "Đã xác nhận; tạo phiên bản lịch" in capsys.readouterr().out
    call_command("calendar", "reject", "2027-11-24", "--reason", "Chưa có văn bản.", "--by", "quantri")
    assert "Đã bác bỏ đề xuất ngày 24/11/2027" in capsys.readouterr().out
    assert not calendar_for().is_working_day(CULTURE_DAY) and calendar_for().is_working_day(date(2027, 11, 24))
    call_command("calendar", "proposals", "--all", "--year", "2027")
    assert "đã bác bỏ: Chưa có văn bản." in capsys.readouterr().out


def test_admin_confirms_with_a_basis_and_shows_the_refusal_otherwise(client: Client) -> None:
    proposal = CalendarProposal.objects.get(day=CULTURE_DAY)
    url = f"/quan-tri/worktime/calendarproposal/{proposal.pk}/quyet-dinh/"
    client.force_login(User.objects.get(username="stp.lanhdao"))
    assert client.get(url).status_code == 302  # not staff: sent to the login page
    client.force_login(admin())
    listing = client.get("/quan-tri/worktime/calendarproposal/")
    assert listing.status_code == 200 and "Xác nhận hoặc bác bỏ" in listing.content.decode()
    assert client.get(f"/quan-tri/worktime/calendarproposal/{proposal.pk}/change/").status_code == 200
    assert "Ngày Văn hóa Việt Nam" in client.get(url).content.decode()
    before = state()
    refused = client.post(url, {"decision": "confirm", "basis": "theo gói holidays"})
    assert refused.status_code == 200 and "Căn cứ phải ghi số và ngày của văn bản" in refused.content.decode()
    assert state() == before
    done = client.post(url, {"decision": "confirm", "basis": BASIS})
    assert done.status_code == 302
    proposal.refresh_from_db()
    assert (proposal.status, proposal.decided_by) == (ProposalStatus.CONFIRMED, admin())
    assert CalendarDay.objects.get(day=CULTURE_DAY).legal_basis == BASIS


def test_the_api_shows_proposals_apart_from_the_days_in_force(api: APIClient) -> None:
    off_days = [d["day"] for d in api.get("/api/v1/calendar/off-days", {"year": 2026}).json()]
    assert "2026-11-24" not in off_days and "2026-08-31" not in off_days
    body = api.get("/api/v1/calendar/proposals", {"year": 2026, "pending": "true"}).json()
    assert [(p["day"], p["kind"], p["status"]) for p in body] == [
        ("2026-08-22", "working", "pending"),
        ("2026-08-31", "off", "pending"),
        ("2026-11-24", "off", "pending"),
    ]
    reject_proposal(CULTURE_DAY, reason="Chưa có văn bản.", actor=admin())
    assert len(api.get("/api/v1/calendar/proposals", {"year": 2026, "pending": "true"}).json()) == 2
    every = api.get("/api/v1/calendar/proposals", {"year": 2026}).json()
    assert (every[2]["day"], every[2]["status"], every[2]["rejection_reason"]) == (
        "2026-11-24",
        "rejected",
        "Chưa có văn bản.",
    )
    assert api.get("/api/v1/calendar/proposals", {"year": "x"}).status_code == 400


def test_the_migration_turns_days_seeded_without_a_text_into_proposals() -> None:
    from importlib import import_module

    migration = import_module("motcua.worktime.migrations.0002_calendar_proposals")
    old = {
        date(2026, 11, 24): ("off", "Ngày Văn hóa Việt Nam", migration.UNVERIFIED_BASES[0]),
        date(2026, 8, 31): ("off", "Ngày nghỉ (thay cho ngày 22/08/2026)", migration.UNVERIFIED_BASES[1]),
        date(2026, 8, 22): ("working", "Làm bù (hoán đổi ngày làm việc)", migration.UNVERIFIED_BASES[1]),
    }
    CalendarProposal.objects.filter(day__in=old).delete()
    for day, (kind, name, basis) in old.items():
        CalendarDay.objects.create(day=day, kind=kind, name=name, legal_basis=basis)
    versions = CalendarVersion.objects.count()
    migration.move_unverified_days_to_proposals(apps, None)
    assert not CalendarDay.objects.filter(day__in=old).exists()
    assert set(CalendarProposal.objects.filter(day__in=old).values_list("day", "status", "paired_day", "name")) == {
        (date(2026, 11, 24), ProposalStatus.PENDING, None, "Ngày Văn hóa Việt Nam"),
        (date(2026, 8, 31), ProposalStatus.PENDING, date(2026, 8, 22), "Ngày nghỉ (thay cho ngày 22/08/2026)"),
        (date(2026, 8, 22), ProposalStatus.PENDING, date(2026, 8, 31), "Làm bù cho ngày 31/08/2026"),
    }
    version = CalendarVersion.objects.latest("id")
    assert CalendarVersion.objects.count() == versions + 1
    assert (version.first_affected, version.last_affected) == (date(2026, 8, 22), date(2026, 11, 24))
    assert calendar_for().is_working_day(date(2026, 11, 24)) and calendar_for().is_working_day(date(2026, 8, 31))
    assert CalendarDay.history.filter(day=date(2026, 11, 24), history_type="-").exists()
