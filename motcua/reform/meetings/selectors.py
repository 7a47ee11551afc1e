"""Reads of meetings, scoped: the organisers (leaders of UBND tỉnh, Văn phòng UBND tỉnh) and the province monitor
see every meeting; anyone else sees those they chair or host, and those with a bridge point or an agenda item of
their units or the units below them."""

from django.db.models import Q, QuerySet

from motcua.organizations.models import Role, Unit, UnitType, User
from motcua.organizations.selectors import posts_of
from motcua.reform.models import Meeting
from motcua.reform.tasks.selectors import is_tracker, units_below


def is_province_leader(user: User) -> bool:
    leads = [post.unit_id for post in posts_of(user) if post.role == Role.LEADER]
    return bool(leads) and Unit.objects.filter(pk__in=leads, type=UnitType.PROVINCIAL_COMMITTEE).exists()


def is_organiser(user: User) -> bool:
    """A leader of UBND tỉnh or Văn phòng UBND tỉnh: they schedule meetings and write their minutes."""
    if not user.is_authenticated or user.is_citizen:
        return False
    return is_tracker(user) or is_province_leader(user)


def sees_all_meetings(user: User) -> bool:
    if not user.is_authenticated or user.is_citizen:
        return False
    return is_organiser(user) or any(post.role == Role.PROVINCE_MONITOR for post in posts_of(user))


def meetings_for(user: User) -> QuerySet[Meeting]:
    """The meetings a person sees, the latest first; none for citizens and the system administrator."""
    meetings = Meeting.objects.select_related("chair").order_by("-starts_at", "-pk")
    if not user.is_authenticated or user.is_citizen:
        return meetings.none()
    if sees_all_meetings(user):
        return meetings
    units = units_below({post.unit_id for post in posts_of(user) if post.role != Role.SYSTEM_ADMIN})
    mine = Q(chair=user) | Q(bridge_points__host=user)
    if units:
        mine |= Q(bridge_points__unit__in=units) | Q(agenda__presenter_unit__in=units)
    return meetings.filter(pk__in=Meeting.objects.filter(mine).values("pk"))


def get_meeting_for(user: User, meeting_id: int) -> Meeting | None:
    if not 0 < meeting_id < 2**31:
        return None
    return meetings_for(user).filter(pk=meeting_id).first()
