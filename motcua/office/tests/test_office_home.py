import pytest
from django.test import Client

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
