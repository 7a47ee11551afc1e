import pytest
from django.contrib.auth import authenticate

from motcua.core.errors import ConflictError
from motcua.demo.seed import DEMO_PASSWORD
from motcua.organizations.models import User
from motcua.organizations.services import register_citizen

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("login", ["0912345678", "congdan@example.vn", "CongDan@Example.VN"])
def test_citizens_sign_in_with_phone_or_email(login: str) -> None:
    user = authenticate(None, username=login, password=DEMO_PASSWORD)
    assert user is not None and user.phone == "0912345678"


def test_officers_sign_in_with_username_and_wrong_passwords_fail() -> None:
    assert authenticate(None, username="stp.motcua", password=DEMO_PASSWORD) is not None
    assert authenticate(None, username="stp.motcua", password="sai-mat-khau") is None
    assert authenticate(None, username="khong-co-ai", password=DEMO_PASSWORD) is None


def test_inactive_accounts_cannot_sign_in() -> None:
    User.objects.filter(username="stp.motcua").update(is_active=False)
    assert authenticate(None, username="stp.motcua", password=DEMO_PASSWORD) is None


def test_registering_twice_is_refused_and_keeps_the_first_account() -> None:
    fields = {
        "full_name": "Lê Thị B",
        "citizen_id": "087305000111",
        "phone": "0987654321",
        "email": "",
        "password": "x",
    }
    first = register_citizen(**fields)
    with pytest.raises(ConflictError, match="đã có tài khoản"):
        register_citizen(**fields)
    assert list(User.objects.filter(citizen_id="087305000111")) == [first]
