"""When a bridge point's counts lock: `MOTCUA_MEETING_ATTENDANCE_LOCK_WORKING_DAYS` working days (1 by default) after
the meeting ends, on the province's official working calendar (`motcua.worktime`), so a meeting on the Friday before
a holiday stays open through the holiday and the next working day."""

from datetime import datetime

from django.conf import settings

from motcua.worktime.selectors import calendar_for


def lock_working_days() -> int:
    return max(1, int(getattr(settings, "MOTCUA_MEETING_ATTENDANCE_LOCK_WORKING_DAYS", 1)))


def attendance_locks_at(ends_at: datetime) -> datetime:
    """The instant after which no host may enter or change a count: the same time of day, n working days later."""
    return calendar_for(None).add_working_days(ends_at, lock_working_days())


def notice_form() -> str:
    """The legal form cited on the conclusion notice; QĐ 45/2018/QĐ-TTg is unconfirmed [R], hence a setting."""
    return str(getattr(settings, "MOTCUA_MEETING_NOTICE_FORM", "QĐ 45/2018/QĐ-TTg"))
