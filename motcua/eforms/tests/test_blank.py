"""The blank form of every shipped definition prints as a PDF and an editable DOCX holding what the paper form asks;
filled with a dossier's answers, it prints them in place of the dots."""

import io
import re
import subprocess
from pathlib import Path

import docx
import pytest

from motcua.eforms.blank import blank_docx, blank_pdf, filled_pdf, layout
from motcua.eforms.definition import Definition, parse
from motcua.eforms.display import Reader
from motcua.eforms.lists import pick_lists, shipped_forms
from motcua.eforms.tests.birth import birth_document, checked_birth_answers

NAMES = sorted(shipped_forms())


def _definition(name: str) -> Definition:
    return parse(shipped_forms()[name], lists=pick_lists())


def _flat(text: str) -> str:
    """Text without white space: pdftotext breaks lines (also after a slash, "15/2021/ NĐ-CP") and spaces columns."""
    return re.sub(r"\s+", "", text)


def _pdf_text(pdf: bytes, tmp_path: Path) -> str:
    path = tmp_path / "blank.pdf"
    path.write_bytes(pdf)
    result = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"],
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout


def _docx_text(data: bytes) -> str:
    document = docx.Document(io.BytesIO(data))
    parts = [p.text for p in document.paragraphs]
    parts += [p.text for table in document.tables for cell in table._cells for p in cell.paragraphs]
    parts += [p.text for section in document.sections for p in section.footer.paragraphs]
    return "\n".join(parts)


def _labels(definition: Definition) -> list[str]:
    """The labels a hand-filled form must carry: every field but the papers (attachments), and section titles."""
    labels = [section.title for section in definition.sections if any(f.type != "paper" for f in section.fields)]
    return labels + [f.label for f in definition.fields() if f.type != "paper"]


def _conditions(definition: Definition) -> list[str]:
    return [section.condition for section in layout(definition).sections if section.condition]


@pytest.mark.parametrize("name", NAMES)
def test_blank_pdf_holds_the_form(name: str, tmp_path: Path) -> None:
    definition = _definition(name)
    pdf = blank_pdf(definition)
    assert pdf.startswith(b"%PDF-") and b"%%EOF" in pdf[-32:]
    text = _flat(_pdf_text(pdf, tmp_path))
    assert _flat(definition.title.upper()) in text
    assert _flat("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM") in text and _flat("Độc lập - Tự do - Hạnh phúc") in text
    assert _flat("Kính gửi:") in text and _flat("NGƯỜI YÊU CẦU") in text
    assert _flat(definition.source["form_number"]) in text
    assert _flat(f"Mẫu theo {definition.source['legal_basis']}") in text
    if not definition.source["confirmed"]:
        assert _flat("(chưa đối chiếu văn bản gốc)") in text
    for label in _labels(definition):
        assert _flat(label) in text, f"{name}: «{label}» is not printed"
    for condition in _conditions(definition):
        assert _flat(condition) in text


@pytest.mark.parametrize("name", NAMES)
def test_blank_docx_holds_the_form(name: str) -> None:
    definition = _definition(name)
    text = _docx_text(blank_docx(definition))
    assert definition.title.upper() in text
    assert definition.source["form_number"] in text
    assert definition.source["legal_basis"] in text
    for label in _labels(definition):
        assert label in text, f"{name}: «{label}» is not in the DOCX"
    for condition in _conditions(definition):
        assert condition in text


def test_docx_page_is_a4_with_the_official_margins() -> None:
    document = docx.Document(io.BytesIO(blank_docx(_definition(NAMES[0]))))
    page = document.sections[0]
    assert (round(page.page_width.mm), round(page.page_height.mm)) == (210, 297)
    margins = (page.top_margin, page.right_margin, page.bottom_margin, page.left_margin)
    assert [round(m.mm) for m in margins] == [20, 15, 20, 30]
    assert document.styles["Normal"].font.name == "Times New Roman"
    assert document.styles["Normal"].font.size.pt == 13


def test_a_conditional_section_names_its_controlling_field_and_option(tmp_path: Path) -> None:
    document = {
        "format": "motcua-eform/1",
        "procedure": "9.999999",
        "case": "",
        "title": "Tờ khai thử",
        "source": {
            "form_name": "Tờ khai thử",
            "form_number": "Mẫu số 09",
            "url": "",
            "legal_basis": "Thông tư thử, Phụ lục 9",
            "confirmed": True,
        },
        "replaces_paper": "",
        "sections": [
            {"key": "chung", "title": "Thông tin chung", "hint": "", "shown_if": None, "fields": [
                {"key": "co_cha", "label": "Khai thông tin người cha", "type": "choice", "required": True,
                 "choices": [{"value": "co", "label": "Có"}, {"value": "khong", "label": "Không"}]},
                {"key": "giay", "label": "Bản chụp giấy tờ", "type": "paper", "required": True, "paper": "GT01"},
            ]},
            {"key": "cha", "title": "Người cha", "hint": "", "shown_if": {"field": "chung.co_cha", "equals": "co"},
             "fields": [{"key": "nguoi", "label": "Người cha", "type": "person", "required": True,
                         "parts": ["ho_ten", "ngay_sinh", "so_dinh_danh"]}]},
        ],
        "rules": [],
    }  # fmt: skip
    definition = parse(document, lists=pick_lists())
    text = _flat(_pdf_text(blank_pdf(definition), tmp_path))
    assert _flat("Chỉ khai khi «Khai thông tin người cha» là «Có»") in text
    assert _flat("Bản chụp giấy tờ") not in text  # a paper is an attachment, not a line
    for part in ("Họ, chữ đệm, tên", "Ngày, tháng, năm sinh", "Số định danh cá nhân"):
        assert _flat(part) in text
    assert _flat("Mẫu số 09") in text and _flat("Mẫu theo Thông tư thử, Phụ lục 9") in text
    assert _flat("chưa đối chiếu") not in text
    assert "Chỉ khai khi «Khai thông tin người cha» là «Có»" in _docx_text(blank_docx(definition))


def _reader() -> Reader:
    return Reader(pick_lists(), lambda code: "Phường Mỹ Tho, Tỉnh Đồng Tháp")


def test_the_filled_birth_form_prints_the_answers_and_leaves_out_the_hidden_father(tmp_path: Path) -> None:
    definition = parse(birth_document(), lists=pick_lists())
    filed_on = "Đồng Tháp, ngày 10 tháng 3 năm 2026"
    pdf = filled_pdf(definition, checked_birth_answers(), _reader(), filed_on=filed_on)
    assert pdf.startswith(b"%PDF-") and b"%%EOF" in pdf[-32:]
    text = _flat(_pdf_text(pdf, tmp_path))
    assert _flat("TỜ KHAI ĐĂNG KÝ KHAI SINH") in text and _flat("NGƯỜI YÊU CẦU") in text
    for answer in (
        "Họ, chữ đệm, tên(3): Nguyễn Minh An",
        "Ngày, tháng, năm sinh(4): 01/03/2026",
        "Dân tộc: Kinh",
        "☒ Nam ☐ Nữ",
        "Họ, chữ đệm, tên: Trần Thị Hoa",
        "Số nhà, đường, thôn, ấp, tổ dân phố: Số 5 Lê Lợi",
        "Nơi cư trú: Số 5 Lê Lợi, Phường Mỹ Tho, Tỉnh Đồng Tháp",
        "0 8 2 0 9 0 0 0 1 2 3 4",  # the requester's ID, a digit per box
        "☐ Có ☒ Chưa xác định được cha",
        "Số lượng bản sao Giấy khai sinh đề nghị cấp(9): 2",
        filed_on,
    ):
        assert _flat(answer) in text, f"«{answer}» is not printed"
    assert _flat("Nguyễn Văn Dân") in text.split(_flat("NGƯỜI YÊU CẦU"))[1]  # the requester signs
    # cha_khai.co_cha is "khong": the father's section and the parents' marriage are left out, conditions unsaid.
    assert _flat("Người cha") not in text and _flat("người cha.") not in text
    assert _flat("Giấy chứng nhận kết hôn") not in text and _flat("Quyển số") not in text
    assert _flat("Chỉ khai khi") not in text
    assert _flat("ngày …… tháng") not in text
    blank = _flat(_pdf_text(blank_pdf(definition), tmp_path))
    assert _flat("Người cha") in blank and _flat("Nguyễn Minh An") not in blank


def test_an_unanswered_field_stays_dotted_and_without_a_date_the_closing_does_too(tmp_path: Path) -> None:
    definition = parse(birth_document(), lists=pick_lists())
    values = checked_birth_answers()
    del values["tre.que_quan"]
    form = layout(definition, values=values, reader=_reader())
    lines = {line.label: line for section in form.sections for row in section.rows for line in row}
    assert lines["Quê quán"].kind == "fill" and lines["Quê quán"].value == ""
    assert lines["Dân tộc"].value == "Kinh" and lines["Giới tính"].value == "Nam"
    assert not any(section.condition for section in form.sections)
    assert form.place_date == layout(definition).place_date and form.signer == "Nguyễn Văn Dân"
    text = _pdf_text(filled_pdf(definition, values, _reader()), tmp_path)
    assert re.search(r"Quê quán\(\d+\): \.{10,}", text)
    assert _flat("ngày …… tháng …… năm") in _flat(text)


@pytest.mark.parametrize("name", NAMES)
def test_every_shipped_form_prints_filled_without_answers(name: str, tmp_path: Path) -> None:
    definition = _definition(name)
    text = _flat(_pdf_text(filled_pdf(definition, {}, _reader()), tmp_path))
    assert _flat(definition.title.upper()) in text and _flat("NGƯỜI YÊU CẦU") in text
    assert _flat("Chỉ khai khi") not in text  # with nothing chosen, every conditional part is left out
