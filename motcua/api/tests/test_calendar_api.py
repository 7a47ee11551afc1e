import pytest
from django.test import Client
from rest_framework.test import APIClient

from motcua.organizations.models import User
from motcua.worktime.models import CalendarDay, CalendarVersion

pytestmark = pytest.mark.django_db


def test_anyone_computes_a_due_date(role_client: tuple[str, APIClient]) -> None:
    _, client = role_client
    response = client.get("/api/v1/calendar/due", {"start": "2026-02-13T16:30:00+07:00", "working_days": 5})
    assert response.status_code == 200
    body = response.json()
    assert body["due_at"] == "2026-02-27T16:30:00+07:00"
    assert body["slip_text"] == "Sau 16 giờ 30 phút, ngày 27/02/2026"
    assert body["limit"] == "5 ngày làm việc"
    assert body["calendar_version"] == f"v{CalendarVersion.objects.latest('id').pk}"


def test_nobody_writes_through_the_calendar_api(role_client: tuple[str, APIClient]) -> None:
    _, client = role_client
    before = CalendarDay.objects.count()
    response = client.post("/api/v1/calendar/off-days", {"day": "2026-12-31"}, format="json")
    assert response.status_code in {401, 403, 405}
    assert response["Content-Type"] == "application/problem+json"
    assert CalendarDay.objects.count() == before


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"working_hours": 4, "start": "2026-03-10T12:00:00+07:00"}, "2026-03-11T07:30:00+07:00"),
        ({"days": 20, "start": "2026-04-10T09:00:00+07:00"}, "2026-05-04T17:00:00+07:00"),
        ({"same_day": "true", "start": "2026-03-06T15:30:00+07:00"}, "2026-03-09T17:00:00+07:00"),
        ({"working_days": 1, "start": "2026-01-09T09:30:00Z"}, "2026-01-10T16:30:00+07:00"),
    ],
)
def test_due_modes(api: APIClient, params: dict[str, object], expected: str) -> None:
    assert api.get("/api/v1/calendar/due", params).json()["due_at"] == expected


@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        ({"start": "2026-02-13T16:30:00", "working_days": 5}, "start", "phải có múi giờ"),
        ({"start": "13/02/2026", "working_days": 5}, "start", "ISO 8601"),
        ({"start": "2026-02-13T16:30:00+07:00"}, "non_field_errors", "Chọn đúng một"),
        ({"start": "2026-02-13T16:30:00+07:00", "working_days": 5, "days": 3}, "non_field_errors", "Chọn đúng một"),
        ({"start": "2026-02-13T16:30:00+07:00", "working_days": -5}, "amount", "lớn hơn 0"),
        ({"start": "2026-02-13T16:30:00+07:00", "working_days": 100000}, "amount", "không quá 365"),
        ({"start": "2035-02-13T16:30:00+07:00", "working_days": 5}, "start", "ngoài lịch làm việc"),
        ({"start": "2026-02-13T16:30:00+07:00", "working_days": 5, "unit": "khong-co"}, "unit", ""),
    ],
)
def test_bad_due_requests_are_problems(api: APIClient, params: dict[str, object], field: str, message: str) -> None:
    response = api.get("/api/v1/calendar/due", params)
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    errors = body.get("errors", {})
    assert field in errors
    assert message in " ".join(errors[field])


def test_off_days_of_a_year(api: APIClient) -> None:
    body = api.get("/api/v1/calendar/off-days", {"year": 2026}).json()
    assert [d["day"] for d in body][:3] == ["2026-01-01", "2026-01-02", "2026-01-10"]
    assert {"kind": "working", "name": "Làm bù cho ngày 02/01/2026"}.items() <= body[2].items()
    missing = api.get("/api/v1/calendar/off-days", {"year": 1995})
    assert missing.status_code == 400
    assert "chưa có trong bảng lịch" in missing.json()["detail"]


def test_calendar_admin_is_for_admins_and_every_save_is_a_version(client: Client) -> None:
    client.force_login(User.objects.get(username="stp.lanhdao"))
    assert client.get("/quan-tri/worktime/calendarday/").status_code == 302
    client.force_login(User.objects.get(username="quantri"))
    assert client.get("/quan-tri/worktime/calendarday/").status_code == 200
    versions = CalendarVersion.objects.count()
    response = client.post(
        "/quan-tri/worktime/calendarday/add/",
        {"day": "31/12/2026", "kind": "off", "name": "Nghỉ bù (giả định)", "legal_basis": "QĐ giả định", "note": ""},
    )
    assert response.status_code == 302
    assert CalendarVersion.objects.count() == versions + 1
    assert CalendarVersion.objects.latest("id").actor.username == "quantri"
