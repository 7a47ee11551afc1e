from argparse import ArgumentParser
from datetime import date, datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from motcua.core.clock import VIETNAM
from motcua.core.errors import DomainError
from motcua.organizations.models import Unit, User
from motcua.worktime.deadlines import LimitUnit, TimeLimit, compute_deadline
from motcua.worktime.models import CalendarProposal, ProposalStatus
from motcua.worktime.selectors import calendar_days_in, calendar_for, calendar_proposals
from motcua.worktime.services import BASIS_EXAMPLE, confirm_proposal, reject_proposal, seed_official_calendar


class Command(BaseCommand):
    help = (
        "Lịch làm việc chính thức: nạp ngày nghỉ, liệt kê, xác nhận hoặc bác bỏ ngày đề xuất chưa có căn cứ, "
        "tính ngày hẹn trả."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        seed = actions.add_parser(
            "seed",
            help="Nạp ngày nghỉ lễ, nghỉ bù, làm bù có căn cứ văn bản; ngày khác của gói holidays thành đề xuất.",
        )
        seed.add_argument("--from", dest="first", type=int, default=2020)
        seed.add_argument("--to", dest="last", type=int, default=2030)
        listing = actions.add_parser("off-days", help="Liệt kê ngày nghỉ và ngày làm bù của một năm.")
        listing.add_argument("--year", type=int, required=True)
        proposals = actions.add_parser(
            "proposals", help="Liệt kê ngày đề xuất chưa có căn cứ (chờ xác nhận; chưa tính là ngày nghỉ)."
        )
        proposals.add_argument("--year", type=int)
        proposals.add_argument("--all", action="store_true", help="Cả đề xuất đã xác nhận hoặc đã bác bỏ.")
        confirm = actions.add_parser(
            "confirm", help="Xác nhận một ngày đề xuất theo văn bản: tạo phiên bản lịch mới, hạn hồ sơ được tính lại."
        )
        confirm.add_argument("day", help="Ngày đề xuất, ví dụ 24/11/2026.")
        confirm.add_argument("--basis", required=True, help=f"Số và ngày văn bản, ví dụ: {BASIS_EXAMPLE}.")
        confirm.add_argument("--by", required=True, help="Tài khoản quản trị ra quyết định.")
        reject = actions.add_parser("reject", help="Bác bỏ một ngày đề xuất: ngày đó vẫn là ngày làm việc.")
        reject.add_argument("day", help="Ngày đề xuất, ví dụ 24/11/2026.")
        reject.add_argument("--reason", required=True, help="Lý do bác bỏ.")
        reject.add_argument("--by", required=True, help="Tài khoản quản trị ra quyết định.")
        due = actions.add_parser("due", help="Tính thời điểm hẹn trả.")
        due.add_argument("--start", required=True, help="Thời điểm tiếp nhận, ví dụ 2026-02-13T16:30 (giờ Việt Nam).")
        limit = due.add_mutually_exclusive_group(required=True)
        limit.add_argument("--working-days", type=int)
        limit.add_argument("--working-hours", type=float)
        limit.add_argument("--days", type=int, help="Ngày theo lịch (Bộ luật Dân sự điều 148(5)).")
        limit.add_argument(
            "--same-day", action="store_true", help="Trong ngày; sau 15 giờ chuyển sang ngày làm việc sau."
        )
        due.add_argument("--unit", help="Mã đơn vị, để dùng giờ làm việc của đơn vị đó.")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            getattr(self, options["action"].replace("-", "_"))(options)
        except DomainError as error:
            raise CommandError(error.message) from error

    def seed(self, options: dict[str, Any]) -> None:
        version = seed_official_calendar(range(options["first"], options["last"] + 1))
        self.stdout.write(f"Đã tạo phiên bản lịch {version}." if version else "Lịch đã đầy đủ; không có gì thay đổi.")
        if pending := len(calendar_proposals()):
            self.stdout.write(
                f"{pending} ngày đề xuất chưa có căn cứ văn bản đang chờ xác nhận (chưa tính là ngày nghỉ); "
                "xem `motcua calendar proposals`."
            )

    def proposals(self, options: dict[str, Any]) -> None:
        found = calendar_proposals(year=options["year"], pending_only=not options["all"])
        if not found:
            self.stdout.write("Không có đề xuất nào đang chờ xác nhận." if not options["all"] else "Không có đề xuất.")
        for proposal in found:
            self.stdout.write(_describe(proposal))

    def confirm(self, options: dict[str, Any]) -> None:
        version = confirm_proposal(_day(options["day"]), basis=options["basis"], actor=_admin(options["by"]))
        self.stdout.write(
            f"Đã xác nhận; tạo phiên bản lịch {version}. "
            "Hạn của hồ sơ đang mở sẽ được tính lại ở lần chạy `motcua deadlines` tiếp theo."
        )

    def reject(self, options: dict[str, Any]) -> None:
        rejected = reject_proposal(_day(options["day"]), reason=options["reason"], actor=_admin(options["by"]))
        listed = ", ".join(f"{p.day:%d/%m/%Y}" for p in rejected)
        self.stdout.write(f"Đã bác bỏ đề xuất ngày {listed}; lịch không thay đổi.")

    def off_days(self, options: dict[str, Any]) -> None:
        days = calendar_days_in(options["year"])
        if not days:
            raise CommandError(f"Năm {options['year']} chưa có trong bảng lịch.")
        for day in days:
            self.stdout.write(f"{day.day:%d/%m/%Y}  {day.get_kind_display():<12} {day.name}  — {day.legal_basis}")
        if pending := calendar_proposals(year=options["year"]):
            self.stdout.write("Đề xuất chờ xác nhận, chưa áp dụng:")
            for proposal in pending:
                self.stdout.write(_describe(proposal))

    def due(self, options: dict[str, Any]) -> None:
        try:
            start = datetime.fromisoformat(options["start"])
        except ValueError as error:
            raise CommandError("--start phải theo dạng ISO 8601, ví dụ 2026-02-13T16:30.") from error
        if start.tzinfo is None:
            start = start.replace(tzinfo=VIETNAM)
        if options["same_day"]:
            limit = TimeLimit(0, LimitUnit.SAME_DAY)
        elif options["working_days"] is not None:
            limit = TimeLimit(options["working_days"], LimitUnit.WORKING_DAYS)
        elif options["working_hours"] is not None:
            limit = TimeLimit(options["working_hours"], LimitUnit.WORKING_HOURS)
        else:
            limit = TimeLimit(options["days"], LimitUnit.CALENDAR_DAYS)
        unit = Unit.objects.filter(code=options["unit"]).first() if options["unit"] else None
        if options["unit"] and unit is None:
            raise CommandError(f"Không có đơn vị mã {options['unit']}.")
        deadline = compute_deadline(calendar_for(unit), start, limit)
        self.stdout.write(deadline.due_at.isoformat())


def _day(text: str) -> date:
    """Read a day written dd/mm/yyyy, as Vietnamese texts do, or yyyy-mm-dd."""
    try:
        if "/" in text:
            day, month, year = (int(part) for part in text.split("/"))
            return date(year, month, day)
        return date.fromisoformat(text)
    except ValueError as error:
        raise CommandError(f"Ngày «{text}» không hợp lệ; ghi theo dạng dd/mm/yyyy, ví dụ 24/11/2026.") from error


def _admin(username: str) -> User:
    user = User.objects.filter(username=username, is_active=True).first()
    if user is None:
        raise CommandError(f"Không có tài khoản {username}.")
    return user


def _describe(proposal: CalendarProposal) -> str:
    line = f"{proposal.day:%d/%m/%Y}  {proposal.get_kind_display():<12} {proposal.name}  — nguồn: {proposal.source}"
    if proposal.paired_day:
        line += f"; hoán đổi với ngày {proposal.paired_day:%d/%m/%Y}"
    if proposal.status == ProposalStatus.CONFIRMED:
        return f"{line}; đã xác nhận theo {proposal.legal_basis}"
    if proposal.status == ProposalStatus.REJECTED:
        return f"{line}; đã bác bỏ: {proposal.rejection_reason}"
    return f"{line}; chờ xác nhận"
