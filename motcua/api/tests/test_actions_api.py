"""The API answers every dossier with what the caller may do now, and signs only at the signing step."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from motcua.conftest import client_for
from motcua.core import clock
from motcua.core.tests.samples import result_pdf
from motcua.dossiers.lifecycle import Action, Status
from motcua.dossiers.models import Dossier, ResultDocument
from motcua.dossiers.services import attach_result, complete_step, perform
from motcua.dossiers.tests.factories import TUESDAY_9AM, load_catalogue, receive, user
from motcua.signing.models import DocumentType, IssueSequence, ResultSigning, SignedDocument

pytestmark = pytest.mark.django_db
PROBLEM = "application/problem+json"


@pytest.fixture
def birth() -> Dossier:
    load_catalogue()
    with clock.frozen(TUESDAY_9AM):
        dossier = receive()
    gks = DocumentType.objects.create(code="gks", name="Giấy khai sinh", abbreviation="GKS")
    ResultSigning.objects.create(version=dossier.version, document_type=gks)
    return dossier


def offered(answer: dict[str, object]) -> dict[str, tuple[bool, str]]:
    return {a["action"]: (a["allowed"], a["reason"]) for a in answer["actions"]}  # type: ignore[attr-defined,index]


def test_each_answer_lists_what_the_caller_may_do_now(birth: Dossier) -> None:
    with clock.frozen(TUESDAY_9AM):
        counter = offered(client_for("mytho.motcua").get(f"/api/v1/dossiers/{birth.code}").json())
        leader = offered(client_for("mytho.lanhdao").get(f"/api/v1/dossiers/{birth.code}").json())
    assert counter["start"] == (True, "") and counter["withdraw"] == (True, "")
    assert leader["start"] == (True, "") and leader["withdraw"][0] is False
    assert "không có quyền" in leader["withdraw"][1]
    assert client_for("stp.motcua").get(f"/api/v1/dossiers/{birth.code}").status_code == 404


def test_sign_result_over_the_api_only_at_the_signing_step(birth: Dossier) -> None:
    chairman = client_for("mytho.lanhdao")
    with clock.frozen(TUESDAY_9AM):
        early = chairman.post(f"/api/v1/dossiers/{birth.code}/actions/sign-result", {}, format="json")
        assert early.status_code == 409 and early["Content-Type"] == PROBLEM
        perform(birth, Action.START, actor=user("mytho.motcua"))
        complete_step(birth, actor=user("mytho.motcua"))
        # The chairman's step is not reached: a result attached by him is refused, and nothing is stored.
        upload = SimpleUploadedFile("kq.pdf", result_pdf(), content_type="application/pdf")
        refused = chairman.post(f"/api/v1/dossiers/{birth.code}/results", {"title": "GKS", "file": upload})
        assert refused.status_code == 403 and not ResultDocument.objects.exists()
        attach_result(birth, actor=user("mytho.chuyenvien"), title="Giấy khai sinh", pdf=upload.open().read())
        complete_step(birth, actor=user("mytho.chuyenvien"))
        assert offered(chairman.get(f"/api/v1/dossiers/{birth.code}").json())["sign-result"] == (True, "")
        signed = chairman.post(f"/api/v1/dossiers/{birth.code}/actions/sign-result", {}, format="json")
    assert signed.status_code == 200, signed.json()
    body = signed.json()
    assert body["status"] == Status.PROCESSING and offered(body)["sign-result"][0] is False
    document = SignedDocument.objects.get()
    assert document.notation == "01/GKS-UBND" and IssueSequence.objects.get().last_number == 1
    assert ResultDocument.objects.filter(dossier=birth, signature=document.public_id).exists()


def test_each_action_takes_its_own_body(birth: Dossier) -> None:
    counter = client_for("mytho.motcua")
    with clock.frozen(TUESDAY_9AM):
        missing = counter.post(f"/api/v1/dossiers/{birth.code}/actions/withdraw", {}, format="json")
        assert missing.status_code == 400 and missing.json()["errors"]["reason"]
        unknown = counter.post(f"/api/v1/dossiers/{birth.code}/actions/attach-result", {}, format="json")
        assert unknown.status_code == 404 and unknown.json()["code"] == "unknown_action"
    assert Dossier.objects.get(pk=birth.pk).status == Status.RECEIVED


def test_the_schema_documents_each_action_body() -> None:
    schema = client_for(None).get("/api/schema/?format=json").json()
    body = schema["paths"]["/api/v1/dossiers/{code}/actions/{action}"]["post"]["requestBody"]
    components = schema["components"]["schemas"]
    union = components[body["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[1]]
    shapes = {ref["$ref"].rsplit("/", 1)[1].removesuffix("Request") for ref in union["oneOf"]}
    assert {"ExtendInput", "SupplementInput", "AssignInput", "SignInput", "RateInput", "ReturnInput"} <= shapes
    assert sorted(components["ExtendInputRequest"]["required"]) == ["new_due_at", "reason"]
