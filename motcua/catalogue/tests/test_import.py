"""Importing into the database: atomic, versioned by date, idempotent; search over what is in force."""

import json
from datetime import date
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import IntegrityError, transaction

from motcua.catalogue.models import (
    Case,
    ChannelLimit,
    Component,
    Fee,
    Procedure,
    ProcedureVersion,
    Step,
    VersionStatus,
)
from motcua.catalogue.records import RecordsRejected
from motcua.catalogue.selectors import (
    diff_versions,
    get_version_on,
    limit_for,
    listed_fees,
    search_procedures,
    terms_of,
)
from motcua.catalogue.services import import_catalogue, publish_version
from motcua.core.errors import ConflictError

from .samples import BIRTH, RECORDS, sample

pytestmark = pytest.mark.django_db
TABLES = (Procedure, ProcedureVersion, Case, Component, ChannelLimit, Step)


def counts() -> list[int]:
    return [model.objects.count() for model in TABLES]


def test_import_writes_versions_and_their_tables() -> None:
    report = import_catalogue([BIRTH, RECORDS])
    assert report.created == ["1.001193", "2.001417"]
    version = get_version_on("2.001417", date(2026, 1, 1))
    assert version is not None and version.competent_unit.code == "82.STP"
    assert [c.name for c in version.cases.all()] == ["Người yêu cầu tự nộp", "Ủy quyền cho người khác nộp"]
    second = version.cases.get(position=1)
    assert [(c.code, c.originals, c.is_mandatory) for c in second.components.all()] == [
        ("GT1", 1, True),
        ("GT2", 1, True),
    ]
    assert sum(s.hours for s in second.steps.all()) == 80
    limit = version.limits.get()
    assert (limit.case, limit.channel, limit.amount, limit.unit) == (None, 1, 10, "working_days")
    assert [f.amount for f in limit.fees.all()] == [200_000, 100_000]
    assert version.levels == [1] and version.status == VersionStatus.PUBLISHED


def test_reimporting_unchanged_content_creates_nothing() -> None:
    import_catalogue([BIRTH, RECORDS])
    before = counts()
    report = import_catalogue([BIRTH, RECORDS])
    assert (report.created, report.unchanged) == ([], ["1.001193", "2.001417"])
    assert counts() == before


def test_a_broken_file_changes_nothing_and_lists_every_problem() -> None:
    import_catalogue([BIRTH])
    before = counts()
    broken = [
        sample(("MOTCUA.HIEULUCTU", "01/01/2026"), ("TENTTHC", "Đăng ký khai sinh (mới)")),  # valid on its own
        sample(("MATTHC", "9.000001"), ("MOTCUA.QUYTRINH.0.BUOC.0.SOGIO", 3)),
        sample(("MATTHC", "9.000002"), ("MOTCUA.THAMQUYEN", {"MADONVI": "82.KHONGCO"})),
        sample(("MATTHC", "9.000001")),
    ]
    with pytest.raises(RecordsRejected) as rejected:
        import_catalogue(broken)
    messages = [str(p) for p in rejected.value.problems]
    assert any("#2 (9.000001)" in m and "tổng số giờ" in m for m in messages)
    assert any("#3 (9.000002)" in m and "không có đơn vị mã '82.KHONGCO'" in m for m in messages)
    assert any("#4 (9.000001)" in m and "bị lặp" in m for m in messages)
    assert counts() == before
    assert get_version_on("1.001193").name == "Đăng ký khai sinh"


def test_versions_are_pinned_by_date() -> None:
    import_catalogue([BIRTH])
    changed = sample(
        ("MOTCUA.HIEULUCTU", "01/03/2026"),
        ("CACHTHUCTHUCHIEN.0.THOIGIAN.0.PHILEPHI.0.SOTIEN", 5000),
        ("CACHTHUCTHUCHIEN.0.THOIGIAN.0.PHILEPHI.0.MOTA", "Lệ phí"),
    )
    assert import_catalogue([changed]).created == ["1.001193"]
    first, second = ProcedureVersion.objects.filter(procedure__code="1.001193").order_by("number")
    assert (first.effective_to, second.effective_from, second.effective_to) == (
        date(2026, 2, 28),
        date(2026, 3, 1),
        None,
    )
    assert get_version_on("1.001193", date(2026, 2, 28)) == first
    assert get_version_on("1.001193", date(2026, 3, 1)) == second
    assert get_version_on("1.001193", date(2025, 6, 30)) is None
    changes = dict((path, (old, new)) for path, old, new in diff_versions(first, second))
    assert changes["CACHTHUCTHUCHIEN[0].THOIGIAN[0].PHILEPHI[0].SOTIEN"] == ("0", "5000")
    assert changes["MOTCUA.HIEULUCTU"] == ("01/07/2025", "01/03/2026")
    # A version may not start before the one in force.
    with pytest.raises(RecordsRejected, match="1 lỗi"):
        import_catalogue([sample(("MOTCUA.HIEULUCTU", "01/02/2026"), ("TENTTHC", "Khác"))])


def test_published_versions_are_immutable_and_drafts_publish_once() -> None:
    import_catalogue([BIRTH], publish=False)
    draft = ProcedureVersion.objects.get()
    assert get_version_on("1.001193", date(2026, 1, 1)) is None
    published = publish_version(draft, actor=None)
    assert get_version_on("1.001193", date(2026, 1, 1)) == published
    with pytest.raises(ConflictError, match="đã được công bố"):
        publish_version(draft, actor=None)
    published.name = "Sửa tay"
    with pytest.raises(ConflictError, match="không được sửa"):
        published.save()
    assert ProcedureVersion.objects.get().name == "Đăng ký khai sinh"


def test_the_rows_of_a_version_refuse_every_update() -> None:
    """Papers, limits, fees and steps come only with a new version; the database refuses an edit of them."""
    import_catalogue([RECORDS])
    for rows, change in [
        (Case.objects.all(), {"name": "Sửa tay"}),
        (Component.objects.all(), {"is_mandatory": False}),
        (ChannelLimit.objects.all(), {"amount": 99}),
        (Fee.objects.all(), {"amount": 1}),
        (Step.objects.all(), {"hours": 1}),
    ]:
        before = list(rows.values())
        with pytest.raises(IntegrityError, match="không được sửa"), transaction.atomic():
            rows.update(**change)
        row = rows.first()
        assert row is not None
        for name, value in change.items():
            setattr(row, name, value)
        with pytest.raises(IntegrityError, match="không được sửa"), transaction.atomic():
            row.save()
        assert list(rows.values()) == before


def test_terms_take_the_cases_own_limit_first_and_the_counters_for_an_unlisted_channel() -> None:
    own = {"TRUONGHOP": "Ủy quyền cho người khác nộp", "THOIGIANGIAIQUYET": 12, "DONVITINH": "Ngày làm việc"}
    shared = RECORDS["CACHTHUCTHUCHIEN"][0]["THOIGIAN"][0]
    import_catalogue(
        [sample(("CACHTHUCTHUCHIEN.0.THOIGIAN", [shared, {**own, "MOTA": "", "PHILEPHI": []}]), base=RECORDS)]
    )
    version = get_version_on("2.001417", date(2026, 1, 1))
    assert version is not None
    first, second = terms_of(version.pk)
    assert [(t.case.position, [c.code for c in t.components]) for t in (first, second)] == [
        (0, ["GT1"]),
        (1, ["GT1", "GT2"]),
    ]
    assert [limit_for(t.case, 1).amount for t in (first, second)] == [10, 12]  # type: ignore[union-attr]
    assert limit_for(first.case, 3) == first.limits[1]  # no postal limit listed: the counter's applies
    assert [fee.amount for fee in listed_fees(first.case, 3)] == [200_000, 100_000]
    assert listed_fees(second.case, 1) == []


@pytest.mark.parametrize(
    "query", ["dang ky khai sinh", "đăng kí khai sinh", "khai sinh", "Đăng ký khai sinh", "khai sinnh"]
)
def test_search_puts_the_right_procedure_first(query: str) -> None:
    variants = [
        sample(("MATTHC", "1.000001"), ("TENTTHC", "Đăng ký khai sinh có yếu tố nước ngoài")),
        sample(("MATTHC", "1.000002"), ("TENTTHC", "Đăng ký lại khai sinh")),
        sample(("MATTHC", "1.000003"), ("TENTTHC", "Đăng ký khai tử"), ("TUKHOA", "khai tử")),
    ]
    import_catalogue([*variants, BIRTH, RECORDS])
    found = [hit.code for hit in search_procedures(query)]
    assert found[0] == "1.001193"
    assert "2.001417" not in found and "1.000003" not in found


def test_filters_by_level_agency_field_and_online() -> None:
    import_catalogue([BIRTH, RECORDS])
    codes = lambda **kw: [hit.code for hit in search_procedures(**kw)]  # noqa: E731
    assert codes(level=3) == ["1.001193"] and codes(level=1) == ["2.001417"]
    assert codes(agency="82.STP") == ["2.001417"] and codes(agency="commune_committee") == ["1.001193"]
    assert codes(field="HT") == ["1.001193"]
    assert sorted(codes(online=True)) == ["1.001193", "2.001417"] and codes(online=False) == []


def test_cli_import_export_round_trip(tmp_path: Path) -> None:
    source = tmp_path / "in.json"
    source.write_text(json.dumps({"procedures": [BIRTH, RECORDS]}, ensure_ascii=False), encoding="utf-8")
    call_command("catalogue", "import", str(source))
    call_command("catalogue", "export", str(tmp_path / "out.json"), "--on", "01/01/2026")
    exported = json.loads((tmp_path / "out.json").read_text(encoding="utf-8"))
    assert exported["procedures"] == [BIRTH, RECORDS]
    before = counts()
    call_command("catalogue", "import", str(tmp_path / "out.json"))
    assert counts() == before


def test_cli_excel_template_and_excel_round_trip(tmp_path: Path) -> None:
    call_command("catalogue", "template", str(tmp_path / "mau.xlsx"))
    assert (tmp_path / "mau.xlsx").read_bytes()[:2] == b"PK"
    import_catalogue([BIRTH, RECORDS])
    call_command("catalogue", "export", str(tmp_path / "danh-muc.xlsx"))
    before = counts()
    call_command("catalogue", "import", str(tmp_path / "danh-muc.xlsx"))
    assert counts() == before  # the workbook carries exactly the same content


def test_cli_reports_problems_in_vietnamese(tmp_path: Path) -> None:
    source = tmp_path / "bad.json"
    source.write_text("{khong phai json", encoding="utf-8")
    with pytest.raises(CommandError, match="không phải JSON UTF-8 hợp lệ"):
        call_command("catalogue", "import", str(source))
    source.write_text(json.dumps([sample(("TENTTHC", ""))]), encoding="utf-8")
    with pytest.raises(CommandError, match="Tệp có 1 lỗi; không có thay đổi nào được ghi"):
        call_command("catalogue", "import", str(source))
    with pytest.raises(CommandError, match="Không tìm thấy tệp"):
        call_command("catalogue", "import", str(tmp_path / "none.json"))
    assert not Procedure.objects.exists()
