import pytest
from django.db import IntegrityError, InternalError, connection, transaction

from motcua.assessments import bank
from motcua.assessments.lifecycle import ItemAction, ItemStatus
from motcua.assessments.models import Item, ItemEvent, ItemVersion
from motcua.core.errors import DomainError, NotPermittedError
from motcua.organizations.models import User

from .world import approved, author, item_data, reviewer

pytestmark = pytest.mark.django_db(transaction=False)


def test_the_author_may_not_approve_their_own_item_and_nothing_changes() -> None:
    version = bank.create_item(item_data(), by=author())
    bank.act_on_item(version, ItemAction.SUBMIT, by=author())
    with pytest.raises(NotPermittedError, match="không được tự thẩm định"):
        bank.act_on_item(version, ItemAction.APPROVE, by=author())
    version.refresh_from_db()
    assert (version.status, version.reviewer_id, ItemEvent.objects.filter(version=version).count()) == (
        ItemStatus.IN_REVIEW, None, 1,
    )  # fmt: skip


def test_another_official_approves_then_it_can_be_retired_with_a_reason() -> None:
    version = approved()
    assert (version.status, version.reviewer_id) == (ItemStatus.APPROVED, reviewer().pk)
    with pytest.raises(DomainError, match="Cần nhập lý do"):
        bank.act_on_item(version, ItemAction.RETIRE, by=reviewer())
    retired = bank.act_on_item(version, ItemAction.RETIRE, by=reviewer(), reason="Căn cứ đã được thay thế")
    assert retired.status == ItemStatus.RETIRED


@pytest.mark.parametrize("username", ["mytho.motcua", "mytho.lanhdao", "quantri", "0912345678"])
def test_people_outside_sở_nội_vụ_may_not_draft(username: str) -> None:
    before = ItemVersion.objects.count()
    with pytest.raises(NotPermittedError):
        bank.create_item(item_data(), by=User.objects.get(username=username))
    assert ItemVersion.objects.count() == before


def test_an_approved_version_is_frozen_by_the_database() -> None:
    version = approved()
    with pytest.raises((IntegrityError, InternalError)), transaction.atomic():
        ItemVersion.objects.filter(pk=version.pk).update(stem="Sửa lén")
    with pytest.raises((IntegrityError, InternalError)), transaction.atomic():
        ItemVersion.objects.filter(pk=version.pk).update(status=ItemStatus.DRAFT)
    if connection.vendor == "postgresql":  # SQLite keeps deletes for the test flush (migration assessments 0002)
        with pytest.raises((IntegrityError, InternalError)), transaction.atomic():
            ItemVersion.objects.filter(pk=version.pk).delete()
    version.refresh_from_db()
    assert version.stem == "Câu hỏi phap_luat số 0?" and version.status == ItemStatus.APPROVED


def test_an_edit_of_an_approved_item_is_a_new_draft_version() -> None:
    version = approved()
    edited = bank.new_version(version, item_data() | {"stem": "Câu hỏi đã sửa?"}, by=author())
    version.refresh_from_db()
    assert (edited.item_id, edited.number, edited.status) == (version.item_id, 2, ItemStatus.DRAFT)
    assert version.stem == "Câu hỏi phap_luat số 0?"


@pytest.mark.parametrize(
    "change",
    [
        {"stem": "x\x00y"},
        {"stem": "x" * 100_000},
        {"stem": 12},
        {"domain": "khac"},
        {"options": "a"},
        {"key": ["z"]},
        {"key": ["a", "b"]},
        {"source_effective_from": "2025-13-45"},
        {"source_effective_from": 20250701},
    ],
)
def test_hostile_content_is_refused_in_vietnamese(change: dict[str, object]) -> None:
    before = Item.objects.count()
    with pytest.raises(DomainError) as refused:
        bank.create_item(item_data() | change, by=author())
    assert refused.value.message and Item.objects.count() == before


def test_import_is_all_or_nothing_with_row_errors() -> None:
    good = {"ma": "PL-1", "linh_vuc": "phap_luat", "do_kho": "de", "loai": "mot_dap_an", "cau_hoi": "Hỏi?",
            "phuong_an": "Có|Không", "dap_an": "a", "can_cu": "Luật 2025", "hieu_luc_tu": "2025-07-01"}  # fmt: skip
    bad = good | {"ma": "PL-2", "do_kho": "rat_kho"}
    with pytest.raises(bank.ImportError_) as refused:
        bank.import_items([good, bad], by=author())
    assert refused.value.errors == ["dòng 3: Độ khó không hợp lệ."]
    assert not Item.objects.filter(code__in=["PL-1", "PL-2"]).exists()
    made = bank.import_items([good, good | {"ma": "PL-3"}], by=author())
    assert [v.item.code for v in made] == ["PL-1", "PL-3"] and {v.status for v in made} == {ItemStatus.DRAFT}
