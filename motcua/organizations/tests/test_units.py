from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db.models import Count

from motcua.organizations.models import (
    AgencyIdentifier,
    Membership,
    Position,
    Role,
    Unit,
    UnitType,
    validate_agency_identifier,
)
from motcua.organizations.selectors import list_units, roles_of
from motcua.organizations.services import sync_divisions

pytestmark = pytest.mark.django_db


def test_all_34_provinces_and_3321_communes_are_present() -> None:
    divisions = Unit.objects.filter(valid_to__isnull=True)
    assert divisions.filter(type__in=[UnitType.PROVINCE, UnitType.CENTRAL_CITY]).count() == 34
    assert divisions.filter(type=UnitType.CENTRAL_CITY).count() == 6
    assert divisions.filter(type__in=[UnitType.COMMUNE, UnitType.WARD, UnitType.SPECIAL_ZONE]).count() == 3321
    assert Unit.objects.get(code="82").name == "Tỉnh Đồng Tháp"
    assert Unit.objects.get(code="01").name == "Thành phố Hà Nội"
    assert Unit.objects.filter(parent__code="82", type__in=["commune", "ward", "special_zone"]).count() == 102
    ward = Unit.objects.get(code="29905")
    assert (ward.name, ward.type, ward.parent.code) == ("Phường Sa Đéc", UnitType.WARD, "82")


def test_sync_is_idempotent() -> None:
    before = Unit.objects.count()
    assert sync_divisions() == 0
    assert Unit.objects.count() == before


def test_every_commune_of_the_demo_province_has_a_committee_and_a_service_centre() -> None:
    communes = Unit.objects.filter(parent__code="82")
    committees = Unit.objects.filter(type=UnitType.COMMUNE_COMMITTEE, parent__in=communes)
    centres = Unit.objects.filter(type=UnitType.COMMUNE_SERVICE_CENTRE, parent__in=committees)
    assert committees.count() == centres.count() == 102
    assert not committees.annotate(n=Count("children")).exclude(n=1).exists()
    centre = Unit.objects.get(code="28261.TTPVHCC")
    assert centre.name == "Trung tâm Phục vụ hành chính công Phường Mỹ Tho"
    assert centre.parent.parent.code == "28261"


def test_provincial_agencies_hang_under_the_right_parents() -> None:
    assert Unit.objects.get(code="82.UBND").parent.code == "82"
    assert Unit.objects.get(code="82.STP").parent.code == "82.UBND"
    assert Unit.objects.get(code="82.TTPVHCC").parent.code == "82.VP"
    assert Unit.objects.filter(province_code="82", type=UnitType.DEPARTMENT).count() == 10


def test_historic_provinces_resolve_to_their_successor() -> None:
    old = Unit.objects.get(code="87.1989")
    assert old.name == "Tỉnh Đồng Tháp"
    assert old.is_valid_on(date(2025, 6, 30)) and not old.is_valid_on(date(2025, 7, 1))
    succession = old.successions.get()
    assert (succession.successor.code, succession.effective_on) == ("82", date(2025, 7, 1))
    assert [p.predecessor.code for p in Unit.objects.get(code="82").predecessions.order_by("predecessor__code")] == [
        "82.1976",
        "87.1989",
    ]


def test_agency_identifiers_are_versioned_by_date() -> None:
    unit = Unit.objects.get(code="82.STP")
    assert unit.agency_identifier_on(date(2025, 6, 30)) is None
    assert unit.agency_identifier_on(date(2026, 1, 1)).code == "000.00.04.H20"
    AgencyIdentifier.objects.filter(unit=unit).update(valid_to=date(2026, 12, 31))
    AgencyIdentifier.objects.create(unit=unit, code="000.20.04.H20", valid_from=date(2027, 1, 1))
    assert unit.agency_identifier_on(date(2026, 12, 31)).code == "000.00.04.H20"
    assert unit.agency_identifier_on(date(2027, 1, 1)).code == "000.20.04.H20"


@pytest.mark.parametrize("value", ["000.00.06.H56", "000.17.22.H56", "000.00.00.G01"])
def test_agency_identifier_shape_accepted(value: str) -> None:
    validate_agency_identifier(value)


@pytest.mark.parametrize("value", ["000.00.06.56", "00.00.06.H56", "000.00.06.X56", "000.00.06.H5", "abc"])
def test_agency_identifier_shape_rejected(value: str) -> None:
    with pytest.raises(ValidationError, match=r"xxx\.xx\.xx\.Hnn"):
        validate_agency_identifier(value)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("sa dec", "Phường Sa Đéc"),
        ("SA ĐÉC", "Phường Sa Đéc"),
        ("phuong my tho", "Phường Mỹ Tho"),
        ("dong thap", "Tỉnh Đồng Tháp"),
    ],
)
def test_search_ignores_diacritics_and_case(query: str, expected: str) -> None:
    assert expected in [u.name for u in list_units(search=query)]


def test_search_filters_by_type_and_parent() -> None:
    names = set(list_units(search="sa dec", type="ward", parent="82").values_list("name", flat=True))
    assert names == {"Phường Sa Đéc"}
    assert not list_units(search="sa dec", parent="01").exists()


def test_roles_come_from_current_memberships(django_user_model) -> None:  # type: ignore[no-untyped-def]
    leader = django_user_model.objects.get(username="stp.lanhdao")
    assert roles_of(leader) == {Role.LEADER}
    Membership.objects.filter(user=leader).update(valid_to=date(2025, 12, 31))
    assert roles_of(leader) == {Role.LEADER}  # read once per user object, as a request reads its user once
    assert roles_of(django_user_model.objects.get(pk=leader.pk)) == set()  # the next request
    assert roles_of(django_user_model.objects.get(username="quantri")) == {Role.SYSTEM_ADMIN}


def test_leader_role_needs_a_leadership_position(django_user_model) -> None:  # type: ignore[no-untyped-def]
    membership = Membership(
        user=django_user_model.objects.get(username="stp.chuyenvien"),
        unit=Unit.objects.get(code="82.STP"),
        position=Position.SPECIALIST,
        role=Role.LEADER,
        valid_from=date(2026, 1, 1),
    )
    with pytest.raises(ValidationError, match="chức vụ lãnh đạo"):
        membership.full_clean()
