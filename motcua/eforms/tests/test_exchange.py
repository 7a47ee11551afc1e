"""The catalogue file carries its e-forms: JSON (MOTCUA.BIEUMAU), Excel ("Biểu mẫu", "Danh mục"), CLI and API."""

import copy
import json
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from motcua.catalogue.models import Procedure, ProcedureVersion
from motcua.catalogue.records import RecordsRejected
from motcua.catalogue.tests.samples import BIRTH, RECORDS
from motcua.conftest import browser_for, client_for
from motcua.eforms import excel
from motcua.eforms.excel import ExcelFormatError
from motcua.eforms.exchange import export_with_forms, import_with_forms
from motcua.eforms.models import FormDefinition
from motcua.eforms.tests.birth import birth_document

pytestmark = pytest.mark.django_db


def record_form(case: str = "Ủy quyền cho người khác nộp") -> dict[str, Any]:
    """A small definition for one case of the test catalogue's 2.001417: inline choices, a condition, a rule."""
    return {
        "format": "motcua-eform/1",
        "procedure": "2.001417",
        "case": case,
        "title": "Tờ khai yêu cầu cấp Phiếu lý lịch tư pháp",
        "source": {
            "form_name": "Mẫu số 03/2013/TT-LLTP",
            "form_number": "Mẫu số 03",
            "url": "https://example.invalid/mau-03.docx",
            "legal_basis": "Thông tư 13/2011/TT-BTP, Phụ lục",
            "confirmed": True,
        },
        "replaces_paper": "GT1",
        "sections": [
            {
                "key": "nguoi_yeu_cau",
                "title": "Người yêu cầu",
                "hint": "",
                "shown_if": None,
                "fields": [
                    {"key": "ho_ten", "label": "Họ và tên", "hint": "=viết hoa", "type": "text", "required": True,
                     "max_length": 100, "shown_if": None, "result": "ho_ten", "national": ""},
                    {"key": "ngay_sinh", "label": "Ngày sinh", "hint": "", "type": "date", "required": True,
                     "shown_if": None, "result": "", "national": "ngaySinh"},
                    {"key": "loai", "label": "Loại phiếu", "hint": "", "type": "choice", "required": True,
                     "choices": [{"value": "1", "label": "Phiếu số 1"}, {"value": "2", "label": "Phiếu số 2"}],
                     "shown_if": None, "result": "", "national": ""},
                    {"key": "gioi_tinh", "label": "Giới tính", "hint": "", "type": "choice", "required": False,
                     "choices": "gioi_tinh", "shown_if": {"field": "nguoi_yeu_cau.loai", "equals": "2"},
                     "result": "", "national": ""},
                ],
            },
            {
                "key": "uy_quyen",
                "title": "Ủy quyền",
                "hint": "Chỉ khi ủy quyền",
                "shown_if": {"field": "nguoi_yeu_cau.loai", "in": ["1", "2"]},
                "fields": [
                    {"key": "so_ban", "label": "Số bản", "hint": "", "type": "number", "required": False,
                     "min": 1, "max": 10, "shown_if": None, "result": "", "national": ""},
                ],
            },
        ],
        "rules": [
            {"rule": "date_not_after", "field": "nguoi_yeu_cau.ngay_sinh", "than": "today",
             "message": "Ngày sinh không được sau ngày khai."}
        ],
    }  # fmt: skip


def with_forms(record: dict[str, Any], *documents: dict[str, Any]) -> dict[str, Any]:
    carried = copy.deepcopy(record)
    carried["MOTCUA"]["BIEUMAU"] = list(documents)
    return carried


def stored() -> list[dict[str, Any]]:
    return [form.document for form in FormDefinition.objects.order_by("version__procedure__code", "case_name")]


def test_json_import_publishes_the_forms_a_record_carries() -> None:
    report = import_with_forms({"procedures": [with_forms(BIRTH, birth_document()), RECORDS]})
    assert report.catalogue.created == ["1.001193", "2.001417"]
    assert report.published == ["1.001193"] and report.unchanged == []
    form = FormDefinition.objects.get()
    assert form.version.procedure.code == "1.001193" and form.number == 1 and form.document == birth_document()
    assert "BIEUMAU" not in ProcedureVersion.objects.get(procedure__code="1.001193").record["MOTCUA"]
    again = import_with_forms([with_forms(BIRTH, birth_document()), RECORDS])
    assert again.catalogue.unchanged == ["1.001193", "2.001417"] and again.unchanged == ["1.001193"]
    assert FormDefinition.objects.count() == 1


def test_a_bad_definition_refuses_the_whole_file_listing_every_problem() -> None:
    bad = record_form()
    bad["sections"][0]["fields"][0]["type"] = "chu"
    bad["replaces_paper"] = "GT9"
    also_bad = {**record_form(case="Không có trường hợp này"), "source": {}}
    file = [with_forms(BIRTH, birth_document()), with_forms(RECORDS, bad, also_bad)]
    with pytest.raises(RecordsRejected) as rejected:
        import_with_forms(file)
    found = {(p.record, p.path) for p in rejected.value.problems}
    assert {
        ("#2 (2.001417)", "MOTCUA.BIEUMAU[1].case"),
        ("#2 (2.001417)", "MOTCUA.BIEUMAU[0].nguoi_yeu_cau.ho_ten.type"),
        ("#2 (2.001417)", "MOTCUA.BIEUMAU[0].replaces_paper"),
        ("#2 (2.001417)", "MOTCUA.BIEUMAU[1].source.form_name"),
        ("#2 (2.001417)", "MOTCUA.BIEUMAU[1].source.confirmed"),
    } <= found
    assert all(p.record == "#2 (2.001417)" for p in rejected.value.problems)
    assert (
        "Thủ tục #2 (2.001417), trường MOTCUA.BIEUMAU[1].case: thủ tục không có trường hợp «Không có trường hợp này»."
        in {str(p) for p in rejected.value.problems}
    )
    assert not Procedure.objects.exists() and not FormDefinition.objects.exists()


def test_catalogue_and_form_problems_are_listed_together() -> None:
    broken = with_forms(RECORDS, {**record_form(), "procedure": "1.001193"})
    broken["TENTTHC"] = ""
    with pytest.raises(RecordsRejected) as rejected:
        import_with_forms([broken])
    assert {p.path for p in rejected.value.problems} == {"TENTTHC", "MOTCUA.BIEUMAU[0].procedure"}
    assert not Procedure.objects.exists()


def test_json_export_then_import_gives_identical_definitions() -> None:
    import_with_forms([with_forms(BIRTH, birth_document()), with_forms(RECORDS, record_form())])
    exported = export_with_forms()
    assert [r["MOTCUA"].get("BIEUMAU") for r in exported] == [[birth_document()], [record_form()]]
    before = stored()
    FormDefinition.objects.all().delete()
    import_with_forms(json.loads(json.dumps(exported, ensure_ascii=False)))
    assert json.dumps(stored(), sort_keys=True) == json.dumps(before, sort_keys=True)


def test_excel_export_then_import_gives_identical_definitions(tmp_path: Path) -> None:
    import_with_forms([with_forms(BIRTH, birth_document()), with_forms(RECORDS, record_form())])
    exported = export_with_forms()
    excel.workbook_from_records(exported).save(tmp_path / "danh-muc.xlsx")
    read = excel.records_from_workbook(tmp_path / "danh-muc.xlsx")
    assert json.dumps(read, sort_keys=True, ensure_ascii=False) == json.dumps(
        exported, sort_keys=True, ensure_ascii=False
    )
    workbook = openpyxl.load_workbook(tmp_path / "danh-muc.xlsx")
    assert workbook["Biểu mẫu"].max_row == 2 + sum(len(s["fields"]) for d in (birth_document(), record_form())
                                                   for s in d["sections"])  # fmt: skip
    lists = {row[0] for row in workbook["Danh mục"].iter_rows(min_row=3, values_only=True)}
    assert lists == {"gioi_tinh", "dan_toc", "quoc_tich"}  # those the two forms use


def test_excel_problems_name_sheet_row_and_column(tmp_path: Path) -> None:
    import_with_forms([with_forms(RECORDS, record_form())])
    workbook = excel.workbook_from_records(export_with_forms())
    sheet = workbook["Biểu mẫu"]
    titles = {cell.value: cell.column for cell in sheet[1]}
    sheet.cell(4, titles["Bắt buộc"], "có lẽ")
    sheet.cell(5, titles["Tùy chọn (JSON)"], '{"choices": ')
    sheet.cell(6, titles["Loại"], "text")  # a text field without max_length
    sheet.cell(7, titles["Tên biểu mẫu"], "Tên khác")
    lists = workbook["Danh mục"]
    lists.cell(3, 5, "Nam giới")
    workbook.save(tmp_path / "sai.xlsx")
    with pytest.raises(ExcelFormatError) as error:
        excel.records_from_workbook(tmp_path / "sai.xlsx")
    where = [(p.sheet, p.row, p.column) for p in error.value.problems]
    assert where == [
        ("Biểu mẫu", 4, "Bắt buộc"),
        ("Biểu mẫu", 5, "Tùy chọn (JSON)"),
        ("Biểu mẫu", 6, "Tùy chọn (JSON)"),
        ("Biểu mẫu", 7, "Tên biểu mẫu"),
        ("Danh mục", 3, "Giá trị"),
    ]  # one problem a cell, in the workbook's order
    text = str(error.value)
    assert "Trang “Biểu mẫu”, dòng 6, cột “Tùy chọn (JSON)”: nguoi_yeu_cau.gioi_tinh.max_length" in text


def test_cli_round_trip_carries_the_forms(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "in.json"
    document = {"procedures": [with_forms(BIRTH, birth_document()), with_forms(RECORDS, record_form())]}
    source.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    call_command("catalogue", "import", str(source))
    assert "Đã công bố 2 biểu mẫu mới; 0 biểu mẫu không đổi; 0 mẫu kết quả mới" in capsys.readouterr().out
    call_command("catalogue", "export", str(tmp_path / "out.json"), "--on", "01/01/2026")
    call_command("catalogue", "export", str(tmp_path / "out.xlsx"), "--on", "01/01/2026")
    exported = json.loads((tmp_path / "out.json").read_text(encoding="utf-8"))
    assert exported["procedures"] == document["procedures"]
    before = stored()
    for name in ("out.json", "out.xlsx"):
        call_command("catalogue", "import", str(tmp_path / name))
        assert "0 biểu mẫu mới; 2 biểu mẫu không đổi" in capsys.readouterr().out
    assert stored() == before and FormDefinition.objects.count() == 2
    bad = {"procedures": [with_forms(BIRTH, {**birth_document(), "title": ""})]}
    source.write_text(json.dumps(bad, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(CommandError, match="Tệp có 1 lỗi"):
        call_command("catalogue", "import", str(source))
    assert "Thủ tục #1 (1.001193), trường MOTCUA.BIEUMAU[0].title: không được để trống." in capsys.readouterr().err


def test_cli_template_has_the_form_sheets(tmp_path: Path) -> None:
    call_command("catalogue", "template", str(tmp_path / "mau.xlsx"))
    workbook = openpyxl.load_workbook(tmp_path / "mau.xlsx")
    assert {"Biểu mẫu", "Danh mục", "Thủ tục"} <= set(workbook.sheetnames)
    assert excel.records_from_workbook(tmp_path / "mau.xlsx") == []


def test_api_import_publishes_the_forms() -> None:
    admin = client_for("quantri")
    body = {"procedures": [with_forms(BIRTH, birth_document()), RECORDS]}
    response = admin.post("/api/v1/procedures/import", body, format="json")
    assert response.status_code == 201
    assert response.json() == {"created": ["1.001193", "2.001417"], "unchanged": []}
    assert stored() == [birth_document()]
    bad = {"procedures": [with_forms(RECORDS, {**record_form(), "case": "Không có"})]}
    refused = admin.post("/api/v1/procedures/import", bad, format="json")
    assert refused.status_code == 400 and refused.json()["code"] == "catalogue_rejected"
    assert refused.json()["errors"] == [
        {
            "record": "#1 (2.001417)",
            "field": "MOTCUA.BIEUMAU[0].case",
            "message": "thủ tục không có trường hợp «Không có».",
        }
    ]


def test_the_admin_imports_and_exports_the_forms_like_the_command(tmp_path: Path) -> None:
    import_with_forms([with_forms(BIRTH, birth_document())])
    exported = export_with_forms()
    excel.workbook_from_records(exported).save(tmp_path / "danh-muc.xlsx")
    FormDefinition.objects.all().delete()  # the file now carries a form the system does not have
    admin = browser_for("quantri")
    with (tmp_path / "danh-muc.xlsx").open("rb") as workbook:
        done = admin.post("/quan-tri/catalogue/procedure/nhap/", {"file": workbook}, follow=True).content.decode()
    assert "Đã công bố 1 biểu mẫu mới" in done and FormDefinition.objects.get().title == "Tờ khai đăng ký khai sinh"
    download = admin.get("/quan-tri/catalogue/procedure/xuat/xlsx/")
    (tmp_path / "tai-ve.xlsx").write_bytes(download.content)
    assert excel.records_from_workbook(tmp_path / "tai-ve.xlsx") == export_with_forms()
    as_json = admin.get("/quan-tri/catalogue/procedure/xuat/json/").json()
    assert as_json["procedures"][0]["MOTCUA"]["BIEUMAU"][0]["title"] == "Tờ khai đăng ký khai sinh"
