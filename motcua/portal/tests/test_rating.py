"""The applicant rates a returned dossier once from the portal; nobody else can, and a refusal records nothing."""

import pytest

from motcua.conftest import ROLES, browser_for
from motcua.core import clock
from motcua.dossiers.lifecycle import Action, Status
from motcua.dossiers.models import Dossier, DossierRating
from motcua.dossiers.processing import Rating
from motcua.dossiers.selectors import review_list_for
from motcua.dossiers.services import Inputs, attach_result, complete_step, perform
from motcua.dossiers.tests.factories import TUESDAY_9AM, user
from motcua.dossiers.tests.processing_factories import PDF, load_processing_catalogue, started

pytestmark = pytest.mark.django_db
APPLICANT = "0912345678"


@pytest.fixture
def returned() -> Dossier:
    load_processing_catalogue()
    with clock.frozen(TUESDAY_9AM):
        dossier = started("2.000815", officer="mytho.motcua", at="28261.TTPVHCC")
        Dossier.objects.filter(pk=dossier.pk).update(citizen=user(APPLICANT))  # as if its applicant filed it online
        complete_step(dossier, actor=user("mytho.motcua"))
        attach_result(dossier, actor=user("mytho.chuyenvien"), title="Bản sao có chứng thực", pdf=PDF)
        for name in ("mytho.chuyenvien", "mytho.lanhdao"):
            complete_step(dossier, actor=user(name))
        complete_step(dossier, actor=user("mytho.motcua"))
        perform(dossier, Action.RETURN_RESULT, actor=user("mytho.motcua"), inputs=Inputs(return_channel="counter"))
    dossier.refresh_from_db()
    assert dossier.status == Status.RETURNED
    return dossier


def test_the_applicant_rates_once_and_an_unhappy_rating_reaches_the_leader(returned: Dossier) -> None:
    applicant = browser_for(APPLICANT)
    page = f"/ca-nhan/ho-so/{returned.code}/"
    url = f"{page}danh-gia/"
    assert "Đánh giá mức độ hài lòng" in applicant.get(page).content.decode()

    half = applicant.post(url, {"thuan-tien": "1"})
    assert half.status_code == 200 and "Cần chọn mức độ hài lòng cho cả hai câu hỏi." in half.content.decode()
    assert not DossierRating.objects.exists()

    sent = applicant.post(url, {"thuan-tien": "1", "tong-the": "0", "y-kien": "Chờ lâu ở quầy"})
    assert sent.status_code == 302
    rating = DossierRating.objects.get(dossier=returned)
    assert (rating.convenience, rating.overall, rating.comment) == (
        Rating.SATISFIED,
        Rating.UNSATISFIED,
        "Chờ lâu ở quầy",
    )
    assert [r.dossier for r in review_list_for(user("mytho.lanhdao"))] == [returned]

    again = applicant.post(url, {"thuan-tien": "2", "tong-the": "2"})
    assert again.status_code == 200 and "Hồ sơ này đã được đánh giá." in again.content.decode()
    assert DossierRating.objects.get().overall == Rating.UNSATISFIED
    assert "Gửi đánh giá" not in applicant.get(page).content.decode()


EXPECTED = {
    "anonymous": 302,  # to the sign-in page
    "officer_other_unit": 403,  # the portal's own-dossier pages are for citizens
    "officer_of_unit": 403,
    "leader": 403,
    "admin": 403,
}


@pytest.mark.parametrize("role", list(EXPECTED))
def test_nobody_but_the_applicant_may_rate(role: str, returned: Dossier) -> None:
    response = browser_for(ROLES[role]).post(
        f"/ca-nhan/ho-so/{returned.code}/danh-gia/", {"thuan-tien": "2", "tong-the": "2"}
    )
    assert response.status_code == EXPECTED[role]
    assert not DossierRating.objects.exists() and returned.events.filter(action=Action.RATE).count() == 0
