"""Real Chromium: a candidate takes the test, loses the network mid-test and gets it back; the answers given
offline are saved once online, and a reload shows them all with the time still running."""

import re
from datetime import timedelta

import pytest
from django.conf import settings
from playwright.sync_api import Browser, expect

from motcua.assessments.models import Answer, AnswerAudit, Campaign
from motcua.core import clock
from motcua.demo.seed import seed
from motcua.portal.tests.test_browser_online import sign_in

from .world import CANDIDATE, candidate, open_campaign

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    # The live server shares one in-memory SQLite connection between its threads, and this page saves answers
    # concurrently ("cannot open savepoint - SQL statements in progress"): a real database is needed.
    pytest.mark.skipif("sqlite" in settings.DATABASES["default"]["ENGINE"], reason="PostgreSQL only"),
]
COUNTDOWN = re.compile(r"^(29|30):\d\d$")  # display only: the server keeps the deadline


def test_answers_survive_going_offline_mid_test(live_server, browser: Browser) -> None:  # type: ignore[no-untyped-def]
    seed(catalogue=False)
    campaign = open_campaign()
    now = clock.now()
    Campaign.objects.filter(pk=campaign.pk).update(
        opens_at=now - timedelta(hours=1),
        closes_at=now + timedelta(hours=8),
        publish_on=now.date() + timedelta(days=7),
    )
    candidate(campaign)
    base = live_server.url
    context = browser.new_context()
    page = context.new_page()
    sign_in(page, base, CANDIDATE)
    page.goto(f"{base}/can-bo/kiem-tra-nang-luc/dot/{campaign.pk}/lam-bai/")
    page.get_by_role("button", name="Bắt đầu làm bài").click()
    expect(page.locator("#dong-ho")).to_have_text(COUNTDOWN)
    questions = page.locator("fieldset.cau-hoi")
    questions.nth(0).locator("input").first.check()
    expect(page.locator("#trang-thai-luu")).to_have_text("Đã lưu.")
    context.set_offline(True)
    questions.nth(1).locator("input").first.check()
    expect(page.locator("#trang-thai-luu")).to_contain_text("Mất kết nối")
    context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")  # what the browser fires when the network is back
    expect(page.locator("#trang-thai-luu")).to_have_text("Đã lưu.")
    page.reload()
    expect(questions.nth(0).locator("input").first).to_be_checked()
    expect(questions.nth(1).locator("input").first).to_be_checked()
    expect(page.locator("#dong-ho")).to_have_text(COUNTDOWN)
    assert Answer.objects.count() == 2 and AnswerAudit.objects.count() == 2
