"""Periodic CCHC reports from the command line (or cron): open a year's periods, lock the figures at the cut-off.

motcua reform_reports open 2026
motcua reform_reports lock      # daily: every report whose cut-off day is over gets its figures locked
"""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from motcua.core.errors import DomainError
from motcua.reform.reports import services


class Command(BaseCommand):
    help = "Mở các kỳ báo cáo CCHC của một năm, hoặc chốt số liệu các báo cáo đã qua ngày chốt."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        opening = sub.add_parser("open", help="Mở các kỳ báo cáo của một năm, mỗi đơn vị một bản dự thảo")
        opening.add_argument("year", type=int)
        sub.add_parser("lock", help="Chốt số liệu các báo cáo đã qua ngày chốt số liệu")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            if options["action"] == "open":
                periods = services.open_year(options["year"])
                reports = sum(p.reports.count() for p in periods)
                self.stdout.write(f"Đã mở {len(periods)} kỳ báo cáo năm {options['year']}: {reports} báo cáo.")
            else:
                self.stdout.write(f"Đã chốt số liệu {services.lock_figures_due()} báo cáo.")
        except DomainError as refused:
            raise CommandError(refused.message) from None
