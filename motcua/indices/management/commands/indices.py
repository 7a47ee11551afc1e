from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from motcua.dossiers import counters


class Command(BaseCommand):
    help = "Chỉ số phục vụ (QĐ 766): tính lại bộ đếm từ sự kiện hồ sơ và báo mọi chênh lệch."

    def add_arguments(self, parser: ArgumentParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        rebuild = actions.add_parser(
            "rebuild", help="Tính lại bộ đếm từ sự kiện, so với bộ đếm đang lưu, in từng chênh lệch (phải bằng 0)."
        )
        rebuild.add_argument("--write", action="store_true", help="Ghi bộ đếm tính lại thay cho bộ đếm đang lưu.")
        rebuild.add_argument("--show", type=int, default=50, help="Số chênh lệch in ra tối đa.")

    def handle(self, *args: Any, **options: Any) -> None:
        with transaction.atomic():
            # One snapshot: no event may slip in between the replay and the comparison (or the rewrite).
            replayed = counters.replay()
            detail, units = counters.bucketed(replayed)
            stored_detail, stored_units = counters.stored()
            problems = counters.differences(detail, stored_detail) + counters.differences(units, stored_units)
            for key, expected, actual in problems[: options["show"]]:
                self.stdout.write(f"{key}: tính lại {expected}, đang lưu {actual}")
            self.stdout.write(
                f"{len(replayed):,} bộ đếm theo ngày từ sự kiện; {len(problems)} chênh lệch.".replace(",", ".")
            )
            if options["write"]:
                counters.rewrite(replayed)
                self.stdout.write("Đã ghi bộ đếm tính lại.")
            elif problems:
                raise CommandError(f"Bộ đếm lệch với sự kiện ở {len(problems)} chỗ; chạy lại với --write để sửa.")
