from typing import Any

from django.core.management.base import BaseCommand

from motcua.assessments.services import submit_expired


class Command(BaseCommand):
    help = "Thu và chấm các bài kiểm tra năng lực đã hết giờ. Chạy định kỳ (cron) trong đợt kiểm tra, 1 phút một lần."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(f"Đã thu {submit_expired()} bài hết giờ.")
