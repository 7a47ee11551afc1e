from typing import Any

from django.core.management.base import BaseCommand

from motcua.dossiers.services import watch_deadlines


class Command(BaseCommand):
    help = (
        "Theo dõi thời hạn: đánh dấu hồ sơ, bước xử lý sắp đến hạn, đến ngày phải xin lỗi và gia hạn (D-1), quá hạn; "
        "báo lãnh đạo đơn vị; tính lại hạn khi lịch làm việc thay đổi. Chạy định kỳ (cron), ví dụ 10 phút một lần."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        report = watch_deadlines()
        self.stdout.write(
            f"Đã xem {report.dossiers_examined} hồ sơ và {report.steps_examined} bước sắp đến hạn; "
            f"đánh dấu {report.dossiers_flagged} hồ sơ, {report.steps_flagged} bước; "
            f"tính lại hạn {report.recomputed} hồ sơ."
        )
