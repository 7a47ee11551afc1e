"""The index answer over HTTP names what its ranking is and which evaluation set scored the period, as documented."""

from collections.abc import Iterator
from datetime import datetime
from typing import Any

import jsonschema
import pytest

from motcua.conftest import client_for
from motcua.core import clock
from motcua.core.clock import VIETNAM
from motcua.dossiers.tests.factories import load_catalogue, receive
from motcua.indices.config import EVALUATION_TT03_CARRIED, EVALUATION_V1, INDEX_766_V1, EvaluationVersion

NOW = datetime(2026, 4, 15, 10, 0, tzinfo=VIETNAM)


@pytest.fixture
def received(db: None) -> Iterator[None]:
    load_catalogue()
    with clock.frozen(datetime(2026, 3, 10, 9, 0, tzinfo=VIETNAM)):
        receive()
    with clock.frozen(NOW):
        yield


def _json_schema(schema: Any) -> Any:
    """OpenAPI 3.0 to JSON Schema, for what the index answer uses: `nullable` becomes a "null" type."""
    if isinstance(schema, list):
        return [_json_schema(item) for item in schema]
    if not isinstance(schema, dict):
        return schema
    converted = {key: _json_schema(value) for key, value in schema.items() if key != "nullable"}
    if schema.get("nullable"):
        converted["type"] = [schema["type"], "null"]
    return converted


def _documented() -> Any:
    schema = client_for("giamsat").get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    answer = schema["paths"]["/api/v1/indices/766"]["get"]["responses"]["200"]["content"]["application/json"]
    return _json_schema(answer["schema"])


@pytest.mark.parametrize(
    ("period", "evaluation"),
    [
        ({"from": "2025-03-01", "to": "2025-03-31"}, EVALUATION_V1),  # before TT 03/2025 took over on 15/09/2025
        ({"from": "2026-03-01", "to": "2026-03-31"}, EVALUATION_TT03_CARRIED),
    ],
)
@pytest.mark.usefixtures("received")
def test_the_index_answer_names_its_ranking_and_evaluation_set(
    period: dict[str, str], evaluation: EvaluationVersion
) -> None:
    body = client_for("giamsat").get("/api/v1/indices/766", period).json()
    assert (
        body["version"]["ranking_note"] == INDEX_766_V1.ranking_note
        and "chuẩn hóa riêng" in body["version"]["ranking_note"]
    )
    assert body["version"]["bands_source"] == INDEX_766_V1.bands_source
    version = body["evaluation"]["version"]
    assert (version["code"], version["legal_source"]) == (evaluation.code, evaluation.legal_source)
    assert version["effective_from"] == evaluation.effective_from.isoformat()
    assert version["effective_to"] == (evaluation.effective_to.isoformat() if evaluation.effective_to else None)
    assert isinstance(body["band"], str) and body["ranking"] and all("band" in row for row in body["ranking"])
    jsonschema.validate(body, _documented())


def test_the_documented_answer_requires_the_new_fields(db: None) -> None:
    schema = _documented()
    assert {"ranking_note", "bands_source"} <= set(schema["properties"]["version"]["required"])
    evaluation = schema["properties"]["evaluation"]
    assert {"code", "legal_source"} <= set(evaluation["properties"]["version"]["required"])
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"version": {"code": "766-2022.1"}}, {**schema, "required": ["version"]})
