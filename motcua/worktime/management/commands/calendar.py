from argparse import ArgumentParser
from datetime import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from motcua.core.clock import VIETNAM
from motcua.core.errors import DomainError
from motcua.organizations.models import Unit
from motcua.worktime.deadlines import LimitUnit, TimeLimit, compute_deadline
from motcua.worktime.selectors import calendar_days_in, calendar_for
from motcua.worktime.services import seed_official_calendar


class Command(BaseCommand):
    help = "Lịch làm việc chính thức: nạp ngày nghỉ, liệt kê, tính ngày hẹn trả."

    def add_arguments(self, parser: ArgumentParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        seed = actions.add_parser(
            "seed", help="Nạp ngày nghỉ lễ, nghỉ bù, làm bù theo luật và các quyết định đã biết."
        )
        seed.add_argument("--from", dest="first", type=int, default=2020)
        seed.add_argument("--to", dest="last", type=int, default=2030)
        listing = actions.add_parser("off-days", help="Liệt kê ngày nghỉ và ngày làm bù của một năm.")
        listing.add_argument("--year", type=int, required=True)
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

    def off_days(self, options: dict[str, Any]) -> None:
        days = calendar_days_in(options["year"])
        if not days:
            raise CommandError(f"Năm {options['year']} chưa có trong bảng lịch.")
        for day in days:
            self.stdout.write(f"{day.day:%d/%m/%Y}  {day.get_kind_display():<12} {day.name}  — {day.legal_basis}")

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
