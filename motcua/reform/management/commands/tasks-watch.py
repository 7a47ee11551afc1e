from typing import Any

from django.core.management.base import BaseCommand

from motcua.reform.tasks.watch import watch_tasks


class Command(BaseCommand):
    help = (
        "Theo dõi hạn nhiệm vụ chỉ đạo: đánh dấu nhiệm vụ sắp đến hạn, quá hạn và báo đơn vị chủ trì, Văn phòng UBND "
        "tỉnh. Chạy định kỳ (cron), ví dụ 10 phút một lần."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        report = watch_tasks()
        self.stdout.write(f"Đã xem {report.examined} nhiệm vụ sắp đến hạn; đánh dấu {report.flagged} nhiệm vụ.")
