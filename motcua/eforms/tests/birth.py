"""The shipped birth-registration tờ khai, published for the test catalogue's 1.001193, and answers that hold."""

import copy
from datetime import date
from typing import Any

from motcua.catalogue.selectors import get_version_on
from motcua.eforms.answers import check
from motcua.eforms.definition import parse
from motcua.eforms.lists import pick_lists, shipped_forms, shipped_results
from motcua.eforms.models import FormDefinition
from motcua.eforms.services import publish, publish_result

# As a citizen types them on the page (dates dd/mm/yyyy, an ID with spaces); the commune is Phường Mỹ Tho.
ANSWERS = {
    "nguoi_yeu_cau.ho_ten": "Nguyễn Văn Dân",
    "nguoi_yeu_cau.ngay_sinh": "20/10/1990",
    "nguoi_yeu_cau.so_dinh_danh": "082 090 001 234",
    "nguoi_yeu_cau.noi_cu_tru.commune": "28261",
    "nguoi_yeu_cau.noi_cu_tru.detail": "Số 5 Lê Lợi",
    "nguoi_yeu_cau.quan_he": "cha",
    "tre.ho_ten": "Nguyễn Minh An",
    "tre.ngay_sinh": "01/03/2026",
    "tre.gioi_tinh": "nam",
    "tre.dan_toc": "01",
    "tre.quoc_tich": "VN",
    "tre.noi_sinh.commune": "28261",
    "tre.noi_sinh.detail": "Bệnh viện Đa khoa tỉnh",
    "tre.que_quan": "Phường Mỹ Tho, tỉnh Đồng Tháp",
    "me_khai.co_me": "co",
    "me.nguoi.ho_ten": "Trần Thị Hoa",
    "me.nguoi.ngay_sinh": "12/05/1995",
    "me.nguoi.dan_toc": "01",
    "me.nguoi.quoc_tich": "VN",
    "me.nguoi.noi_cu_tru.commune": "28261",
    "me.nguoi.noi_cu_tru.detail": "Số 5 Lê Lợi",
    "cha_khai.co_cha": "khong",
    "ban_sao.so_ban": "2",
}


def birth_document(paper: str = "GT1") -> dict[str, Any]:
    """The shipped definition, its tờ khai paper renamed to the test catalogue's code and its paper fields dropped."""
    document = copy.deepcopy(shipped_forms()["1.001193"])
    document["replaces_paper"] = paper
    for section in document["sections"]:
        section["fields"] = [f for f in section["fields"] if f["type"] != "paper"]
    document["sections"] = [s for s in document["sections"] if s["fields"]]
    return document


def checked_birth_answers() -> dict[str, Any]:
    """ANSWERS as the tờ khai keeps them once checked (`Dossier.form_data`)."""
    definition = parse(birth_document(), lists=pick_lists())
    result = check(definition, ANSWERS, lists=pick_lists(), commune_exists=lambda code: True, today=date(2026, 3, 10))
    assert result.valid, result.errors
    return result.values


def publish_birth_form() -> FormDefinition:
    """Publish the tờ khai and, filled from it, the shipped Giấy khai sinh template."""
    version = get_version_on("1.001193")
    assert version is not None
    form = publish(birth_document(), version=version)
    publish_result(shipped_results()["1.001193"], version=version)
    return form
