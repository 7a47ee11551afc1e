"""The register in the database, refusals as events, numbering, and signatures checked by pyHanko and poppler."""

import subprocess
from datetime import date, datetime
from pathlib import Path

import pytest
from django.test import override_settings

from motcua.catalogue.models import Field
from motcua.core import clock
from motcua.core.clock import VIETNAM
from motcua.core.errors import NotPermittedError
from motcua.core.tests.samples import result_pdf
from motcua.dossiers.tests.factories import load_catalogue, receive, user
from motcua.organizations.models import Membership, Position, Role, Unit
from motcua.signing import pdf, services
from motcua.signing.authority import Mode
from motcua.signing.keys import issue_test_certificate
from motcua.signing.models import (
    DocumentType,
    IssuingBody,
    Refusal,
    RegisterEntry,
    ResultSigning,
    SignedDocument,
)

pytestmark = pytest.mark.django_db
MORNING = datetime(2026, 3, 10, 9, 0, tzinfo=VIETNAM)


@pytest.fixture(autouse=True)
def at_nine() -> object:
    with clock.frozen(MORNING):
        yield


def doc_type(code: str) -> DocumentType:
    return DocumentType.objects.get(code=code)


@pytest.fixture
def birth_dossier():  # type: ignore[no-untyped-def]
    load_catalogue()
    dossier = receive()
    ResultSigning.objects.create(
        version=dossier.version,
        document_type=DocumentType.objects.create(code="gks", name="Giấy khai sinh", abbreviation="GKS"),
    )
    return dossier


def test_head_of_the_commune_signs_the_birth_certificate_under_tm(birth_dossier) -> None:  # type: ignore[no-untyped-def]
    result = services.can_sign(user("mytho.lanhdao"), doc_type("gks"), birth_dossier, date(2026, 3, 10))
    assert result.allowed and result.block_text == "TM. ỦY BAN NHÂN DÂN / CHỦ TỊCH / Đặng Văn Chủ Tịch"
    assert result.entry is not None and result.entry.mode == Mode.HEAD
    assert not Refusal.objects.exists()


def test_deputy_outside_their_field_is_refused_and_the_refusal_recorded(birth_dossier) -> None:  # type: ignore[no-untyped-def]
    deputy = RegisterEntry.objects.get(official__username="mytho.phochutich")
    deputy.fields.set([Field.objects.create(code="LOCAL.CHUNGTHUC", name="Chứng thực")])
    result = services.can_sign(user("mytho.phochutich"), doc_type("gks"), birth_dossier, date(2026, 3, 10))
    assert not result.allowed
    assert result.reason == "Phó Chủ tịch không được phân công lĩnh vực Hộ tịch."
    refusal = Refusal.objects.get()
    assert (refusal.official.username, refusal.dossier, refusal.entry, refusal.reason) == (
        "mytho.phochutich", birth_dossier, deputy, result.reason
    )  # fmt: skip
    with pytest.raises(Exception, match="chỉ được thêm"):
        refusal.save()
    with pytest.raises(Exception, match="chỉ được thêm"):
        refusal.delete()


def test_the_wrong_result_type_and_an_unconfigured_procedure_are_refused(birth_dossier) -> None:  # type: ignore[no-untyped-def]
    wrong = services.can_sign(user("mytho.lanhdao"), doc_type("quyet_dinh"), birth_dossier)
    assert wrong.reason == "Kết quả của thủ tục này là Giấy khai sinh, không phải Quyết định (cá biệt)."
    ResultSigning.objects.all().delete()
    missing = services.can_sign(user("mytho.lanhdao"), doc_type("gks"), birth_dossier)
    assert missing.reason == "Thủ tục Đăng ký khai sinh chưa được khai báo thẩm quyền ký kết quả."
    assert Refusal.objects.count() == 2


def test_tuq_of_the_province_expires_and_someone_outside_the_body_cannot_sign() -> None:
    province = Unit.objects.get(code="82.UBND")
    director = user("stp.lanhdao")
    ok = services.can_sign(director, doc_type("quyet_dinh"), on=date(2026, 12, 31), unit=province)
    assert ok.block_text == "TUQ. CHỦ TỊCH / GIÁM ĐỐC SỞ TƯ PHÁP / Phạm Văn Giám Đốc"
    late = services.can_sign(director, doc_type("quyet_dinh"), on=date(2027, 1, 4), unit=province)
    assert late.reason == "Ủy quyền TUQ đã hết hạn ngày 31/12/2026."
    stranger = services.can_sign(user("mytho.lanhdao"), doc_type("quyet_dinh"), unit=Unit.objects.get(code="82.STP"))
    assert (
        stranger.reason
        == "Đặng Văn Chủ Tịch không công tác tại Sở Tư pháp hoặc đơn vị trực thuộc vào ngày 10/03/2026."
    )
    left = Membership.objects.get(user=director, unit__code="82.STP")
    left.valid_to = date(2026, 3, 1)
    left.save()
    gone = services.can_sign(director, doc_type("quyet_dinh"), unit=Unit.objects.get(code="82.STP"))
    assert "không công tác tại Sở Tư pháp" in gone.reason
    assert Refusal.objects.count() == 3


def test_register_refuses_re_delegation_and_open_ended_tuq() -> None:
    tuq = RegisterEntry.objects.get(mode=Mode.AUTHORISED)
    again = RegisterEntry(
        body=tuq.body, official=user("stp.chuyenvien"), mode=Mode.BY_ORDER, title="Chuyên viên", delegated_from=tuq,
        valid_from=date(2026, 1, 1), decision_number="1/UQ", decision_date=date(2026, 1, 1),
    )  # fmt: skip
    with pytest.raises(Exception, match="Không được ủy quyền lại"):
        again.clean()
    tuq.valid_to = None
    with pytest.raises(Exception, match="phải có thời hạn"):
        tuq.clean()


def test_numbers_run_per_body_and_year() -> None:
    commune = IssuingBody.objects.get(unit__code="28261.UBND")
    department = IssuingBody.objects.get(unit__code="82.STP")
    assert [services.take_number(commune, 2026) for _ in range(3)] == [1, 2, 3]
    assert services.take_number(department, 2026) == 1
    assert services.take_number(commune, 2027) == 1
    assert services.notation(5, doc_type("quyet_dinh"), commune) == "05/QĐ-UBND"
    assert services.notation(123, doc_type("cong_van"), department) == "123/STP"


def test_sign_document_end_to_end(birth_dossier, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    content = result_pdf()
    document = services.sign_document(
        content,
        official=user("mytho.lanhdao"),
        document_type=doc_type("gks"),
        summary="Giấy khai sinh",
        dossier=birth_dossier,
    )
    assert (document.notation, document.issued_on, document.block) == (
        "01/GKS-UBND", date(2026, 3, 10), "TM. ỦY BAN NHÂN DÂN / CHỦ TỊCH / Đặng Văn Chủ Tịch"
    )  # fmt: skip
    signed = document.pdf.open("rb").read()
    # pyHanko: intact, valid, trusted by the configured roots, nothing added after signing.
    check = pdf.validate(signed)
    assert check.is_valid, check.reason
    assert check.public_id == str(document.public_id)
    assert services.verify_record(document).is_valid
    # poppler's pdfsig, an independent implementation (it does not know the test CA, so only the maths is asked).
    path = tmp_path / "signed.pdf"
    path.write_bytes(signed)
    report = subprocess.run(["pdfsig", str(path)], capture_output=True, text=True, check=True).stdout
    assert "Signature is Valid." in report and "Total document signed" in report
    assert "CN=Đặng Văn Chủ Tịch" in report
    # The stamp is Vietnamese text in the PDF, and the QR code leads to the verification page.
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    assert "TM. ỦY BAN NHÂN DÂN" in text and "Số: 01/GKS-UBND, ngày 10/03/2026" in text
    subprocess.run(["pdftoppm", "-r", "150", "-png", "-singlefile", str(path), str(tmp_path / "page")], check=True)
    qr = subprocess.run(["zbarimg", "-q", "--raw", str(tmp_path / "page.png")], capture_output=True, text=True).stdout
    assert document.verification_url() in qr.split()
    # One changed byte inside the signed range is detected.
    tampered = bytearray(signed)
    tampered[signed.index(b"stream") + 20] ^= 0x01
    broken = services.verify_upload(bytes(tampered))
    assert not broken.is_valid
    assert broken.reason == "Nội dung tệp đã bị thay đổi sau khi ký: mã băm không khớp với chữ ký."
    assert broken.document == document  # traced through the signature field's name
    # The same file uploaded as it is matches the record.
    same = services.verify_upload(signed)
    assert same.is_valid and same.matches_record and same.document == document
    # The next document of the same body takes the next number.
    second = services.sign_document(
        content,
        official=user("mytho.lanhdao"),
        document_type=doc_type("gks"),
        summary="Giấy khai sinh",
        dossier=birth_dossier,
    )
    assert second.notation == "02/GKS-UBND"


def test_refused_signing_takes_no_number_and_stores_nothing(birth_dossier) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(NotPermittedError, match="không có tên trong sổ"):
        services.sign_document(
            b"%PDF-1.7",
            official=user("mytho.chuyenvien"),
            document_type=doc_type("gks"),
            summary="x",
            dossier=birth_dossier,
        )
    assert not SignedDocument.objects.exists()
    assert Refusal.objects.get().reason.startswith("Huỳnh Văn Chuyên Viên không có tên trong sổ")


def test_a_certificate_of_someone_else_is_refused(birth_dossier, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    passphrase = b"motcua-demo"
    issue_test_certificate(
        tmp_path, username="mytho.lanhdao", full_name="Trần Văn Khác", organisation="UBND", passphrase=passphrase
    )
    with override_settings(MOTCUA_SIGNING_KEY_DIR=tmp_path), pytest.raises(NotPermittedError) as refused:
        services.sign_document(
            result_pdf(),
            official=user("mytho.lanhdao"),
            document_type=doc_type("gks"),
            summary="Giấy khai sinh",
            dossier=birth_dossier,
        )
    assert refused.value.message == (
        "Chứng thư số cấp cho «Trần Văn Khác», không phải cho người ký Đặng Văn Chủ Tịch: không được dùng để ký."
    )
    assert not SignedDocument.objects.exists()
    assert Refusal.objects.get().reason == refused.value.message


def test_a_certificate_from_an_untrusted_authority_does_not_verify(birth_dossier, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    issue_test_certificate(
        tmp_path,
        username="mytho.lanhdao",
        full_name="Đặng Văn Chủ Tịch",
        organisation="UBND",
        passphrase=b"motcua-demo",
    )
    with override_settings(MOTCUA_SIGNING_KEY_DIR=tmp_path):
        document = services.sign_document(
            result_pdf(),
            official=user("mytho.lanhdao"),
            document_type=doc_type("gks"),
            summary="Giấy khai sinh",
            dossier=birth_dossier,
        )
    check = services.verify_record(document)
    assert not check.is_valid
    assert check.reason == "Chứng thư số không do tổ chức chứng thực được tin cậy cấp, hoặc đã hết hạn."


def test_upload_of_something_else() -> None:
    assert services.verify_upload(b"not a pdf").reason == "Tệp không phải PDF đọc được."
    from weasyprint import HTML

    plain = HTML(string="<p>Không ký</p>").write_pdf()
    assert services.verify_upload(plain).reason == "Tệp không có chữ ký số."


def test_position_labels_match_the_blocks() -> None:
    # The demo register prints the same titles as the memberships hold.
    deputy = Membership.objects.get(user__username="mytho.phochutich")
    assert (deputy.position, deputy.role) == (Position.VICE_CHAIRMAN, Role.LEADER)
