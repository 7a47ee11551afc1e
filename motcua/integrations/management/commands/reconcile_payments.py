from argparse import ArgumentParser
from datetime import date, timedelta
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from motcua.core import clock
from motcua.integrations.payment.reconciliation import reconcile


class Command(BaseCommand):
    help = "Đối soát danh sách giao dịch của nền tảng thanh toán với đơn thanh toán của hệ thống (mặc định: hôm qua)."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--ngay", default="", help="ngày đối soát, dạng YYYY-MM-DD")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            day = date.fromisoformat(options["ngay"]) if options["ngay"] else clock.today() - timedelta(days=1)
        except ValueError:
            raise CommandError("Ngày đối soát phải có dạng YYYY-MM-DD.") from None
        run = reconcile(day)
        if run.error:
            raise CommandError(f"Đối soát ngày {day:%d/%m/%Y} không thực hiện được: {run.error}")
        found = run.mismatches.count()
        self.stdout.write(
            f"Đối soát ngày {day:%d/%m/%Y}: {run.platform_rows} giao dịch, {run.settled} đơn được xác nhận, "
            f"{found} chênh lệch."
        )
