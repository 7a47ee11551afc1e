import os
import signal
import socket
from argparse import ArgumentParser
from types import FrameType
from typing import Any

from django.core.management.base import BaseCommand

from motcua.outbox import delivery
from motcua.outbox.models import OutboundMessage, State


class Command(BaseCommand):
    help = "Gửi thông điệp liên thông (Cổng DVCQG, webhook) từ hộp thư đi; xem hàng chờ."

    def add_arguments(self, parser: ArgumentParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        worker = actions.add_parser("worker", help="Chạy tiến trình gửi liên tục (Ctrl+C để dừng).")
        worker.add_argument("--once", action="store_true", help="Gửi một lượt những thông điệp đến hạn rồi dừng.")
        actions.add_parser("status", help="Số thông điệp theo trạng thái và nơi nhận.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "status":
            for queue, state in OutboundMessage.objects.values_list("queue", "state").distinct().order_by("queue"):
                count = OutboundMessage.objects.filter(queue=queue, state=state).count()
                self.stdout.write(f"{queue:<16} {State(state).label:<32} {count}")
            return
        name = f"{socket.gethostname()}:{os.getpid()}"
        if options["once"]:
            self.stdout.write(f"Đã xử lý {delivery.deliver_due(name)} thông điệp.")
            return
        running = True

        def stop(signum: int, frame: FrameType | None) -> None:
            nonlocal running
            running = False

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        self.stdout.write(f"Tiến trình gửi {name} đang chạy.")
        handled = delivery.run(name, keep_going=lambda: running)
        self.stdout.write(f"Đã dừng sau {handled} thông điệp.")
