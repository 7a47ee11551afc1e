"""Every form shipped in the demo catalogue is a valid definition of a procedure there, naming its papers."""

import json
from pathlib import Path

import pytest

from motcua.eforms.definition import parse
from motcua.eforms.lists import pick_lists, shipped_forms

CATALOGUE = Path(__file__).resolve().parents[2] / "catalogue" / "data" / "procedures.json"


def _records() -> dict[str, dict]:
    return {p["MATTHC"]: p for p in json.loads(CATALOGUE.read_text(encoding="utf-8"))["procedures"]}


@pytest.mark.parametrize("name", sorted(shipped_forms()))
def test_shipped_form_is_valid(name: str) -> None:
    document = shipped_forms()[name]
    record = _records().get(document["procedure"])
    assert record is not None, f"{name}: procedure {document['procedure']} is not in the demo catalogue"
    cases = {case["TRUONGHOP"]: case for case in record["THANHPHANHOSO"]}
    chosen = [cases[document["case"]]] if document["case"] else list(cases.values())
    papers = {paper["MAGIAYTO"] for case in chosen for paper in case["GIAYTO"]}
    definition = parse(document, lists=pick_lists(), papers=papers)
    assert definition.source["legal_basis"]
    assert name == definition.procedure


def test_pick_lists_carry_their_source() -> None:
    for pick_list in pick_lists().values():
        assert pick_list.source and pick_list.items
        assert len({value for value, _ in pick_list.items}) == len(pick_list.items)
