from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand

from motcua.notifications.services import deliver_pending


class Command(BaseCommand):
    help = (
        "Gửi ngay các thư, tin nhắn đến hạn trong hàng chờ. Chạy định kỳ (cron) để gửi nốt những thư mà "
        "tiến trình xử lý nền bỏ dở."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--limit", type=int, default=100, help="Số thư, tin nhắn tối đa trong một lần chạy.")

    def handle(self, *args: Any, **options: Any) -> None:
        sent = deliver_pending(limit=options["limit"])
        self.stdout.write(f"Đã gửi {sent} thư, tin nhắn.")
