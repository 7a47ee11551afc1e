from typing import Any

from django.core.management.base import BaseCommand

from motcua.api.idempotency import purge_expired_answers
from motcua.api.tokens import purge_expired_tokens


class Command(BaseCommand):
    help = (
        "Xóa dữ liệu hết thời hạn lưu: câu trả lời Idempotency-Key quá MOTCUA_IDEMPOTENCY_HOURS giờ (giữ khóa trần "
        "để từ chối gửi lại), khóa quá MOTCUA_IDEMPOTENCY_KEY_DAYS ngày, token API đã hết hạn. Chạy định kỳ (cron), "
        "ví dụ mỗi giờ một lần."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        erased, forgotten = purge_expired_answers()
        tokens = purge_expired_tokens()
        self.stdout.write(
            f"Đã xóa {erased} câu trả lời Idempotency-Key, quên {forgotten} khóa cũ, xóa {tokens} token hết hạn."
        )
