"""The demo catalogue: real procedures as published, loaded by `motcua demo`."""

import json

import pytest

from motcua.catalogue.models import Component, ProcedureVersion
from motcua.catalogue.records import parse_records
from motcua.catalogue.selectors import search_procedures
from motcua.catalogue.services import import_catalogue
from motcua.demo.seed import DEMO_CATALOGUE


def demo_document() -> dict[str, object]:
    return json.loads(DEMO_CATALOGUE.read_text(encoding="utf-8"))


def test_the_demo_file_is_valid_and_large_enough() -> None:
    parsed, problems = parse_records(demo_document())
    assert problems == []
    assert len(parsed) >= 40
    assert {level for record in parsed for level in record.levels} == {1, 3}
    assert all(record.legal_bases for record in parsed), "every procedure cites its legal basis"
    same_day = [r.name for r in parsed for e in r.limits if e.limit.unit == "same_day"]
    assert same_day, "certification procedures are same-day"


@pytest.mark.django_db
def test_the_demo_catalogue_loads_and_searches_like_a_citizen_types() -> None:
    report = import_catalogue(demo_document())
    assert len(report.created) == ProcedureVersion.objects.count() >= 40
    assert Component.objects.count() > 100
    for query in ("dang ky khai sinh", "đăng kí khai sinh", "khai sinh"):
        assert search_procedures(query)[0].name == "Đăng ký khai sinh", query
    assert search_procedures("chung thuc ban sao")[0].name.startswith("Chứng thực bản sao")
    assert import_catalogue(demo_document()).created == []
