"""Signing is the process's signing step, on the result the drafting step attached, and nowhere else."""

import hashlib
import subprocess
from datetime import date, datetime
from pathlib import Path

import pytest
from django.test import Client, override_settings
from weasyprint import HTML

from motcua.catalogue.selectors import get_version_on
from motcua.conftest import browser_for
from motcua.core import clock
from motcua.core.clock import VIETNAM
from motcua.core.errors import ConflictError, DomainError, NotPermittedError
from motcua.core.tests.samples import result_pdf
from motcua.documents.results import generate_result, refusal_to_generate, sign_result
from motcua.dossiers.lifecycle import Action, Status
from motcua.dossiers.models import Dossier, ResultDocument
from motcua.dossiers.rules import available_actions
from motcua.dossiers.services import attach_result, complete_step, perform
from motcua.dossiers.tests.factories import load_catalogue, online, receive, user
from motcua.eforms.tests.birth import publish_birth_form
from motcua.signing.models import (
    DocumentType,
    IssueSequence,
    Refusal,
    RegisterEntry,
    ResultSigning,
    SignedDocument,
)
from motcua.signing.services import verify_record

pytestmark = pytest.mark.django_db
TUESDAY_9AM = datetime(2026, 3, 10, 9, 0, tzinfo=VIETNAM)


def two_pages() -> bytes:
    html = "<p>Trang thứ nhất của kết quả</p><p style='break-before: page'>Trang thứ hai của kết quả</p>"
    pdf: bytes = HTML(string=html).write_pdf()
    return pdf


def pages(content: bytes, tmp_path: Path, name: str) -> list[str]:
    path = tmp_path / name
    path.write_bytes(content)
    text = subprocess.run(["pdftotext", path, "-"], capture_output=True, text=True, check=True).stdout
    return [" ".join(page.split()) for page in text.split("\f") if page.strip()]


@pytest.fixture
def birth() -> Dossier:
    load_catalogue()
    with clock.frozen(TUESDAY_9AM):
        dossier = receive()
    certificate = DocumentType.objects.create(code="gks", name="Giấy khai sinh", abbreviation="GKS")
    ResultSigning.objects.create(version=dossier.version, document_type=certificate, step_number=3)
    return dossier


def at_signing_step(dossier: Dossier, pdf: bytes | None = None) -> None:
    perform(dossier, Action.START, actor=user("mytho.motcua"))
    complete_step(dossier, actor=user("mytho.motcua"))  # reception → the check
    if pdf is not None:
        attach_result(dossier, actor=user("mytho.chuyenvien"), title="Giấy khai sinh", pdf=pdf)
    complete_step(dossier, actor=user("mytho.chuyenvien"))  # the check → the chairman's signing step


def offered(dossier: Dossier, username: str) -> bool:
    fresh = Dossier.objects.get(pk=dossier.pk)
    return Action.SIGN_RESULT in {o.action for o in available_actions(fresh, user(username)) if o.allowed}


def nothing_numbered() -> None:
    assert not SignedDocument.objects.exists()
    assert not IssueSequence.objects.filter(last_number__gt=0).exists()


def test_the_attached_result_itself_is_signed_and_the_step_completes(birth: Dossier, tmp_path: Path) -> None:
    original = two_pages()
    with clock.frozen(TUESDAY_9AM):
        at_signing_step(birth, original)
        assert offered(birth, "mytho.lanhdao")
        signed = sign_result(Dossier.objects.get(pk=birth.pk), user("mytho.lanhdao"))
    with signed.pdf.open("rb") as stored:
        content = stored.read()
    before, after = pages(original, tmp_path, "a.pdf"), pages(content, tmp_path, "b.pdf")
    assert len(after) == len(before) == 2
    assert after[0] == before[0]  # the first page is untouched
    assert after[1].startswith(before[1]) and "TM. ỦY BAN NHÂN DÂN" in after[1] and signed.notation in after[1]
    assert (
        subprocess.run(["pdfsig", tmp_path / "b.pdf"], capture_output=True, text=True).stdout.count("Signature #") == 1
    )
    assert verify_record(signed).is_valid
    result = ResultDocument.objects.filter(dossier=birth).order_by("pk").last()
    assert result is not None
    assert (result.signature, result.sha256) == (signed.public_id, hashlib.sha256(content).hexdigest())
    dossier = Dossier.objects.get(pk=birth.pk)
    actions = list(dossier.events.order_by("sequence").values_list("action", flat=True))
    assert actions[-2:] == [Action.SIGN_RESULT, Action.TRANSFER]  # signed, then handed to the counter
    assert dossier.status == Status.PROCESSING and not offered(dossier, "mytho.lanhdao")
    with clock.frozen(TUESDAY_9AM):
        complete_step(dossier, actor=user("mytho.motcua"))
    assert Dossier.objects.get(pk=birth.pk).status == Status.FINISHED


@pytest.mark.parametrize("stage", ["received", "withdrawn", "checking"])
def test_signing_is_refused_and_not_offered_outside_the_signing_step(birth: Dossier, stage: str) -> None:
    with clock.frozen(TUESDAY_9AM):
        if stage == "withdrawn":
            perform(birth, Action.WITHDRAW, actor=user("mytho.motcua"), reason="Người nộp rút")
        if stage == "checking":
            perform(birth, Action.START, actor=user("mytho.motcua"))
            complete_step(birth, actor=user("mytho.motcua"))
            attach_result(birth, actor=user("mytho.chuyenvien"), title="Giấy khai sinh", pdf=two_pages())
        assert not offered(birth, "mytho.lanhdao")
        with pytest.raises((ConflictError, NotPermittedError)):
            sign_result(Dossier.objects.get(pk=birth.pk), user("mytho.lanhdao"))
    nothing_numbered()


def test_signing_needs_the_holder_and_a_result(birth: Dossier) -> None:
    with clock.frozen(TUESDAY_9AM):
        at_signing_step(birth)
        assert not offered(birth, "mytho.lanhdao")
        with pytest.raises(ConflictError, match="đính kèm kết quả"):
            sign_result(Dossier.objects.get(pk=birth.pk), user("mytho.lanhdao"))
        for stranger in ("mytho.chuyenvien", "stp.lanhdao", "mytho.motcua"):
            assert not offered(birth, stranger)
            with pytest.raises(NotPermittedError):
                sign_result(Dossier.objects.get(pk=birth.pk), user(stranger))
        # The later steps never make the result: the chairman cannot attach one at his own step.
        with pytest.raises(ConflictError, match="chỉ được đính kèm"):
            attach_result(birth, actor=user("mytho.lanhdao"), title="Giấy khai sinh", pdf=two_pages())
    nothing_numbered()


def test_a_signer_the_register_refuses_is_not_offered_and_the_refusal_is_recorded(birth: Dossier) -> None:
    deputy = user("mytho.phochutich")  # may do the chairman's step where the province allows it, but is assigned
    # only to Chứng thực: the register refuses
    with clock.frozen(TUESDAY_9AM), override_settings(MOTCUA_DEPUTY_MAY_ACT_FOR_HEAD=True):
        at_signing_step(birth, two_pages())
        here = Dossier.objects.get(pk=birth.pk)
        refusal = next(o for o in available_actions(here, deputy) if o.action is Action.SIGN_RESULT)
        assert not refusal.allowed and "lĩnh vực" in refusal.refusal
        assert not Refusal.objects.exists()  # asking records nothing
        with pytest.raises(NotPermittedError, match="lĩnh vực"):
            sign_result(here, deputy)
    assert Refusal.objects.count() == 1
    nothing_numbered()


def test_a_correction_is_a_new_version_and_the_old_one_stays_verifiable(birth: Dossier) -> None:
    with clock.frozen(TUESDAY_9AM):
        at_signing_step(birth, two_pages())
        first = sign_result(Dossier.objects.get(pk=birth.pk), user("mytho.lanhdao"))
        # The counter finds a misspelt name: back to the signing step, then to the check step.
        perform(birth, Action.RETURN_STEP, actor=user("mytho.motcua"), reason="Sai chính tả họ tên")
        perform(birth, Action.RETURN_STEP, actor=user("mytho.lanhdao"), reason="Sai chính tả họ tên")
        corrected = result_pdf("Giấy khai sinh", "Họ tên đã sửa")
        with pytest.raises(DomainError, match="lý do đính chính"):
            attach_result(birth, actor=user("mytho.chuyenvien"), title="Giấy khai sinh", pdf=corrected)
        attach_result(
            birth, actor=user("mytho.chuyenvien"), title="Giấy khai sinh", pdf=corrected,
            reason="Sửa họ tên người được đăng ký",
        )  # fmt: skip
        complete_step(birth, actor=user("mytho.chuyenvien"))
        second = sign_result(Dossier.objects.get(pk=birth.pk), user("mytho.lanhdao"))
    assert second.supersedes == first and second.correction == "Sửa họ tên người được đăng ký"
    assert first.number != second.number and verify_record(first).is_valid
    assert SignedDocument.objects.get(pk=first.pk).superseded_by == second
    page = Client().get(f"/xac-thuc/{first.public_id}").content.decode()
    assert 'data-superseded="true"' in page and second.notation in page and "Sửa họ tên" in page
    answer = Client().get(f"/api/v1/verify/{first.public_id}").json()["document"]
    assert answer["superseded_by"] == {"id": str(second.public_id), "notation": second.notation}


def test_an_online_dossier_not_yet_accepted_offers_no_signing(birth: Dossier) -> None:
    with clock.frozen(TUESDAY_9AM):
        waiting = online()
        ResultSigning.objects.get_or_create(
            version=waiting.version, defaults={"document_type": DocumentType.objects.get(code="gks")}
        )
        assert not offered(waiting, "mytho.lanhdao")
    nothing_numbered()


def test_a_change_to_the_register_is_seen_at_once_by_what_is_offered(birth: Dossier) -> None:
    with clock.frozen(TUESDAY_9AM):
        at_signing_step(birth, two_pages())
        assert offered(birth, "mytho.lanhdao")  # the register's answer is now kept for this question
        entry = RegisterEntry.objects.get(official__username="mytho.lanhdao", body__unit__code="28261.UBND")
        entry.valid_to = date(2026, 3, 9)  # the chairman's mandate ended yesterday
        entry.save()
        assert not offered(birth, "mytho.lanhdao")
        with pytest.raises(NotPermittedError):
            sign_result(Dossier.objects.get(pk=birth.pk), user("mytho.lanhdao"))
    nothing_numbered()


def test_a_result_is_generated_only_from_a_filed_tờ_khai_and_a_template(birth: Dossier) -> None:
    publish_birth_form()  # the procedure has its template; this dossier was filed on paper, without the tờ khai
    with clock.frozen(TUESDAY_9AM):
        perform(birth, Action.START, actor=user("mytho.motcua"))
        complete_step(birth, actor=user("mytho.motcua"))  # at the specialist's check, where the result is drafted
        with pytest.raises(DomainError, match="không nộp kèm tờ khai điện tử") as refused:
            generate_result(birth, user("mytho.chuyenvien"))
        page = browser_for("mytho.chuyenvien").get(f"/can-bo/ho-so/{birth.code}/").content.decode()
    assert refused.value.field == "file" and not ResultDocument.objects.exists()
    # The page offers the upload, says why it cannot generate, and proposes the register's name for the result.
    assert 'data-generate-refusal="true"' in page and refusal_to_generate(birth) in page
    assert "Tạo kết quả từ tờ khai" not in page and 'name="ten" value="Giấy khai sinh"' in page
    untemplated = Dossier(version=get_version_on("1.000002"), form_id=birth.pk)  # a form, but no result template
    assert refusal_to_generate(untemplated).startswith("Thủ tục này chưa có mẫu kết quả")
