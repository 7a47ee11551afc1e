import inspect

import pytest
from django.utils import translation
from rest_framework import exceptions, fields, relations, serializers
from rest_framework.test import APIClient

from motcua.demo.seed import DEMO_PASSWORD

pytestmark = pytest.mark.django_db


def test_token_for_valid_credentials_opens_writes(api: APIClient) -> None:
    response = api.post("/api/v1/auth/token", {"username": "quantri", "password": DEMO_PASSWORD}, format="json")
    assert response.status_code == 200
    token = response.json()["token"]
    assert len(token) == 64
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert api.patch("/api/v1/units/82.SYT", {"short_name": "SYT"}, format="json").status_code == 200


@pytest.mark.parametrize(
    ("payload", "code"),
    [
        ({"username": "quantri", "password": "sai"}, "invalid_credentials"),
        ({"username": "quantri"}, "invalid"),
        ({}, "invalid"),
    ],
)
def test_bad_credentials_are_refused(api: APIClient, payload: dict[str, str], code: str) -> None:
    response = api.post("/api/v1/auth/token", payload, format="json")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["code"] == code


def test_malformed_json_is_a_problem(api: APIClient) -> None:
    response = api.generic("POST", "/api/v1/auth/token", "{not json", content_type="application/json")
    assert response.status_code == 400
    assert response.json()["code"] == "parse_error"
    assert "JSON không hợp lệ" in response.json()["detail"]


def test_bad_token_is_refused(api: APIClient) -> None:
    api.credentials(HTTP_AUTHORIZATION="Token " + "0" * 40)
    response = api.get("/api/v1/units")
    assert response.status_code == 401
    assert response.json()["code"] == "authentication_failed"


def test_schema_is_openapi_3_and_docs_work_offline(api: APIClient) -> None:
    schema = api.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert schema.status_code == 200
    body = schema.json()
    assert body["openapi"].startswith("3.")
    assert {"/api/v1/units", "/api/v1/units/{code}", "/api/v1/auth/token"} <= set(body["paths"])
    docs = api.get("/api/docs/")
    assert docs.status_code == 200
    html = docs.content.decode()
    assert "swagger-ui" in html and "/static/drf_spectacular_sidecar/" in html
    assert "//cdn" not in html.lower() and "cdn." not in html.lower()  # assets served locally


def test_every_message_of_the_api_framework_has_a_vietnamese_text() -> None:
    """Field and request errors come from DRF, whose own Vietnamese catalogue is partial: motcua/locale/vi fills it."""
    messages = [
        message
        for module in (fields, relations, serializers)
        for _name, cls in inspect.getmembers(module, inspect.isclass)
        for klass in cls.__mro__
        for message in getattr(klass, "default_error_messages", {}).values()
    ]
    messages += [
        cls.default_detail
        for _name, cls in inspect.getmembers(exceptions, inspect.isclass)
        if issubclass(cls, exceptions.APIException)
    ]
    untranslated = set()
    for message in messages:
        with translation.override("en"):
            english = str(message)
        with translation.override("vi"):
            if english and str(message) == english:
                untranslated.add(english)
    assert not untranslated
