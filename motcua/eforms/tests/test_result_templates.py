"""Result templates are published catalogue data: checked, numbered, never edited, rendered by their latest version,
carried by import and export (JSON and Excel) and published from the admin site."""

import copy
import json
import subprocess
from dataclasses import replace
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from django.test import Client

from motcua.catalogue.records import RecordsRejected
from motcua.catalogue.selectors import get_version_on
from motcua.catalogue.tests.samples import BIRTH, RECORDS
from motcua.core import clock
from motcua.core.errors import ConflictError, DomainError
from motcua.documents.results import generate_result
from motcua.dossiers.lifecycle import Action
from motcua.dossiers.models import DossierEvent
from motcua.dossiers.services import complete_step, perform
from motcua.dossiers.tests.factories import TUESDAY_9AM, birth_filing, load_catalogue, receive, user
from motcua.eforms import excel
from motcua.eforms.definition import DefinitionError, parse
from motcua.eforms.exchange import export_with_forms, import_with_forms
from motcua.eforms.lists import pick_lists, shipped_forms, shipped_results
from motcua.eforms.models import ResultTemplate
from motcua.eforms.result_template import parse_result
from motcua.eforms.services import publish_result

from .birth import ANSWERS, birth_document, publish_birth_form

pytestmark = pytest.mark.django_db
VARIABLES = {"ho_ten", "ngay_sinh", "me"}


def birth_template(**changes: Any) -> dict[str, Any]:
    return copy.deepcopy(shipped_results()["1.001193"]) | changes


def with_both(record: dict[str, Any], forms: list[dict[str, Any]], template: dict[str, Any]) -> dict[str, Any]:
    carried = copy.deepcopy(record)
    carried["MOTCUA"]["BIEUMAU"] = forms
    carried["MOTCUA"]["MAUKETQUA"] = template
    return carried


def problems_of(document: Any, variables: set[str] | None = VARIABLES) -> list[str]:
    with pytest.raises(DefinitionError) as refused:
        parse_result(document, variables=variables)
    return refused.value.problems


def test_every_shipped_template_reads_only_what_its_shipped_form_fills() -> None:
    forms = shipped_forms()
    assert set(shipped_results()) == set(forms)
    for code, document in shipped_results().items():
        filled = {field.result for field in parse(forms[code], lists=pick_lists()).fields() if field.result}
        assert parse_result(document, variables=filled).procedure == code


def test_a_template_without_its_source_or_content_is_refused_with_every_problem() -> None:
    found = problems_of({"format": "motcua-result/1", "procedure": "1.001193", "title": "", "source": {}, "body": ""})
    assert found == [
        "title: nhập tên giấy tờ kết quả (tối đa 300 ký tự).",
        "source.legal_basis: thiếu văn bản quy định mẫu kết quả (điều, phụ lục).",
        "body: thiếu nội dung mẫu.",
    ]
    assert problems_of([]) == ["mẫu kết quả phải là một đối tượng JSON."]


def test_a_body_may_read_the_dossier_and_the_forms_variables_only() -> None:
    body = (
        '{% load static %}{% include "documents/form01.html" %}{% block footer %}{% endblock %}\n'
        "{% block content %}{{ form.ho_ten }} {{ form.ten_la }} {{ dossier.secret }}"
        "{% if dossier.code %}{{ dossier.competent_unit.name }}{% endif %}{% endblock %}"
    )
    found = problems_of(birth_template(body=body))
    assert found == [
        "body: dòng 1: không dùng thẻ «load» trong mẫu kết quả.",
        "body: dòng 1: không dùng thẻ «include» trong mẫu kết quả.",
        "body: dòng 1: khối «footer» không có; chỉ có style, heading, content.",
        "body: dòng 2: tờ khai không điền biến «form.ten_la».",
        "body: dòng 2: hồ sơ không có «dossier.secret»; chỉ có code, applicant_name, competent_unit.",
    ]
    assert problems_of(birth_template(body="{% block heading %}X{% endblock %}")) == [
        "body: thiếu khối «content» (nội dung giấy tờ)."
    ]


def test_publishing_needs_the_forms_numbers_versions_and_never_edits() -> None:
    load_catalogue()
    version = get_version_on("1.001193")
    assert version is not None
    with pytest.raises(DomainError, match="chưa có tờ khai điện tử"):
        publish_result(birth_template(), version=version)
    publish_birth_form()  # the tờ khai, and v1 of the template
    first = ResultTemplate.objects.get()
    assert (first.number, first.title, first.published_by) == (1, "Giấy khai sinh", None)
    assert publish_result(birth_template(), version=version) == first  # the same content: nothing new
    with pytest.raises(DomainError, match=r"Mẫu kết quả không hợp lệ: body: .*endif"):
        publish_result(birth_template(body="{% block content %}{% if form.ho_ten %}{% endblock %}"), version=version)
    with pytest.raises(DomainError, match=r"không thuộc thủ tục 1\.001193"):
        publish_result(birth_template(procedure="2.001417"), version=version)
    second = publish_result(birth_template(title="Giấy khai sinh (bản chính)"), version=version, by=user("quantri"))
    assert second.number == 2 and ResultTemplate.objects.count() == 2
    second.title = "Sửa"
    with pytest.raises(ConflictError):
        second.save()


def test_the_result_is_generated_from_the_latest_template_and_names_it(tmp_path: Path) -> None:
    load_catalogue()
    publish_birth_form()
    version = get_version_on("1.001193")
    assert version is not None
    body = birth_template()["body"].replace("Quê quán:", "Quê quán (mẫu mới):")
    publish_result(birth_template(body=body), version=version)
    with clock.frozen(TUESDAY_9AM):
        dossier = receive(replace(birth_filing(), answers=ANSWERS))
        perform(dossier, Action.START, actor=user("mytho.motcua"))
        complete_step(dossier, actor=user("mytho.motcua"))
        result = generate_result(dossier, user("mytho.chuyenvien"))
    (tmp_path / "kq.pdf").write_bytes(result.file.read())
    text = subprocess.run(["pdftotext", tmp_path / "kq.pdf", "-"], capture_output=True, text=True, check=True).stdout
    assert "Quê quán (mẫu mới):" in text and "NGUYỄN MINH AN" in text
    event = DossierEvent.objects.get(dossier=dossier, action=Action.ATTACH_RESULT)
    assert event.details["template"] == "1.001193 v2" and result.is_generated


def test_import_publishes_the_carried_template_and_export_gives_it_back(tmp_path: Path) -> None:
    report = import_with_forms([with_both(BIRTH, [birth_document()], birth_template()), RECORDS])
    assert report.templates_published == ["1.001193"] and report.published == ["1.001193"]
    assert "Đã công bố 1 biểu mẫu mới; 0 biểu mẫu không đổi; 1 mẫu kết quả mới" in report.summary()
    exported = export_with_forms()
    assert exported[0]["MOTCUA"]["MAUKETQUA"] == birth_template() and "MAUKETQUA" not in exported[1]["MOTCUA"]
    excel.workbook_from_records(exported).save(tmp_path / "danh-muc.xlsx")
    assert excel.records_from_workbook(tmp_path / "danh-muc.xlsx") == exported
    sheet = openpyxl.load_workbook(tmp_path / "danh-muc.xlsx")["Mẫu kết quả"]
    assert [row[:2] for row in sheet.iter_rows(min_row=3, values_only=True)] == [("1.001193", "Giấy khai sinh")]
    again = import_with_forms(json.loads(json.dumps(exported, ensure_ascii=False)))
    assert again.templates_unchanged == ["1.001193"] and ResultTemplate.objects.count() == 1


def test_a_long_body_continues_on_the_next_rows_of_the_sheet(tmp_path: Path) -> None:
    long = birth_template(body=birth_template()["body"] + "{% comment %}" + "x" * 70_000 + "{% endcomment %}")
    import_with_forms([with_both(BIRTH, [birth_document()], long)])
    excel.workbook_from_records(export_with_forms()).save(tmp_path / "dai.xlsx")
    rows = list(openpyxl.load_workbook(tmp_path / "dai.xlsx")["Mẫu kết quả"].iter_rows(min_row=3, values_only=True))
    assert len(rows) == 3 and rows[1][1] is None  # the title only on the first row
    read = excel.records_from_workbook(tmp_path / "dai.xlsx")
    assert read[0]["MOTCUA"]["MAUKETQUA"] == long


def test_a_bad_template_refuses_the_whole_file_at_its_path() -> None:
    wrong = birth_template(body="{% block content %}{{ form.ten_con }}{% endblock %}", source={"confirmed": True})
    with pytest.raises(RecordsRejected) as rejected:
        import_with_forms([with_both(BIRTH, [birth_document()], wrong), RECORDS])
    assert {(p.record, p.path, p.message) for p in rejected.value.problems} == {
        (
            "#1 (1.001193)",
            "MOTCUA.MAUKETQUA.source.legal_basis",
            "thiếu văn bản quy định mẫu kết quả (điều, phụ lục).",
        ),
        ("#1 (1.001193)", "MOTCUA.MAUKETQUA.body", "dòng 1: tờ khai không điền biến «form.ten_con»."),
    }
    assert not ResultTemplate.objects.exists() and get_version_on("1.001193") is None


def test_the_workbook_names_the_template_cells_it_cannot_read(tmp_path: Path) -> None:
    import_with_forms([with_both(BIRTH, [birth_document()], birth_template())])
    workbook = excel.workbook_from_records(export_with_forms())
    sheet = workbook["Mẫu kết quả"]
    titles = {cell.value: cell.column for cell in sheet[1]}
    sheet.cell(3, titles["Đã đối chiếu"], "có lẽ")
    sheet.cell(4, titles["Mã thủ tục"], "1.001193")
    sheet.cell(4, titles["Tên giấy tờ kết quả"], "Tên khác")
    sheet.cell(4, titles["Nội dung mẫu"], "tiếp")
    workbook.save(tmp_path / "sai.xlsx")
    with pytest.raises(excel.ExcelFormatError) as error:
        excel.records_from_workbook(tmp_path / "sai.xlsx")
    assert [(p.sheet, p.row, p.column) for p in error.value.problems] == [
        ("Mẫu kết quả", 3, "Đã đối chiếu"),
        ("Mẫu kết quả", 4, "Tên giấy tờ kết quả"),
    ]


@pytest.fixture
def admin(client: Client) -> Client:
    load_catalogue()
    client.force_login(user("quantri"))
    return client


def test_the_admin_publishes_a_checked_template_and_never_edits_it(admin: Client) -> None:
    version = get_version_on("1.001193")
    assert version is not None
    add = "/quan-tri/eforms/resulttemplate/add/"
    refused = admin.post(add, {"version": version.pk, "document": json.dumps(birth_template())}).content.decode()
    assert "chưa có tờ khai điện tử" in refused and not ResultTemplate.objects.exists()
    publish_birth_form()
    ResultTemplate.objects.all().delete()
    done = admin.post(add, {"version": version.pk, "document": json.dumps(birth_template())})
    published = ResultTemplate.objects.get()
    assert done.status_code == 302 and published.published_by == user("quantri")
    view = admin.get(f"/quan-tri/eforms/resulttemplate/{published.pk}/change/").content.decode()
    assert "Giấy khai sinh" in view and 'name="_save"' not in view
    assert admin.post(f"/quan-tri/eforms/resulttemplate/{published.pk}/delete/").status_code == 403
    assert ResultTemplate.objects.count() == 1
