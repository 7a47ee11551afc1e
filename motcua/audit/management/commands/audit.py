from argparse import ArgumentParser
from datetime import date, datetime, timedelta
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from motcua.audit import protection, services
from motcua.core import clock
from motcua.core.errors import DomainError


class Command(BaseCommand):
    help = "Nhật ký kiểm toán: kiểm tra chuỗi băm, lập bản tóm lược trong ngày, cấp vai trò chỉ-ghi-thêm cho ứng dụng."

    def add_arguments(self, parser: ArgumentParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        actions.add_parser("verify", help="Kiểm tra cả chuỗi; nêu từng bản ghi bị sửa, xóa, đổi thứ tự (mã thoát 1).")
        digest = actions.add_parser("digest", help="Lập (hoặc in lại) bản tóm lược của một ngày đã qua.")
        digest.add_argument("--day", type=_day, help="Ngày, dd/mm/yyyy hoặc yyyy-mm-dd; mặc định hôm qua.")
        grant = actions.add_parser(
            "grant-app-role", help="PostgreSQL: tạo và cấp quyền cho vai trò ứng dụng (không sửa, xóa lịch sử)."
        )
        grant.add_argument("role")

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action == "verify":
            self.verify()
        elif action == "digest":
            self.digest(options["day"] or clock.today() - timedelta(days=1))
        else:
            self.grant(options["role"])

    def verify(self) -> None:
        result = services.verify_chain()
        problems = result.problems + [
            f"Trigger {name} đang bị tắt: nhật ký không còn được cơ sở dữ liệu bảo vệ."
            for name in protection.disabled_triggers()
        ]
        if connection.vendor != "postgresql":
            self.stdout.write(protection.SQLITE_NOTICE)
        for problem in problems:
            self.stdout.write(problem)
        if problems:
            raise CommandError(f"Nhật ký kiểm toán KHÔNG nguyên vẹn: {len(problems)} vấn đề, {result.rows} bản ghi.")
        self.stdout.write(f"Nhật ký kiểm toán nguyên vẹn: {result.rows} bản ghi.")

    def digest(self, day: date) -> None:
        try:
            digest, made = services.make_digest(day)
        except DomainError as refused:
            raise CommandError(refused.message) from refused
        span = f"#{digest.first_sequence}–#{digest.last_sequence}" if digest.rows else "-"
        note = "" if made else " (đã lập trước đó)"
        self.stdout.write(f"{day.strftime('%d/%m/%Y')}\t{digest.rows}\t{span}\t{digest.head_hash}{note}")

    def grant(self, role: str) -> None:
        try:
            with transaction.atomic():
                statements = protection.grant_app_role(role)
        except ValueError as refused:
            raise CommandError(str(refused)) from refused
        for statement in statements:
            self.stdout.write(statement + ";")
        self.stdout.write(
            f"Vai trò {role} chỉ được đọc và ghi thêm vào: {', '.join(protection.append_only_tables())}. "
            "Đặt mật khẩu cho vai trò, cho ứng dụng kết nối bằng vai trò này; chạy migrate bằng vai trò chủ sở hữu, "
            "rồi chạy lại lệnh này."
        )


def _day(text: str) -> date:
    for pattern in ("%d/%m/%Y", "%Y-%m-%d"):
        try:
            return datetime.strptime(text, pattern).date()  # noqa: DTZ007 (a calendar date, no instant)
        except ValueError:
            continue
    raise ValueError(text)
