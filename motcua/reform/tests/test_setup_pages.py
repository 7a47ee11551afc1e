"""The pages that set meetings and inspections up: who may open them, what a refusal leaves (nothing), hostile input
(a 400 with a Vietnamese message), and the English page."""

import pytest

from motcua.conftest import ROLES, browser_for
from motcua.core import clock
from motcua.reform.inspections import services as inspections
from motcua.reform.models import AgendaItem, BridgePoint, Inspection, InspectionPlan, Meeting, SurpriseDraw

from .conftest import vn
from .inspections_world import chair, inspector, plan_2026
from .meetings_world import CHAIR, chair_fixture, meeting_fixture  # noqa: F401  # fixtures

pytestmark = pytest.mark.django_db
TRACKER = "vp.theodoi"


def _counts() -> tuple[int, ...]:
    models = (Meeting, AgendaItem, BridgePoint, InspectionPlan, Inspection, SurpriseDraw)
    return tuple(model.objects.count() for model in models)


def _said_in_vietnamese(page: str) -> bool:
    """The form's own refusal, or the guard's against characters that cannot be stored (before the view)."""
    return 'role="alert"' in page or 'lang="vi"' in page


def _meeting_form(**changed: str) -> dict[str, str]:
    form = {
        "loai": "giao_ban",
        "ten": "Giao ban cải cách hành chính quý I",
        "chu-tri": CHAIR,
        "hinh-thuc": "truc_tuyen",
        "ngay": "20/03/2026",
        "bat-dau": "08:00",
        "ket-thuc": "10:30",
        "duong-dan": "https://hop.example.vn/q1",
        "noi-dung-1": "Báo cáo tiến độ",
        "trinh-bay-1": "82.SNV",
        "diem-cau-1": "28261.UBND",
        "dia-diem-1": "Hội trường phường",
        "phu-trach-1": "mytho.lanhdao",
    }
    return {**form, **changed}


def test_an_organiser_schedules_a_meeting_and_adds_rows(tracker: object, chair: object) -> None:
    browser = browser_for(TRACKER)
    assert browser.get("/can-bo/hop/moi/").status_code == 200
    with clock.frozen(vn(2026, 3, 2)):
        answer = browser.post("/can-bo/hop/moi/", _meeting_form())
        assert answer.status_code == 302
        meeting = Meeting.objects.get(title="Giao ban cải cách hành chính quý I")
        assert meeting.starts_at == vn(2026, 3, 20, 8) and meeting.bridge_points.get().host.username == "mytho.lanhdao"
        page = browser.get(f"/can-bo/hop/{meeting.pk}/").content.decode()
        assert 'data-offer="add-agenda"' in page and 'data-offer="add-bridge-point"' in page
        browser.post(
            f"/can-bo/hop/{meeting.pk}/thao-tac/add-agenda/", {"noi-dung": "Tham luận", "trinh-bay": "82.STP"}
        )
        browser.post(
            f"/can-bo/hop/{meeting.pk}/thao-tac/add-bridge-point/",
            {"diem-cau": "82.STP", "dia-diem": "Phòng họp Sở", "phu-trach": "stp.lanhdao"},
        )
    assert [a.position for a in meeting.agenda.order_by("position")] == [1, 2]
    assert meeting.bridge_points.count() == 2
    assert list(meeting.events.values_list("action", flat=True).order_by("sequence")) == [
        "create",
        "add-agenda",
        "add-bridge-point",
    ]


@pytest.mark.parametrize("role", sorted(ROLES))
def test_nobody_else_schedules_a_meeting_and_nothing_changes(role: str, chair: object) -> None:
    before = _counts()
    answer = browser_for(ROLES[role]).post("/can-bo/hop/moi/", _meeting_form())
    assert answer.status_code in (302, 403) and (role == "anonymous") == (answer.status_code == 302)
    assert _counts() == before


def test_nobody_but_the_organisers_adds_a_bridge_point(meeting: Meeting) -> None:
    before = _counts()
    for name in ("mytho.lanhdao", "stp.lanhdao", "quantri", "stp.motcua"):
        with clock.frozen(vn(2026, 2, 10)):
            browser_for(name).post(
                f"/can-bo/hop/{meeting.pk}/thao-tac/add-bridge-point/",
                {"diem-cau": "82.SNV", "dia-diem": "Phòng họp", "phu-trach": name},
            )
    assert _counts() == before


@pytest.mark.parametrize(
    "changed",
    [
        {"ten": "x\x00y"},
        {"ten": "x" * 100_000},
        {"ngay": "31/02/2026"},
        {"bat-dau": "25:99"},
        {"loai": "?"},
        {"ket-thuc": "07:00"},
        {"duong-dan": "javascript:alert(1)"},
        {"chu-tri": "khong.co"},
        {"trinh-bay-1": "??"},
    ],
)
def test_bad_meeting_input_is_a_400_in_vietnamese(tracker: object, chair: object, changed: dict[str, str]) -> None:
    before = _counts()
    answer = browser_for(TRACKER).post("/can-bo/hop/moi/", _meeting_form(**changed))
    assert answer.status_code == 400 and _said_in_vietnamese(answer.content.decode())
    assert _counts() == before


def _plan_form(**changed: str) -> dict[str, object]:
    form: dict[str, object] = {
        "nam": "2026",
        "so": "12/KH-UBND",
        "ngay": "15/01/2026",
        "ten": "Kế hoạch kiểm tra năm 2026",
        "truong-doan": "snv.truongdoan",
        "thanh-vien": "snv.kiemtra",
        "noi-dung": ["tthc", "chinh_quyen_so"],
        "don-vi-1": "28261.UBND",
        "ngay-1": "14/04/2026",
        "hinh-thuc-1": "truc_tiep",
        "don-vi-2": "82.STP",
        "ngay-2": "12/05/2026",
        "hinh-thuc-2": "qua_bao_cao",
    }
    return {**form, **changed}


def test_the_reform_officer_plans_and_draws_with_the_seed_shown(db: None) -> None:
    chair(), inspector()
    browser = browser_for("snv.truongdoan")
    assert browser.get("/can-bo/kiem-tra/ke-hoach/moi/").status_code == 200
    with clock.frozen(vn(2026, 1, 20)):
        assert browser.post("/can-bo/kiem-tra/ke-hoach/moi/", _plan_form()).status_code == 302
        plan = InspectionPlan.objects.get(year=2026)
        assert sorted(plan.inspections.values_list("unit__code", flat=True)) == ["28261.UBND", "82.STP"]
        assert plan.inspections.first().content == ["tthc", "chinh_quyen_so"]  # type: ignore[union-attr]
        browser.post(f"/can-bo/kiem-tra/ke-hoach/{plan.pk}/boc-tham/", {"so-don-vi": "1", "ngay": "10/06/2026"})
        draw = SurpriseDraw.objects.get()
        page = browser.get("/can-bo/kiem-tra/?nam=2026").content.decode()
    assert draw.seed in page and inspections.replay(draw) == draw.picked
    assert plan.inspections.filter(kind="dot_xuat", unit__code=draw.picked[0]).exists()


@pytest.mark.parametrize("role", sorted(ROLES))
def test_nobody_else_plans_or_draws_and_nothing_changes(role: str) -> None:
    plan = plan_2026()
    inspector()
    before = _counts()
    browser = browser_for(ROLES[role])
    for url, form in (
        ("/can-bo/kiem-tra/ke-hoach/moi/", _plan_form(nam="2027")),
        (f"/can-bo/kiem-tra/ke-hoach/{plan.pk}/boc-tham/", {"so-don-vi": "1", "ngay": "10/06/2026"}),
    ):
        assert browser.post(url, form).status_code in (302, 403, 404)
    assert _counts() == before


@pytest.mark.parametrize(
    "changed",
    [
        {"so": "x\x00"},
        {"ten": "x" * 100_000},
        {"ngay": "2026-13-45"},
        {"nam": "abcd"},
        {"ngay-1": "31/02/2026"},
        {"hinh-thuc-1": "?"},
        {"truong-doan": "snv.kiemtra"},
        {"noi-dung": ["khong"]},
        {"ngay-2": "01/01/2027"},
    ],
)
def test_bad_plan_input_is_a_400_in_vietnamese(db: None, changed: dict[str, object]) -> None:
    chair(), inspector()
    before = _counts()
    answer = browser_for("snv.truongdoan").post("/can-bo/kiem-tra/ke-hoach/moi/", _plan_form(**changed))  # type: ignore[arg-type]
    assert answer.status_code == 400 and _said_in_vietnamese(answer.content.decode())
    assert _counts() == before


def test_a_leader_schedules_a_self_inspection_of_a_division(db: None) -> None:
    browser = browser_for("mytho.lanhdao")
    page = browser.get("/can-bo/kiem-tra/tu-kiem-tra/moi/").content.decode()
    division = page.split('name="don-vi"')[1].split('value="')[1].split('"')[0]
    with clock.frozen(vn(2026, 3, 2)):
        bad = browser.post(
            "/can-bo/kiem-tra/tu-kiem-tra/moi/", {"don-vi": division, "ngay": "x\x00", "noi-dung": "tthc"}
        )
        assert bad.status_code == 400 and Inspection.objects.count() == 0
        answer = browser.post(
            "/can-bo/kiem-tra/tu-kiem-tra/moi/",
            {"don-vi": division, "ngay": "20/05/2026", "hinh-thuc": "truc_tiep", "noi-dung": "tthc"},
        )
    assert answer.status_code == 302
    inspection = Inspection.objects.get()
    assert inspection.kind == "tu_kiem_tra" and inspection.unit.code == division


@pytest.mark.parametrize("role", sorted(set(ROLES) - {"leader"}))
def test_nobody_else_schedules_a_self_inspection(role: str) -> None:
    answer = browser_for(ROLES[role]).post("/can-bo/kiem-tra/tu-kiem-tra/moi/", {"ngay": "20/05/2026"})
    assert answer.status_code in (302, 403) and Inspection.objects.count() == 0


def test_the_inspection_pages_in_english(db: None) -> None:
    plan = plan_2026()
    browser = browser_for("snv.truongdoan")
    browser.cookies["django_language"] = "en"
    listing = browser.get("/can-bo/kiem-tra/?nam=2026").content.decode()
    assert "Inspection schedule" in listing and "Lịch kiểm tra" not in listing
    detail = browser.get(f"/can-bo/kiem-tra/{plan.inspections.first().pk}/").content.decode()  # type: ignore[union-attr]
    assert "Planned inspection date" in detail and "Inspection content" in detail
