"""Writes of units: loading the national divisions and the agencies of a province."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.db import IntegrityError, transaction
from vietnam_provinces import Province, VietNamDivisionType, Ward

from motcua.core.errors import ConflictError
from motcua.core.text import fold

from .models import COMMUNE_LEVEL_TYPES, AgencyIdentifier, Unit, UnitSuccession, UnitType, User, UserKind

# Two-level local government and the 34 provinces took effect on 1 July 2025 (NQ 202/2025/QH15; QĐ 19/2025/QĐ-TTg).
REFORM_DAY = date(2025, 7, 1)
REFORM_BASIS = "Nghị quyết 202/2025/QH15; Quyết định 19/2025/QĐ-TTg"

_DIVISION_TYPES = {
    VietNamDivisionType.TINH: UnitType.PROVINCE,
    VietNamDivisionType.THANH_PHO_TRUNG_UONG: UnitType.CENTRAL_CITY,
    VietNamDivisionType.XA: UnitType.COMMUNE,
    VietNamDivisionType.PHUONG: UnitType.WARD,
    VietNamDivisionType.DAC_KHU: UnitType.SPECIAL_ZONE,
}


def province_code(code: int) -> str:
    return f"{code:02d}"


def commune_code(code: int) -> str:
    return f"{code:05d}"


def _upsert(units: list[Unit], fields: list[str]) -> int:
    """Create or update units by code in bulk; return how many were new."""
    for unit in units:
        unit.search_name = fold(unit.name)
    existing = set(Unit.objects.filter(code__in=[u.code for u in units]).values_list("code", flat=True))
    Unit.objects.bulk_create(
        units, update_conflicts=True, unique_fields=["code"], update_fields=[*fields, "search_name"], batch_size=500
    )
    return len({u.code for u in units} - existing)


@transaction.atomic
def sync_divisions() -> int:
    """Load or refresh the 34 provinces and 3,321 communes from vietnam-provinces; return how many were new."""
    fields = ["name", "short_name", "type", "parent", "province_code", "valid_from"]
    provinces = [
        Unit(
            code=province_code(p.code),
            name=p.name if p.name.startswith("Thành phố") else f"Tỉnh {p.name}",
            short_name=p.name.removeprefix("Thành phố "),
            type=_DIVISION_TYPES[p.division_type],
            province_code=province_code(p.code),
            valid_from=REFORM_DAY,
        )
        for p in Province.iter_all()
    ]
    created = _upsert(provinces, fields)
    parents = {u.code: u for u in Unit.objects.filter(code__in=[p.code for p in provinces])}
    communes = [
        Unit(
            code=commune_code(w.code),
            name=w.name,
            short_name=w.name,
            type=_DIVISION_TYPES[w.division_type],
            parent=parents[province_code(w.province_code)],
            province_code=province_code(w.province_code),
            valid_from=REFORM_DAY,
        )
        for w in Ward.iter_all()
    ]
    return created + _upsert(communes, fields)


@dataclass(frozen=True)
class AgencySpec:
    """An agency to provision: its code suffix, name, type and (optional) agency identifier."""

    suffix: str
    name: str
    type: UnitType
    identifier: str = ""
    parent_suffix: str = ""


def _agency(code: str, name: str, type: UnitType, parent: Unit, province: str) -> Unit:
    unit, _ = Unit.objects.update_or_create(
        code=code,
        defaults={"name": name, "short_name": name, "type": type, "parent": parent, "province_code": province},
    )
    return unit


def _identify(unit: Unit, identifier: str, valid_from: date, legal_basis: str) -> None:
    if identifier:
        AgencyIdentifier.objects.update_or_create(
            unit=unit, valid_from=valid_from, defaults={"code": identifier, "legal_basis": legal_basis}
        )


@transaction.atomic
def provision_province_agencies(
    province: str,
    agencies: list[AgencySpec],
    *,
    commune_identifiers: dict[str, tuple[str, str]] | None = None,
    identifiers_from: date = REFORM_DAY,
    legal_basis: str = "",
) -> int:
    """Create the province's agencies and, for each commune, its People's Committee and service centre.

    Provincial agencies hang under the province (the committee) or another agency (`parent_suffix`); each commune
    committee hangs under its commune and each commune service centre under its committee (ND 118/2025 art. 1).
    Returns the number of agencies now present for the province. Safe to run again.
    """
    division = Unit.objects.get(code=province)
    made: dict[str, Unit] = {}
    for spec in agencies:
        parent = made[spec.parent_suffix] if spec.parent_suffix else division
        made[spec.suffix] = _agency(f"{province}.{spec.suffix}", spec.name, spec.type, parent, province)
        _identify(made[spec.suffix], spec.identifier, identifiers_from, legal_basis)
    commune_identifiers = commune_identifiers or {}
    for commune in Unit.objects.filter(parent=division, type__in=COMMUNE_LEVEL_TYPES):
        committee = _agency(
            f"{commune.code}.UBND", f"Ủy ban nhân dân {commune.name}", UnitType.COMMUNE_COMMITTEE, commune, province
        )
        centre = _agency(
            f"{commune.code}.TTPVHCC",
            f"Trung tâm Phục vụ hành chính công {commune.name}",
            UnitType.COMMUNE_SERVICE_CENTRE,
            committee,
            province,
        )
        committee_id, centre_id = commune_identifiers.get(commune.code, ("", ""))
        _identify(committee, committee_id, identifiers_from, legal_basis)
        _identify(centre, centre_id, identifiers_from, legal_basis)
    return (
        Unit.objects.filter(province_code=province).exclude(type__in=list(map(str, _DIVISION_TYPES.values()))).count()
    )


@transaction.atomic
def record_historic_unit(
    *, code: str, name: str, type: UnitType, province: str, valid_to: date, successors: list[Unit], legal_basis: str
) -> Unit:
    """Keep a unit that ceased to exist, with links to the units that succeeded it."""
    unit, _ = Unit.objects.update_or_create(
        code=code,
        defaults={"name": name, "short_name": name, "type": type, "province_code": province, "valid_to": valid_to},
    )
    for successor in successors:
        UnitSuccession.objects.update_or_create(
            predecessor=unit,
            successor=successor,
            defaults={"effective_on": valid_to + timedelta(days=1), "legal_basis": legal_basis},
        )
    return unit


@transaction.atomic
def create_unit(*, code: str, name: str, type: UnitType, parent: Unit | None, **fields: object) -> Unit:
    """Create a unit after checking that its code is free."""
    if Unit.objects.filter(code=code).exists():
        raise ConflictError(f"Mã đơn vị {code} đã tồn tại.", field="code")
    province = parent.province_code if parent else code[:2]
    unit = Unit(code=code, name=name, type=type, parent=parent, province_code=province, **fields)
    unit.full_clean()
    unit.save()
    return unit


@transaction.atomic
def update_unit(unit: Unit, **fields: object) -> Unit:
    """Change a unit's name, parent or validity; every change is kept in its history."""
    locked = Unit.objects.select_for_update().get(pk=unit.pk)
    for name, value in fields.items():
        setattr(locked, name, value)
    locked.full_clean()
    locked.save()
    return locked


def register_citizen(*, full_name: str, citizen_id: str, phone: str | None, email: str, password: str) -> User:
    """Open a citizen account; phone or email is the sign-in name."""
    user = User(
        username=phone or email,
        kind=UserKind.CITIZEN,
        full_name=full_name,
        citizen_id=citizen_id,
        phone=phone,
        email=email,
    )
    user.set_password(password)
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError as error:  # a double submission, or a race with another registration
        raise ConflictError("Số định danh, số điện thoại hoặc thư điện tử này đã có tài khoản.") from error
    return user
