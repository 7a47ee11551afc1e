"""Reads of units and people."""

from collections.abc import Iterable, Iterator
from datetime import date
from typing import NamedTuple

from django.db.models import F, OuterRef, Q, QuerySet, Subquery

from motcua.core import clock
from motcua.core.text import fold

from .models import AGENCY_TYPES, AgencyIdentifier, Membership, Role, Unit, UnitType, User


def list_units(*, search: str = "", type: str = "", parent: str = "") -> QuerySet[Unit]:
    """List units, filtered by diacritic-insensitive name, type and parent code, with today's agency identifier."""
    today = clock.today()
    identifier = (
        AgencyIdentifier.objects.filter(unit=OuterRef("pk"), valid_from__lte=today)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=today))
        .order_by("-valid_from")
        .values("code")[:1]
    )
    units = Unit.objects.annotate(current_identifier=Subquery(identifier), parent_code=F("parent__code"))
    if search:
        for word in fold(search).split(" "):
            units = units.filter(search_name__contains=word)
    if type:
        units = units.filter(type__in=type.split(","))
    if parent:
        units = units.filter(parent__code=parent)
    return units.order_by("code")


def superior_agency(unit: Unit) -> Unit | None:
    """The agency directly above one: the nearest agency among its ancestors (a centre's committee, a department's
    provincial committee), else, for a commune's committee, whose ancestors are divisions, the provincial committee
    (two-level local government, NQ 202/2025/QH15). None for the provincial committee."""
    ancestor = unit.parent
    while ancestor is not None:
        if ancestor.type in AGENCY_TYPES:
            return ancestor
        ancestor = ancestor.parent
    if unit.type == UnitType.PROVINCIAL_COMMITTEE:
        return None
    return Unit.objects.filter(province_code=unit.province_code, type=UnitType.PROVINCIAL_COMMITTEE).first()


def agencies_above(unit: Unit) -> Iterator[Unit]:
    """The agencies above a unit, nearest first, up to the provincial committee."""
    above = superior_agency(unit)
    while above is not None:
        yield above
        above = superior_agency(above)


def memberships_on(day: date | None = None) -> QuerySet[Membership]:
    """Return the memberships in force on a day (today by default)."""
    day = day or clock.today()
    return Membership.objects.filter(valid_from__lte=day).filter(Q(valid_to__isnull=True) | Q(valid_to__gte=day))


def current_memberships_of(user: User) -> QuerySet[Membership]:
    """Return the memberships of a person in force today."""
    return memberships_on().filter(user=user).select_related("unit")


class Post(NamedTuple):
    """A membership in force: where a person works, in which role and position."""

    unit_id: int
    role: str
    position: str


def posts_of(user: User) -> tuple[Post, ...]:
    """Return the posts a person holds today, read once per user object.

    A request loads its user once, and every check of that request (scope, rules, roles) asks this; a test that
    changes someone's posts reads the person again, as the next request would.
    """
    if not user.is_authenticated:
        return ()
    today = clock.today()
    kept = getattr(user, "_posts_today", None)
    if kept is None or kept[0] != today:
        rows = current_memberships_of(user).values_list("unit_id", "role", "position")
        kept = (today, tuple(Post(*row) for row in rows))
        user._posts_today = kept  # type: ignore[attr-defined]
    posts: tuple[Post, ...] = kept[1]
    return posts


def roles_of(user: User) -> set[Role]:
    """Return the roles a person holds today; superusers are system admins."""
    if not user.is_authenticated:
        return set()
    roles = {Role(post.role) for post in posts_of(user)}
    if user.is_superuser:
        roles.add(Role.SYSTEM_ADMIN)
    return roles


# Roles whose work covers every unit of the province: the reform office's monitor and the system admin.
WATCHERS = frozenset({Role.PROVINCE_MONITOR, Role.SYSTEM_ADMIN})


def sees_every_unit(user: User, roles: Iterable[str] | None = None) -> bool:
    """Tell whether a person sees the work of every unit: a monitor, a system admin, or a superuser.

    Pass the roles already read with the person's memberships to spare the query.
    """
    if not user.is_authenticated:
        return False
    held = roles_of(user) if roles is None else {Role(role) for role in roles}
    return user.is_superuser or bool(held & WATCHERS)


def may_see_unit(user: User, unit_id: int) -> bool:
    """Tell whether a person may see a unit's work (queues, registers): they work there, or they see every unit."""
    if not user.is_authenticated or user.is_citizen:
        return False
    posts = posts_of(user)
    return any(post.unit_id == unit_id for post in posts) or sees_every_unit(user, (post.role for post in posts))


def is_system_admin(user: User) -> bool:
    return Role.SYSTEM_ADMIN in roles_of(user)


def is_national_channel(user: User) -> bool:
    """Tell whether an account is the national portal's system account (DVCQG), which only hands dossiers over."""
    return user.is_authenticated and not user.is_citizen and Role.NATIONAL_CHANNEL in roles_of(user)
