import pytest
from django.contrib import admin
from django.test import Client

from motcua.dossiers.tests.factories import load_catalogue, receive
from motcua.organizations.models import User

pytestmark = pytest.mark.django_db

# Role → the cards its home must show.
EXPECTED = {
    "stp.motcua": {"one_stop_officer"},
    "mytho.motcua": {"one_stop_officer"},
    "stp.chuyenvien": {"specialist"},
    "stp.lanhdao": {"leader"},
    "giamsat": {"province_monitor"},
    "quantri": {"system_admin"},
}
ALL_ROLES = {"one_stop_officer", "specialist", "leader", "province_monitor", "system_admin"}


def test_anonymous_is_sent_to_login(client: Client) -> None:
    response = client.get("/can-bo/")
    assert response.status_code == 302
    assert response["Location"] == "/dang-nhap/?next=/can-bo/"


def test_citizens_are_refused(client: Client) -> None:
    client.force_login(User.objects.get(username="0912345678"))
    assert client.get("/can-bo/").status_code == 403


@pytest.mark.parametrize(("username", "roles"), EXPECTED.items())
def test_each_role_sees_its_own_home(client: Client, username: str, roles: set[str]) -> None:
    client.force_login(User.objects.get(username=username))
    html = client.get("/can-bo/").content.decode()
    assert {role for role in ALL_ROLES if f'data-role="{role}"' in html} == roles
    assert ("/quan-tri/" in html) == ("system_admin" in roles)


def test_admin_site_is_for_admins_only(client: Client) -> None:
    client.force_login(User.objects.get(username="stp.lanhdao"))
    assert client.get("/quan-tri/").status_code == 302
    client.force_login(User.objects.get(username="quantri"))
    response = client.get("/quan-tri/organizations/unit/?q=sa+dec")
    assert response.status_code == 200
    assert "Phường Sa Đéc" in response.content.decode()


def test_every_admin_list_search_and_add_page_opens(client: Client) -> None:
    """PostgreSQL receives parameters bound by the server, which some SQL shapes reject: each admin page runs once."""
    load_catalogue()
    receive()
    client.force_login(User.objects.get(username="quantri"))
    for model, model_admin in admin.site._registry.items():
        base = f"/quan-tri/{model._meta.app_label}/{model._meta.model_name}/"
        pages = [base, f"{base}?q=a"] if model_admin.search_fields else [base]
        if model_admin.date_hierarchy:
            pages.append(f"{base}?{model_admin.date_hierarchy}__year=2026")
        for page in pages:
            assert client.get(page).status_code == 200, page
        add = client.get(f"{base}add/")
        assert add.status_code in {200, 403}, base
        first = model._default_manager.order_by("pk").first()
        if first is not None:
            assert client.get(f"{base}{first.pk}/change/").status_code == 200, base
