"""Who sees which units' indices: leaders their unit and the units below it; the province monitor (and the system
administrator) the whole province. Everyone else is refused."""

from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings

from motcua.core.errors import NotFoundError, NotPermittedError
from motcua.organizations.models import Role, Unit, UnitType, User
from motcua.organizations.selectors import current_memberships_of, sees_every_unit

# The units 766 scores: those that decide procedures (counters are kept per competent unit).
SCORED_TYPES = frozenset({UnitType.DEPARTMENT, UnitType.COMMUNE_COMMITTEE, UnitType.PROVINCIAL_COMMITTEE})
BLOCKS = {UnitType.DEPARTMENT: "Sở, ban, ngành", UnitType.COMMUNE_COMMITTEE: "UBND cấp xã"}
REFUSAL = "Chỉ lãnh đạo đơn vị và cán bộ giám sát cấp tỉnh được xem chỉ số chất lượng phục vụ."


@dataclass
class UnitTree:
    """The province's units with their parent links, loaded once per request (a few hundred rows)."""

    units: dict[int, Unit]
    children: defaultdict[int | None, list[int]] = field(default_factory=lambda: defaultdict(list))

    @classmethod
    def load(cls) -> "UnitTree":
        units = Unit.objects.filter(province_code=settings.MOTCUA_PROVINCE_CODE).order_by("code")
        tree = cls({u.pk: u for u in units})
        for unit in tree.units.values():
            tree.children[unit.parent_id].append(unit.pk)
        return tree

    def below(self, pk: int) -> set[int]:
        """The unit and every unit under it."""
        out, todo = set(), [pk]
        while todo:
            current = todo.pop()
            if current not in out:
                out.add(current)
                todo.extend(self.children.get(current, ()))
        return out

    def scored_below(self, pk: int) -> list[Unit]:
        units = [self.units[u] for u in self.below(pk) if self.units[u].type in SCORED_TYPES and u != pk]
        return sorted(units, key=lambda u: (u.type != UnitType.DEPARTMENT, u.name))

    def province(self) -> Unit:
        return next(u for u in self.units.values() if u.code == settings.MOTCUA_PROVINCE_CODE)


@dataclass(frozen=True)
class Scope:
    """The units a person may look at: the roots they were given and everything below them."""

    tree: UnitTree
    roots: tuple[Unit, ...]
    visible: frozenset[int]

    def unit(self, code: str) -> Unit:
        """The unit asked for, or the first root; a unit outside the scope looks like one that does not exist."""
        if not code:
            return self.roots[0]
        unit = next((u for u in self.tree.units.values() if u.code == code), None)
        if unit is None or unit.pk not in self.visible:
            raise NotFoundError("Không tìm thấy đơn vị trong phạm vi được xem.", field="unit")
        return unit


def scope_for(user: User) -> Scope:
    """Return what a person may see, or refuse."""
    if not user.is_authenticated or getattr(user, "is_citizen", False):
        raise NotPermittedError(REFUSAL)
    tree = UnitTree.load()
    if sees_every_unit(user):
        roots: list[Unit] = [tree.province()]
    else:
        led = current_memberships_of(user).filter(role=Role.LEADER).values_list("unit_id", flat=True)
        roots = [tree.units[pk] for pk in led if pk in tree.units]
    if not roots:
        raise NotPermittedError(REFUSAL)
    visible = frozenset(pk for root in roots for pk in tree.below(root.pk))
    return Scope(tree, tuple(roots), visible)
