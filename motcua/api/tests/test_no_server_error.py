"""Walk every API operation with hostile path parameters, query values and bodies: never a 5xx, always the schema.

Each URL pattern under /api/v1/ is found by walking the URL resolver, so a new endpoint is fuzzed without being
listed here. Every answer must be below 500, problem+json when it is an error, and carry a status the generated
OpenAPI schema documents for that operation. Run on PostgreSQL: it refuses the NUL bytes SQLite stores.
"""

import json
import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote

import pytest
from django.core.cache import cache
from drf_spectacular.generators import SchemaGenerator
from jsonschema import Draft4Validator, FormatChecker
from rest_framework.test import APIClient

from motcua.conftest import client_for
from motcua.core import clock
from motcua.core.tests.routes import routes
from motcua.dossiers.models import Dossier
from motcua.dossiers.tests.factories import TUESDAY_9AM, load_catalogue, receive

pytestmark = pytest.mark.django_db
PROBLEM = "application/problem+json"
ROLES = {"anonymous": None, "officer": "mytho.motcua", "admin": "quantri"}

# What a path parameter may be sent as: each one a value that once reached, or could reach, a query unguarded.
HOSTILE_PATH_VALUES = {
    "nul": "\x00",
    "overlong digits": "9" * 4000,  # matches <int:…> and \d+: an integer no column holds
    "c1 control": "\u0084",
    "bidi override": "\u202e1.001193",
    "astral": "\U0001d54f\U0001f600",
    "arabic-indic digits": "\u0661\u0662\u0663",  # \d in a re_path matches them; int() reads them
    "zero width": "\ufeff\u200b",
    "dot dot": "..",
    "quote": "' OR 1=1 --",
    "percent": "%",
}
HOSTILE_QUERY_VALUES = ["\x00", "9" * 30, "-1", "x" * 3000, "\u202e", "1e400", "nan", "2026-02-30", ""]
HOSTILE_BODY_VALUES: list[Any] = ["\u202e", "9" * 400, 10**30, -1, 1.5e308, [], {}, None, True, "x" * 20_000]
_GROUP = re.compile(r"\(\?P<(\w+)>[^)]*\)|<(?:\w+:)?(\w+)>")


def operation_templates() -> Iterator[str]:
    """Give the OpenAPI path of every URL pattern under /api/v1/, in the schema's `{name}` form."""
    for found in routes():
        if found.route.startswith("api/v1/"):
            route = _GROUP.sub(lambda m: "{" + (m.group(1) or m.group(2)) + "}", found.route)
            yield "/" + route.replace("^", "").replace("$", "").replace("\\.", ".")


TEMPLATES = sorted(set(operation_templates()))


@pytest.fixture(scope="module")
def schema(django_db_blocker: Any) -> dict[str, Any]:
    with django_db_blocker.unblock():
        return SchemaGenerator().get_schema(request=None, public=True)  # type: ignore[no-any-return]


@pytest.fixture
def dossier(db: None) -> Dossier:
    """One real dossier, so that the parameters beside the hostile one lead as deep as they can."""
    load_catalogue()
    cache.clear()
    with clock.frozen(TUESDAY_9AM):
        return receive()


def plausible(template: str, name: str, dossier: Dossier) -> str:
    if name == "code":
        if "/units/" in template:
            return "82.STP"
        if "/procedures/" in template:
            return "1.001193"
        return dossier.code
    return {"unit_id": str(dossier.receiving_unit_id), "kind": "xlsx", "fmt": "xlsx", "action": "receive"}.get(
        name, "01"
    )


def fill(template: str, dossier: Dossier, **values: str) -> str:
    def value(match: re.Match[str]) -> str:
        name = match.group(1)
        return quote(values[name] if name in values else plausible(template, name, dossier), safe="")

    return re.sub(r"\{(\w+)\}", value, template)


class Verdicts:
    """Every request's answer, checked as a whole so that one run names every failing operation."""

    def __init__(self, schema: dict[str, Any]) -> None:
        self.schema = schema
        self.components = json_schema(schema["components"])
        self.failures: list[str] = []
        self.count = 0

    def check(self, template: str, method: str, url: str, response: Any) -> None:
        self.count += 1
        where = f"{method} {url[:120]} → {response.status_code} {response.content[:100]!r}"
        if response.status_code >= 500:
            self.failures.append(f"server error: {where}")
            return
        if response.status_code >= 400 and response["Content-Type"] != PROBLEM:
            self.failures.append(f"not problem+json ({response['Content-Type']}): {where}")
        documented = self.schema["paths"].get(template, {}).get(method.lower())
        if documented is None:
            return
        described = documented["responses"].get(str(response.status_code))
        if described is None:
            self.failures.append(f"undocumented status: {where} (documented {sorted(documented['responses'])})")
            return
        body_schema = described.get("content", {}).get(response["Content-Type"], {}).get("schema")
        if body_schema is not None and response["Content-Type"] in {"application/json", PROBLEM}:
            # Formats are checked: the schema tells an empty e-mail from an address by `format: email` alone.
            validator = Draft4Validator(
                {**json_schema(body_schema), "components": self.components}, format_checker=FormatChecker()
            )
            for error in validator.iter_errors(response.json()):
                self.failures.append(f"breaks the schema: {where}: {error.message[:200]} at {list(error.path)}")

    def assert_clean(self) -> None:
        assert self.count > 0
        assert not self.failures, f"{len(self.failures)} of {self.count} answers:\n" + "\n".join(self.failures)


def json_schema(node: Any) -> Any:
    """Turn OpenAPI 3.0's `nullable: true` into JSON Schema's null type, all the way down."""
    if isinstance(node, list):
        return [json_schema(item) for item in node]
    if not isinstance(node, dict):
        return node
    converted = {key: json_schema(value) for key, value in node.items() if key != "nullable"}
    return {"anyOf": [converted, {"type": "null"}]} if node.get("nullable") else converted


def client(role: str) -> APIClient:
    made = client_for(ROLES[role])
    made.raise_request_exception = False  # a server error must show as the 500 it is
    return made


def methods(schema: dict[str, Any], template: str) -> list[str]:
    return sorted({"get", *schema["paths"].get(template, {})} - {"parameters"})


def test_every_api_url_pattern_is_walked(schema: dict[str, Any]) -> None:
    assert len(TEMPLATES) >= 20
    assert set(TEMPLATES) == set(schema["paths"]), "a pattern without an operation, or the reverse"


@pytest.mark.parametrize("role", ROLES)
def test_hostile_path_parameters_never_cause_a_server_error(
    role: str, schema: dict[str, Any], dossier: Dossier
) -> None:
    verdicts, api = Verdicts(schema), client(role)
    for template in TEMPLATES:
        for name in re.findall(r"\{(\w+)\}", template):
            for value in HOSTILE_PATH_VALUES.values():
                url = fill(template, dossier, **{name: value})
                for method in methods(schema, template):
                    response = api.generic(method.upper(), url, "{}", content_type="application/json")
                    verdicts.check(template, method, url, response)
    verdicts.assert_clean()


@pytest.mark.parametrize("role", ROLES)
def test_hostile_query_values_never_cause_a_server_error(role: str, schema: dict[str, Any], dossier: Dossier) -> None:
    verdicts, api = Verdicts(schema), client(role)
    for template, operations in schema["paths"].items():
        documented = operations.get("get", {}).get("parameters", [])
        names = [p["name"] for p in documented if p["in"] == "query"]
        url = fill(template, dossier)
        for name in names:
            for value in HOSTILE_QUERY_VALUES:
                query = f"{url}?{name}={value[:12]!r}"
                verdicts.check(template, "get", query, api.get(url, {name: value}))
    verdicts.assert_clean()


# Valid bodies to spoil one value at a time, so that the spoilt value is the only thing wrong with the request.
VALID_BODIES: dict[tuple[str, str], dict[str, Any]] = {
    ("post", "/api/v1/auth/token"): {"username": "quantri", "password": "sai-mat-khau"},
    ("post", "/api/v1/dossiers"): {
        "procedure": "1.001193",
        "channel": 1,
        "receiving_unit": "28261.TTPVHCC",
        "applicant": {"name": "Trần Thị Bình", "citizen_id": "087195004321", "phone": "0901234567"},
        "papers": [{"component": "GT1", "originals": 1}, {"component": "GT2", "originals": 1}],
    },
    ("post", "/api/v1/units"): {"code": "82.BQL", "name": "Ban Quản lý", "type": "department", "parent": "82.UBND"},
    ("patch", "/api/v1/units/{code}"): {"name": "Sở Tư pháp"},
}


def spoilt(schema: dict[str, Any], body_schema: dict[str, Any], valid: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """Give the valid body with each property, top-level or one level down, set to each hostile value in turn."""
    for name in sorted(set(properties(schema, body_schema)) | set(valid)):
        for value in HOSTILE_BODY_VALUES:
            yield {**valid, name: value}
        if isinstance(valid.get(name), dict):
            for inner in valid[name]:
                for value in HOSTILE_BODY_VALUES:
                    yield {**valid, name: {**valid[name], inner: value}}


@pytest.mark.parametrize("role", ["officer", "admin"])
def test_hostile_body_values_never_cause_a_server_error(role: str, schema: dict[str, Any], dossier: Dossier) -> None:
    verdicts, api = Verdicts(schema), client(role)
    for template, operations in schema["paths"].items():
        for method, operation in operations.items():
            content = operation.get("requestBody", {}).get("content", {}) if isinstance(operation, dict) else {}
            if "application/json" not in content:
                continue
            url = fill(template, dossier)
            for body in spoilt(
                schema, content["application/json"]["schema"], VALID_BODIES.get((method, template), {})
            ):
                response = api.generic(method.upper(), url, json.dumps(body), content_type="application/json")
                verdicts.check(template, method, f"{url} {json.dumps(body)[:80]}", response)
    verdicts.assert_clean()


def properties(schema: dict[str, Any], body: dict[str, Any]) -> list[str]:
    """Give the top-level property names of a request body schema (all variants of a oneOf)."""
    variants = body.get("oneOf", [body])
    names: set[str] = set()
    for variant in variants:
        if "$ref" in variant:
            variant = schema["components"]["schemas"][variant["$ref"].rsplit("/", 1)[1]]
        names |= set(variant.get("properties", {}))
    return sorted(names)
