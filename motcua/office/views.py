from datetime import datetime

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from motcua.feedback.rules import desk_of
from motcua.organizations.models import Role, User
from motcua.organizations.selectors import current_memberships_of, is_national_channel, roles_of
from motcua.worktime.arithmetic import WorkCalendar

# What each role's home offers; the cards grow as the contexts behind them land.
ROLE_CARDS = {
    Role.ONE_STOP_OFFICER: (
        "Quầy tiếp nhận và trả kết quả",
        "Tiếp nhận hồ sơ, in giấy tiếp nhận và hẹn trả, trả kết quả.",
    ),
    Role.SPECIALIST: (_("Hồ sơ cần xử lý"), _("Các bước được giao, sắp xếp theo hạn xử lý.")),
    Role.LEADER: (_("Phân công, duyệt và ký"), _("Hồ sơ chờ phân công, chờ duyệt, chờ ký của đơn vị.")),
    Role.PROVINCE_MONITOR: (_("Theo dõi chỉ số phục vụ"), _("Chỉ số chất lượng phục vụ (QĐ 766) của từng đơn vị.")),
    Role.SYSTEM_ADMIN: (_("Quản trị hệ thống"), _("Đơn vị, cán bộ, vai trò, danh mục thủ tục, lịch làm việc.")),
    Role.DIRECTIVE_TRACKER: (
        _("Theo dõi nhiệm vụ chỉ đạo"),
        _("Cập nhật chỉ đạo, xác nhận hoàn thành, gia hạn và công bố kết quả thực hiện nhiệm vụ."),
    ),
    Role.CLERK: (_("Văn thư"), _("Vào sổ văn bản đến, trình lãnh đạo và phát hành văn bản đi của cơ quan.")),
}


def urgency(due_at: datetime | None, calendar: WorkCalendar, now: datetime) -> str:
    """Mark a deadline on a work list: "overdue" once passed, "near-due" within the configured working time."""
    if due_at is None:
        return ""
    if due_at < now:
        return "overdue"
    return "near-due" if calendar.is_near_due(now, due_at, settings.MOTCUA_NEAR_DUE_WORKING_MINUTES) else ""


def staff_only(request: HttpRequest) -> User:
    """Return the signed-in official; citizens and the national portal's system account are refused from every
    back-office page."""
    user: User = request.user  # type: ignore[assignment]
    if user.is_citizen or is_national_channel(user):
        raise PermissionDenied(_("Trang làm việc chỉ dành cho cán bộ, công chức."))
    return user


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Show an official the work of each role they hold today."""
    user = staff_only(request)
    context = {
        "memberships": current_memberships_of(user),
        "cards": [(role, *ROLE_CARDS[role]) for role in Role if role in roles_of(user) and role in ROLE_CARDS],
        "takes_cases_in": desk_of(user) is not None,
    }
    return render(request, "office/home.html", context)
