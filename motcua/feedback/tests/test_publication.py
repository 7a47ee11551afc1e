"""Publishing an answer (ND 20/2008 art. 19): the approver reads the public text beside the original, what is published
holds no personal data of the case even if typed back in, and anyone finds it without diacritics, page and API."""

import pytest
from django.test import override_settings

from motcua.conftest import browser_for, client_for
from motcua.core import clock
from motcua.core.errors import ConflictError, NotPermittedError
from motcua.dossiers.tests.factories import load_catalogue, unit, user
from motcua.feedback import rules
from motcua.feedback.lifecycle import Action, Kind, Topic
from motcua.feedback.models import FeedbackCase, PublicAnswer
from motcua.feedback.publication import PublicText
from motcua.feedback.redaction import MASK
from motcua.feedback.services import Intake, Sender, act, file_case

pytestmark = pytest.mark.django_db
SENDER = Sender("Nguyễn Văn Dân", "Số 5 Lê Lợi, Phường Mỹ Tho", "0912345678", "dan@example.vn")
CONTENT = "Tôi là Nguyễn Văn Dân (0912 345 678): xã đòi bản sao chứng thực giấy khai sinh khi đăng ký thường trú."
ANSWER = "Trả lời ông Nguyễn Văn Dân: UBND đã bỏ yêu cầu bản sao chứng thực; hồ sơ chỉ cần bản chụp."


@pytest.fixture
def answered() -> FeedbackCase:
    load_catalogue()
    case = file_case(Intake(Kind.PAKN, SENDER, CONTENT, Topic.REGULATION, unit("28261.UBND")))
    leader = user("mytho.lanhdao")
    act(case, Action.ACCEPT, actor=leader)
    act(case, Action.CONCLUDE, actor=leader, reason=ANSWER, verified=True)
    return case


def test_the_approver_publishes_a_text_without_personal_data(answered: FeedbackCase) -> None:
    leader = browser_for("mytho.lanhdao")
    page = leader.get(f"/can-bo/phan-anh/{answered.code}/").content.decode()
    assert "data-public-draft" in page and CONTENT in page  # the original beside the draft
    draft = page.split('name="cau-hoi"', 1)[1].split("</textarea>", 1)[0]
    assert "Nguyễn Văn Dân" not in draft and "0912 345 678" not in draft and MASK in draft
    # Whatever the approver types back in is removed again.
    edited = {
        "cau-hoi": "Ông Nguyen Van Dan hỏi về bản sao chứng thực.",
        "tra-loi": "Gọi lại 0912345678 hoặc dan@example.vn.",
    }
    leader.post(f"/can-bo/phan-anh/{answered.code}/thao-tac/publish/", edited)
    published = PublicAnswer.objects.get(case=answered)
    assert (published.question, published.answer) == (
        f"Ông {MASK} hỏi về bản sao chứng thực.",
        f"Gọi lại {MASK} hoặc {MASK}.",
    )
    offered = {o.action: o.refusal for o in rules.offers(answered, user("mytho.lanhdao"))}
    assert offered[Action.PUBLISH] == rules.PUBLISHED
    with pytest.raises(NotPermittedError, match="đã được công khai"):
        act(answered, Action.PUBLISH, actor=user("mytho.lanhdao"))
    assert PublicAnswer.objects.count() == 1


def test_anyone_finds_the_answer_without_diacritics(answered: FeedbackCase) -> None:
    act(answered, Action.PUBLISH, actor=user("mytho.lanhdao"))
    anyone = browser_for(None)
    listing = anyone.get("/phan-anh-kien-nghi/tra-loi/", {"q": "ban sao chung thuc"}).content.decode()
    assert f'data-answer="{answered.code}"' in listing and "Nguyễn Văn Dân" not in listing
    assert (
        f'data-answer="{answered.code}"'
        not in anyone.get("/phan-anh-kien-nghi/tra-loi/", {"q": "xây dựng"}).content.decode()
    )
    detail = anyone.get(f"/phan-anh-kien-nghi/tra-loi/{answered.code}/").content.decode()
    assert "bỏ yêu cầu bản sao chứng thực" in detail
    for secret in ("Nguyễn Văn Dân", "0912", "dan@example.vn", "Lê Lợi"):
        assert secret not in detail
    api = client_for(None).get("/api/v1/feedback/answers", {"search": "BAN SAO"}).json()
    assert [a["code"] for a in api["results"]] == [answered.code]
    assert "Nguyễn" not in str(api) and "0912" not in str(api)
    assert anyone.get("/phan-anh-kien-nghi/tra-loi/", {"q": "a\x00b"}).status_code == 400  # said, not a 5xx


def test_complaints_are_not_published_unless_the_province_says_so() -> None:
    load_catalogue()
    case = file_case(Intake(Kind.COMPLAINT, SENDER, "Khiếu nại", subject_unit=unit("28261.UBND"), decision="QĐ 1",
                            known_on=clock.today(), signed=True))  # fmt: skip
    leader = user("mytho.lanhdao")
    act(case, Action.ACCEPT, actor=leader)
    act(case, Action.CONCLUDE, actor=leader, reason="Giữ nguyên quyết định.", verified=False)
    assert Action.PUBLISH not in {o.action for o in rules.offers(case, leader)}
    with pytest.raises(ConflictError):
        act(case, Action.PUBLISH, actor=leader)
    assert not PublicAnswer.objects.exists() and not case.events.filter(action=Action.PUBLISH).exists()
    with override_settings(MOTCUA_FEEDBACK_PUBLISHED_KINDS=["pakn", "khieu_nai"]):
        act(case, Action.PUBLISH, actor=leader, public=PublicText("Khiếu nại quyết định.", "Giữ nguyên."))
    assert PublicAnswer.objects.filter(case=case).exists()
