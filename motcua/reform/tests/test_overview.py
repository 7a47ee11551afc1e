"""The head-of-unit page: its numbers and their rows, who may open it, its fixed query count, the plan entry."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from motcua.conftest import browser_for
from motcua.core import clock
from motcua.organizations.models import Membership, Position, Role, User, UserKind
from motcua.reform import overview
from motcua.reform.models import CchcPlan, Task
from motcua.reform.tasks.services import TaskDraft, create_directive

from .conftest import TRACKER, unit, vn

pytestmark = pytest.mark.django_db
PAGE, API = "/can-bo/don-vi/82.STP/tong-quan/", "/api/v1/units/82.STP/overview"
NOW = vn(2026, 4, 10)


@pytest.fixture
def reform_officer(db: None) -> User:
    account = User.objects.create_user("snv.cchc", kind=UserKind.STAFF, full_name="Sở Nội Vụ", email="c@example.vn")
    Membership.objects.create(user=account, unit=unit("82.SNV"), position=Position.SPECIALIST,
                              role=Role.REFORM_OFFICER, valid_from=date(2020, 1, 1))  # fmt: skip
    return account


@pytest.fixture
def inspector(db: None) -> User:
    account = User.objects.create_user("snv.kt", kind=UserKind.STAFF, full_name="Kiểm Tra", email="k@example.vn")
    Membership.objects.create(user=account, unit=unit("82.SNV"), position=Position.SPECIALIST,
                              role=Role.INSPECTOR, valid_from=date(2020, 1, 1))  # fmt: skip
    return account


@pytest.fixture
def province_leader(db: None) -> User:
    account = User.objects.create_user("ubnd.ct", kind=UserKind.STAFF, full_name="Chủ Tịch", email="ct@example.vn")
    Membership.objects.create(user=account, unit=unit("82.UBND"), position=Position.CHAIRMAN,
                              role=Role.LEADER, valid_from=date(2020, 1, 1))  # fmt: skip
    return account


def directive(tracker: User, count: int, kind: str = "van_ban", deadline: date = date(2026, 3, 31)) -> list[Task]:
    with clock.frozen(vn(2026, 3, 2)):
        made = create_directive(
            source_kind=kind, source_number="1/KL", source_date=date(2026, 3, 2), leader_name="Nguyễn Văn A",
            urgency="thuong", by=tracker,
            tasks=[TaskDraft(f"Nhiệm vụ {i}", unit("82.STP"), (), deadline) for i in range(count)],
        )  # fmt: skip
    return list(made.tasks.all())


def test_the_numbers_and_their_rows(make_task, tracker) -> None:  # type: ignore[no-untyped-def]
    late = directive(tracker, 2)
    directive(tracker, 1, deadline=date(2026, 12, 31))
    directive(tracker, 1, kind="ket_luan_kiem_tra", deadline=date(2026, 3, 20))
    with clock.frozen(NOW):
        found, tree = overview.unit_for(User.objects.get(username="stp.lanhdao"), "82.STP")
        shown = overview.overview(found, tree)
        rows = overview.drill_rows(found, tree, overview.Drill.OVERDUE_TASKS)
        page = browser_for("stp.lanhdao").get(PAGE)
        drill = browser_for("stp.lanhdao").get(PAGE + "nhiem-vu-qua-han/")
    assert (shown.overdue_tasks, shown.open_tasks, shown.open_recommendations) == (3, 4, 1)
    assert shown.plan is None and shown.par_self is None
    assert {t.pk for t in late} < {t.pk for t in rows} and rows.count() == 3
    html = page.content.decode()
    assert page.status_code == 200 and "Chưa có dữ liệu" in html and "Nhiệm vụ quá hạn" in html
    assert "/can-bo/don-vi/82.STP/tong-quan/nhiem-vu-qua-han/" in html
    assert drill.status_code == 200 and f"/can-bo/chi-dao/nhiem-vu/{late[0].pk}/" in drill.content.decode()


def test_a_fixed_number_of_queries_whatever_the_number_of_tasks(tracker) -> None:  # type: ignore[no-untyped-def]
    def counted() -> int:
        with clock.frozen(NOW):
            found, tree = overview.unit_for(User.objects.get(username="stp.lanhdao"), "82.STP")
            with CaptureQueriesContext(connection) as queries:
                overview.overview(found, tree)
        return len(queries)

    directive(tracker, 1)
    few = counted()
    directive(tracker, 30)
    directive(tracker, 5, kind="ket_luan_kiem_tra")
    assert counted() == few <= 20


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("stp.lanhdao", 200),  # the unit's leader
        ("stp.motcua", 200),  # an official of the unit
        (TRACKER, 200),  # Văn phòng UBND tỉnh
        ("snv.cchc", 200),  # Sở Nội vụ
        ("giamsat", 200),  # the province monitor
        ("ubnd.ct", 200),  # the leader of the unit above (the provincial committee)
        ("snv.kt", 404),  # an inspector of Sở Nội vụ: his own unit's page, not another's
        ("mytho.motcua", 404),  # an officer of another unit
        ("mytho.lanhdao", 404),  # a leader of another unit
        ("quantri", 403),  # the system administrator keeps the rules, never reads the work
        ("0912345678", 403),  # a citizen
    ],
)
def test_who_may_open_the_page(tracker, reform_officer, inspector, province_leader, who: str, status: int) -> None:  # type: ignore[no-untyped-def]
    with clock.frozen(NOW):
        assert browser_for(who).get(PAGE).status_code == status
        assert browser_for(who).get(PAGE + "ke-hoach-cchc/").status_code == status
        api = browser_for(who).get(API)
    assert api.status_code == status
    if status != 200:
        assert api["Content-Type"].startswith("application/problem+json")


def test_a_visitor_is_sent_to_sign_in(db: None) -> None:
    assert browser_for(None).get(PAGE).status_code == 302
    assert browser_for(None).get(API).status_code in (401, 403)


def test_the_api_gives_each_number_with_its_rows(tracker) -> None:  # type: ignore[no-untyped-def]
    directive(tracker, 2)
    with clock.frozen(NOW):
        body = browser_for("stp.lanhdao").get(API).json()
    figures = body["figures"]
    assert figures["overdue_tasks"]["value"] == 2
    assert figures["overdue_tasks"]["rows"] == "/can-bo/don-vi/82.STP/tong-quan/nhiem-vu-qua-han/"
    assert figures["par_index"]["value"] is None and figures["par_index"]["note"] == "Chưa có dữ liệu"
    assert body["index_766"]["groups"] and body["unit"]["code"] == "82.STP"


@pytest.mark.parametrize("code", ["82.STP\x00", "x" * 100_000, "'; DROP TABLE x;--", "%00"])
def test_hostile_unit_codes_are_not_found(db: None, code: str) -> None:
    with clock.frozen(NOW):
        api = browser_for("stp.lanhdao").get(f"/api/v1/units/{code}/overview")
    assert api.status_code in (400, 404) and api["Content-Type"].startswith("application/problem+json")
    page = browser_for("stp.lanhdao").get(f"/can-bo/don-vi/{code}/tong-quan/")
    assert page.status_code in (400, 404)


PLAN = {
    "unit": "82.STP", "year": 2026, "number": "05/KH-STP", "issued_on": "2026-01-15",
    "title": "Kế hoạch cải cách hành chính năm 2026",
    "items": [{"content": "Rà soát thủ tục", "lead_unit": "82.STP", "deadline": "2026-06-30"}],
}  # fmt: skip


def test_the_tracker_enters_a_plan_and_the_page_shows_its_completion(tracker) -> None:  # type: ignore[no-untyped-def]
    with clock.frozen(vn(2026, 1, 20)):
        made = browser_for(TRACKER).post("/api/v1/plans", PLAN, content_type="application/json")
        page = browser_for("stp.lanhdao").get(PAGE)
    assert made.status_code == 201 and made.json()["number"] == "05/KH-STP"
    assert CchcPlan.objects.get().tasks.count() == 1
    assert "0 % (0/1)" in page.content.decode(), page.content.decode().split("Kế hoạch CCHC năm")[1][:300]
    again = browser_for(TRACKER).post("/api/v1/plans", PLAN, content_type="application/json")
    assert again.status_code == 409 and CchcPlan.objects.count() == 1


@pytest.mark.parametrize(
    "change",
    [
        {"title": "Kế hoạch\x00"},
        {"title": "x" * 100_000},
        {"year": "hai nghìn"},
        {"year": 1900},
        {"issued_on": "31/02/2026"},
        {"items": "không phải danh sách"},
        {"items": []},
        {"unit": "KHONG-CO"},
        {"items": [{"content": "Rà soát", "lead_unit": "82.STP", "deadline": "2026-02-30"}]},
    ],
)
def test_hostile_plans_are_refused_in_vietnamese(tracker, change: dict[str, object]) -> None:  # type: ignore[no-untyped-def]
    answer = browser_for(TRACKER).post("/api/v1/plans", PLAN | change, content_type="application/json")
    assert answer.status_code == 400, answer.content
    assert answer["Content-Type"].startswith("application/problem+json")
    assert CchcPlan.objects.count() == 0 and Task.objects.count() == 0


@pytest.mark.parametrize(
    "who", [None, "0912345678", "stp.lanhdao", "stp.motcua", "mytho.motcua", "quantri", "snv.cchc"]
)
def test_only_the_tracker_enters_a_plan_and_a_refusal_changes_nothing(reform_officer, who: str | None) -> None:  # type: ignore[no-untyped-def]
    api = browser_for(who).post("/api/v1/plans", PLAN, content_type="application/json")
    typed = {"don-vi": "82.STP", "nam": "2026", "so": "1", "ngay": "15/01/2026", "ten": "KH", "noi-dung-1": "A"}
    form = browser_for(who).post("/can-bo/chi-dao/ke-hoach/", typed)
    assert api.status_code in (401, 403) and form.status_code in (302, 403)
    assert CchcPlan.objects.count() == 0 and Task.objects.count() == 0


def test_the_plan_form(tracker) -> None:  # type: ignore[no-untyped-def]
    browser = browser_for(TRACKER)
    form = {"don-vi": "82.STP", "nam": "2026", "so": "05/KH-STP", "ngay": "15/01/2026", "ten": "Kế hoạch CCHC 2026",
            "noi-dung-1": "Rà soát thủ tục", "chi-tieu-1": "100 %", "han-1": "30/06/2026"}  # fmt: skip
    assert browser.get("/can-bo/chi-dao/ke-hoach/").status_code == 200
    wrong = browser.post("/can-bo/chi-dao/ke-hoach/", form | {"han-1": "31/02/2026"})
    assert wrong.status_code == 400 and "dd/mm/yyyy" in wrong.content.decode() and CchcPlan.objects.count() == 0
    with clock.frozen(vn(2026, 1, 20)):
        done = browser.post("/can-bo/chi-dao/ke-hoach/", form)
    assert done.status_code == 302 and CchcPlan.objects.get().tasks.get().target == "100 %"


@pytest.mark.parametrize("code", ["82.STP", "28261.UBND", "82"])
def test_the_score_is_the_766_boards_own_line(code: str) -> None:
    from motcua.indices.periods import current_half
    from motcua.indices.scope import Scope, UnitTree
    from motcua.indices.selectors import board

    from .reports_world import dossiers_around_half_2026

    dossiers_around_half_2026()  # a few dossiers received at Phường Mỹ Tho in the half-year
    with clock.frozen(NOW):
        tree = UnitTree.load()
        found = next(u for u in tree.units.values() if u.code == code)
        below = tree.below(found.pk)
        expected = board(Scope(tree, (found,), frozenset(below)), found, current_half()).unit.score
        shown = overview.unit_score(tree, found, below, current_half())
    assert [(g.group.number, g.points, g.scored_max) for g in shown.groups] == [
        (g.group.number, g.points, g.scored_max) for g in expected.groups
    ]
    assert shown.percent == expected.percent and shown.points == expected.points
    assert code == "82.STP" or shown.points > 0  # the dossiers count where they were received


def test_every_drill_down_answers_and_an_unknown_one_is_not_found(tracker) -> None:  # type: ignore[no-untyped-def]
    directive(tracker, 1)
    browser = browser_for("stp.lanhdao")
    with clock.frozen(NOW):
        for key in overview.Drill.LABELS:
            assert browser.get(f"{PAGE}{key}/").status_code == 200, key
            assert browser.get(f"{PAGE}{key}/", {"trang": "x\x00" * 1000}).status_code in (200, 400), key
        assert browser.get(PAGE + "khong-co/").status_code == 404
        assert browser.get("/can-bo/don-vi/82.SNV/tong-quan/").status_code == 404  # not his unit
        assert browser_for("stp.motcua").get(PAGE + "ho-so-qua-han/").status_code == 200
