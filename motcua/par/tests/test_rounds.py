"""A round end to end: the frozen set, entering items, the leader's approval, the lock at open_to, the reopening,
the appraisal, the data feed from the 766 indicators, the ranking; each refusal changes nothing."""

from datetime import timedelta
from decimal import Decimal
from io import BytesIO

import openpyxl
import pytest
from django.db import DatabaseError, connection, transaction

from motcua.core import clock
from motcua.core.errors import DomainError
from motcua.par import services
from motcua.par.lifecycle import Action, Status
from motcua.par.models import Assessment, Event, Item, SubCriterion
from motcua.par.workbook import WorkbookErrors, import_set, template

from .world import DURING, LEADER, OPEN_TO, SPECIALIST, draft_set, open_round, person, reform_officer, vn

pytestmark = pytest.mark.django_db


def test_a_published_set_is_refused_by_the_database() -> None:
    index_set = draft_set()
    SubCriterion.objects.filter(index_set=index_set, code="1.1.1").update(max_points=5)  # a draft may change
    with clock.frozen(vn(2026, 12, 20)):
        services.publish_set(index_set, by=reform_officer())
    sub = SubCriterion.objects.get(index_set=index_set, code="1.1.1")
    # SQLite keeps deletes for the test flush (migration par 0002); PostgreSQL refuses them too.
    deletes = [lambda: SubCriterion.objects.filter(pk=sub.pk).delete()] if connection.vendor == "postgresql" else []
    for change in (
        lambda: SubCriterion.objects.filter(pk=sub.pk).update(max_points=9),
        *deletes,
        lambda: SubCriterion.objects.create(index_set=index_set, criterion=sub.criterion, code="1.1.9", name="x",
                                            max_points=1, rule="tu_cham", input_type="so", method="tu_danh_gia"),
        lambda: type(index_set).objects.filter(pk=index_set.pk).update(name="Sửa"),
    ):  # fmt: skip
        with pytest.raises(DatabaseError), transaction.atomic():
            change()
    assert SubCriterion.objects.get(pk=sub.pk).max_points == 5


def test_import_rejects_a_broken_sheet_whole_with_every_row() -> None:
    out = BytesIO()
    template(out)
    out.seek(0)
    book = openpyxl.load_workbook(out)
    items = book["Tieu chi"]
    items.append(["2.1.1", "Không có cấp trên", 1, "thuong", "co_khong", None, None, None, "co_khong", "x",
                  "tu_danh_gia"])  # fmt: skip
    items.append(["1.1.3", "Sai cách tính", 1, "thuong", "bay_bong", None, None, None, "so", "", "tu_danh_gia"])
    items.append(
        ["1.1.4", "Thiếu chỉ tiêu", 1, "thuong", "tuyen_tinh", 100, None, None, "ty_le", "", "du_lieu_motcua"]
    )
    book["Bo chi so"]["B2"] = "năm ngoái"
    broken = BytesIO()
    book.save(broken)
    broken.seek(0)
    before = SubCriterion.objects.count()
    with pytest.raises(WorkbookErrors) as refused:
        import_set(broken)
    errors = refused.value.errors
    assert len(errors) == 4
    assert "dòng 2 (Năm)" in errors[0]
    assert "dòng 6" in errors[1] and "2.1" in errors[1]
    assert "dòng 7" in errors[2] and "dòng 8" in errors[3] and "QĐ 766" in errors[3]
    assert SubCriterion.objects.count() == before
    with pytest.raises(WorkbookErrors):
        import_set(BytesIO(b"not a workbook"))


def test_the_unit_enters_the_leader_approves_then_it_is_submitted() -> None:
    assessment = open_round()
    specialist, leader = person(SPECIALIST), person(LEADER)
    with clock.frozen(DURING):
        with pytest.raises(DomainError, match="giải trình"):
            services.save_item(assessment, "1.1.1", by=specialist, value="co")
        services.save_item(assessment, "1.1.1", by=specialist, value="co", explanation="Kế hoạch số 5/KH-STP")
        item = services.save_item(assessment, "1.1.2", by=specialist, value="60", explanation="Báo cáo quý")
        assert item.self_score == Decimal("1.50")
        with pytest.raises(DomainError, match="điều tra xã hội học"):
            services.save_item(assessment, "1.1.3", by=specialist, value="3")
        with pytest.raises(DomainError, match="motcua"):
            services.save_item(assessment, "1.1.4", by=specialist, value="100")
        with pytest.raises(DomainError, match="lãnh đạo"):
            services.act(assessment, Action.APPROVE, by=specialist)
        with pytest.raises(DomainError):
            services.act(assessment, Action.SUBMIT, by=specialist)  # not approved yet
        services.act(assessment, Action.APPROVE, by=leader)
        services.act(assessment, Action.SUBMIT, by=specialist)
    assessment.refresh_from_db()
    assert assessment.status == Status.SUBMITTED
    fed = assessment.items.get(sub_criterion__code="1.1.4").self_score or Decimal(0)
    assert assessment.self_total == Decimal("2.50") + fed
    assert list(assessment.events.values_list("action", flat=True)) == [
        "save-item", "save-item", "approve", "submit"
    ]  # fmt: skip


def test_everything_locks_at_open_to_and_a_reopening_is_an_event() -> None:
    assessment = open_round()
    specialist, officer = person(SPECIALIST), reform_officer()
    with clock.frozen(OPEN_TO):
        with pytest.raises(DomainError, match="hết hạn"):
            services.save_item(assessment, "1.1.1", by=specialist, value="co", explanation="x")
        with pytest.raises(DomainError, match="lý do"):
            services.act(assessment, Action.REOPEN, by=officer, until=OPEN_TO + timedelta(days=3))
        with pytest.raises(DomainError, match="Sở Nội vụ"):
            services.act(assessment, Action.REOPEN, by=specialist, reason="xin", until=OPEN_TO + timedelta(days=3))
        services.act(assessment, Action.REOPEN, by=officer, reason="Mất điện diện rộng",
                     until=OPEN_TO + timedelta(days=3))  # fmt: skip
        services.save_item(assessment, "1.1.1", by=specialist, value="co", explanation="x")
    with clock.frozen(OPEN_TO + timedelta(days=3)), pytest.raises(DomainError, match="hết hạn"):
        services.save_item(assessment, "1.1.1", by=specialist, value="khong", explanation="x")
    reopened = Event.objects.get(assessment=assessment, action="reopen")
    assert reopened.reason == "Mất điện diện rộng" and reopened.actor == officer
    assert Item.objects.get(assessment=assessment, sub_criterion__code="1.1.1").value == "co"


def test_appraisal_final_score_and_published_ranking() -> None:
    assessment = open_round()
    specialist, leader, officer = person(SPECIALIST), person(LEADER), reform_officer()
    with clock.frozen(DURING):
        services.save_item(assessment, "1.1.1", by=specialist, value="co", explanation="x")
        services.save_item(assessment, "1.1.2", by=specialist, value="80", explanation="x")
        services.act(assessment, Action.APPROVE, by=leader)
        services.act(assessment, Action.SUBMIT, by=leader)
        with pytest.raises(DomainError, match="Sở Nội vụ"):
            services.appraise(assessment, "1.1.2", by=leader, points="2")
        with pytest.raises(DomainError, match="tối đa"):
            services.appraise(assessment, "1.1.2", by=officer, points="2.5")
        services.appraise(assessment, "1.1.2", by=officer, points="1", comment="Thiếu báo cáo quý IV")
        services.act(assessment, Action.FINALISE, by=officer)
        services.publish_ranking(assessment.round, by=officer, decision_number="30/QĐ-UBND")
    assessment = Assessment.objects.get(pk=assessment.pk)
    fed = assessment.items.get(sub_criterion__code="1.1.4").self_score or Decimal(0)
    assert (assessment.self_total, assessment.appraised_total) == (Decimal(3) + fed, Decimal(2) + fed)
    assert assessment.rank == 1


def test_a_data_fed_item_holds_the_766_indicator_and_its_snapshot() -> None:
    assessment = open_round()
    item = assessment.items.get(sub_criterion__code="1.1.4")
    assert item.snapshot["indicator"] == "2.1" and item.snapshot["period"] == "Năm 2026"
    assert "numerator" in item.snapshot and "denominator" in item.snapshot


@pytest.mark.parametrize("value", ["\x00", "x" * 100_000, "31/02/2026", "1e400"])
def test_hostile_values_are_refused_in_vietnamese(value: str) -> None:
    assessment = open_round()
    with clock.frozen(DURING), pytest.raises(DomainError):
        services.save_item(assessment, "1.1.2", by=person(SPECIALIST), value=value, explanation=value)
    assert not Event.objects.filter(assessment=assessment).exists()
