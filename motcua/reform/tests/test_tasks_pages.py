"""The /can-bo/chi-dao/ pages: list and filters, directive entry, a task's page offering what the rules allow."""

from datetime import date

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile

from motcua.conftest import browser_for
from motcua.core import clock
from motcua.core.tests import samples
from motcua.reform.models import Directive, Task, TaskEvidence
from motcua.reform.tasks.lifecycle import Status

from .conftest import TRACKER, vn

pytestmark = pytest.mark.django_db


def test_the_list_shows_scoped_tasks_with_their_time_state(make_task) -> None:  # type: ignore[no-untyped-def]
    near, far = make_task(date(2026, 3, 12)), make_task(date(2026, 5, 29))
    make_task(lead="28261.UBND")
    with clock.frozen(vn(2026, 3, 10, 10)):
        page = browser_for("stp.lanhdao").get("/can-bo/chi-dao/")
        filtered = browser_for("stp.lanhdao").get("/can-bo/chi-dao/", {"thoi-han": "sap_han"})
    html = page.content.decode()
    assert page.status_code == 200 and html.count("data-task=") == 2
    assert f'class="near-due" data-task="{near.pk}"' in html and "12/03/2026" in html and "Sắp đến hạn" in html
    assert f'data-task="{far.pk}"' not in filtered.content.decode()
    assert browser_for("0912345678").get("/can-bo/chi-dao/").status_code == 403


def test_the_tracker_enters_a_directive_through_the_form(tracker) -> None:  # type: ignore[no-untyped-def]
    browser = browser_for(TRACKER)
    assert "data-directive-new" in browser.get("/can-bo/chi-dao/").content.decode()
    form = {
        "nguon": "van_ban", "so": "12/UBND-TH", "ngay": "10/03/2026", "lanh-dao": "Nguyễn Văn A", "chuc-vu": "ct",
        "do-khan": "hoa_toc", "noi-dung-1": "Rà soát thủ tục", "chu-tri-1": "82.STP", "phoi-hop-1": ["82.SNV"],
        "han-1": "31/03/2026", "san-pham-1": "Báo cáo", "noi-dung-2": "Số hóa hồ sơ", "chu-tri-2": "82.SNV",
    }  # fmt: skip
    with clock.frozen(vn(2026, 3, 11, 8)):
        done = browser.post("/can-bo/chi-dao/cap-nhat/", form)
    assert done.status_code == 302
    directive = Directive.objects.get()
    assert directive.is_entered_late and directive.tasks.count() == 2
    assert directive.tasks.get(position=2).deadline_on is None
    wrong = browser.post("/can-bo/chi-dao/cap-nhat/", form | {"ngay": "31/02/2026"})
    assert wrong.status_code == 400 and "dd/mm/yyyy" in wrong.content.decode()
    assert Directive.objects.count() == 1
    assert browser_for("stp.lanhdao").get("/can-bo/chi-dao/cap-nhat/").status_code == 403


def test_the_task_page_offers_what_the_rules_allow(make_task, tracker) -> None:  # type: ignore[no-untyped-def]
    task = make_task()
    leader, office = browser_for("stp.lanhdao"), browser_for(TRACKER)
    url = f"/can-bo/chi-dao/nhiem-vu/{task.pk}/"
    with clock.frozen(vn(2026, 3, 11)):
        assert 'data-offer="accept"' in leader.get(url).content.decode()
        assert 'data-offer="accept"' not in office.get(url).content.decode()
        assert "data-offer" not in browser_for("stp.motcua").get(url).content.decode()
        leader.post(f"{url}thao-tac/accept/")
        refused = leader.post(f"{url}thao-tac/ask-completion/", follow=True)
        assert "Chỉ đề nghị xác nhận hoàn thành khi tiến độ đạt 100 %." in refused.content.decode()
        product = SimpleUploadedFile("bao-cao.pdf", samples.pdf("BC"), content_type="application/pdf")
        leader.post(f"{url}thao-tac/report/", {"tien-do": "100", "noi-dung": "Xong", "san-pham": product})
        leader.post(f"{url}thao-tac/ask-completion/")
        office.post(f"{url}thao-tac/confirm/")
        page = leader.get(url).content.decode()
    assert Task.objects.get(pk=task.pk).status == Status.DONE
    assert "Hoàn thành" in page and "Đúng hạn" in page and "bao-cao.pdf" in page
    evidence = TaskEvidence.objects.get()
    download = leader.get(f"{url}tep/{evidence.pk}/")
    assert download.status_code == 200 and b"".join(download.streaming_content).startswith(b"%PDF")
    assert browser_for("mytho.lanhdao").get(f"{url}tep/{evidence.pk}/").status_code == 404
    assert leader.get("/can-bo/chi-dao/nhiem-vu/99999999999999999999/").status_code == 404


def test_kpi_page_and_publication(make_task, tracker) -> None:  # type: ignore[no-untyped-def]
    make_task(date(2026, 3, 20))
    with clock.frozen(vn(2026, 4, 2)):
        page = browser_for(TRACKER).get("/can-bo/chi-dao/ket-qua/", {"ky": "quy", "nam": "2026", "so": "1"})
        assert "Sở Tư pháp" in page.content.decode() and "Kỳ này chưa được công bố." in page.content.decode()
        browser_for("stp.lanhdao").post("/can-bo/chi-dao/ket-qua/", {"ky": "quy", "nam": "2026", "so": "1"})
        assert "Kỳ này chưa được công bố." in page.content.decode()
        browser_for(TRACKER).post("/can-bo/chi-dao/ket-qua/", {"ky": "quy", "nam": "2026", "so": "1"})
        shown = browser_for("stp.lanhdao").get("/can-bo/chi-dao/ket-qua/", {"ky": "quy", "nam": "2026", "so": "1"})
    assert "Kỳ này chưa được công bố." not in shown.content.decode()


def test_home_offers_the_tracker_its_card(tracker) -> None:  # type: ignore[no-untyped-def]
    page = browser_for(TRACKER).get("/can-bo/")
    assert page.status_code == 200 and "data-tasks" in page.content.decode()


def test_the_pages_in_english(make_task, tracker) -> None:  # type: ignore[no-untyped-def]
    task = make_task(date(2026, 3, 12))
    browser = browser_for("stp.lanhdao")
    browser.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with clock.frozen(vn(2026, 3, 10, 10)):
        listed = browser.get("/can-bo/chi-dao/").content.decode()
        page = browser.get(f"/can-bo/chi-dao/nhiem-vu/{task.pk}/").content.decode()
    assert "Tracking directed tasks" in listed and "Lead unit" in listed and "Not accepted" in listed
    assert "Due soon" in listed
    assert "Accept the task" in page and "History" in page and "Assign the task" in page
