"""Campaign set-up, the invigilator's actions, the expiry job, results, training needs and one-stop eligibility."""

from datetime import date, timedelta
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client

from motcua.assessments import selectors, services
from motcua.assessments.lifecycle import AttemptStatus, CampaignStatus
from motcua.assessments.models import Attempt, Campaign, CampaignEvent, Candidate
from motcua.assessments.tasks import submit_expired
from motcua.conftest import ROLES, client_for
from motcua.core import clock
from motcua.core.errors import DomainError, NotPermittedError
from motcua.organizations.models import Unit, User

from .world import CANDIDATE, INVIGILATOR, START, author, candidate, open_campaign, started

pytestmark = pytest.mark.django_db

PUBLISHED = date(2026, 3, 10)


def campaign_data(**changes: Any) -> dict[str, Any]:
    return {
        "name": "Kiểm tra năng lực 2026", "basis_number": "45/KH-UBND", "basis_date": "2026-01-15",
        "reference_date": "2026-02-01", "opens_at": "2026-03-02T08:00", "closes_at": "2026-03-02T17:00",
        "publish_on": "2026-03-10", "duration_minutes": 30, "units": ["28261.TTPVHCC"],
        "blueprint": [{"name": "Pháp luật", "cells": [{"domain": "phap_luat", "difficulty": "de", "count": 2}]}],
        "pass_marks": {"part": 50, "overall": 50}, "qualifies_one_stop": True,
    } | changes  # fmt: skip


def test_the_organiser_sets_up_a_campaign_and_each_step_is_an_event() -> None:
    organiser = author()
    campaign = services.create_campaign(campaign_data(), by=organiser)
    services.add_sitting(
        campaign, {"room": "Phòng 1", "starts_at": "2026-03-02T08:00", "capacity": 30, "invigilators": [INVIGILATOR]},
        by=organiser,
    )  # fmt: skip
    called = services.call_candidates(campaign, by=organiser)
    person = Candidate.objects.filter(campaign=campaign).first()
    assert called >= 1 and person is not None
    with pytest.raises(DomainError, match="lý do"):
        services.remove_candidate(person, reason="  ", by=organiser)
    services.remove_candidate(person, reason="Nghỉ thai sản", by=organiser)
    services.add_candidate(campaign, person.user, person.unit, reason="Đã đi làm lại", by=organiser)
    assert list(campaign.events.order_by("pk").values_list("action", flat=True)) == [
        "create", "add_sitting", "call", "remove", "add",
    ]  # fmt: skip
    assert Candidate.objects.get(pk=person.pk).is_active


@pytest.mark.parametrize("role", ["anonymous", "citizen", "officer_other_unit", "officer_of_unit", "leader", "admin"])
def test_only_the_organiser_sets_up_campaigns_and_a_denial_changes_nothing(role: str) -> None:
    campaign = open_campaign()
    person = candidate(campaign)
    before = (Campaign.objects.count(), CampaignEvent.objects.count(), list(Candidate.objects.values()))
    api = client_for(ROLES[role])
    urls = [
        ("/api/v1/assessments/campaigns", campaign_data()),
        (f"/api/v1/assessments/campaigns/{campaign.pk}/call", {}),
        (f"/api/v1/assessments/campaigns/{campaign.pk}/candidates",
         {"username": "stp.motcua", "unit": "82.STP", "reason": "Bổ sung"}),
        (f"/api/v1/assessments/candidates/{person.pk}/actions/remove", {"reason": "Rút"}),
    ]  # fmt: skip
    for url, body in urls:
        assert api.post(url, body, format="json").status_code in (401, 403, 404), url
    assert before == (Campaign.objects.count(), CampaignEvent.objects.count(), list(Candidate.objects.values()))


@pytest.mark.parametrize(
    "changes",
    [
        {"name": "x\x00y"},
        {"name": "x" * 100_000},
        {"duration_minutes": "nhiều"},
        {"opens_at": "2026-13-45T99:99"},
        {"basis_date": "15/01/2026"},
        {"blueprint": "không"},
        {"units": [1, 2]},
        {"pass_marks": {"part": [50]}},
        {"closes_at": "2026-03-01T08:00"},
        {"blueprint": [{"name": "P", "cells": [{"domain": "x", "count": 1}]}]},
    ],
)
def test_hostile_campaign_input_is_a_vietnamese_400(changes: dict[str, Any]) -> None:
    author()
    response = client_for("snv.soande").post("/api/v1/assessments/campaigns", campaign_data(**changes), format="json")
    assert response.status_code == 400, response.content
    assert response["Content-Type"].startswith("application/problem+json")
    assert not Campaign.objects.exists()


def test_the_invigilator_allows_a_second_device_and_grants_extra_time() -> None:
    attempt = started()
    person = attempt.candidate
    stranger = User.objects.get(username="stp.motcua")
    with pytest.raises(NotPermittedError):
        services.allow_second_device(person, reason="Máy hỏng", by=stranger)
    with pytest.raises(NotPermittedError):
        services.grant_extra_time(attempt, 10, reason="Mất điện", by=stranger)
    assert not Candidate.objects.get(pk=person.pk).second_device_allowed and not CampaignEvent.objects.exists()
    invigilator = User.objects.get(username=INVIGILATOR)
    api = client_for(INVIGILATOR)
    with clock.frozen(START + timedelta(minutes=5)):
        moved = api.post(f"/api/v1/assessments/candidates/{person.pk}/actions/second-device", {"reason": "Máy hỏng"})
        assert moved.status_code == 200 and moved.json()["second_device_allowed"]
        resumed = services.start_attempt(person, device="máy-2", by=person.user)
        extended = services.grant_extra_time(attempt, 10, reason="Mất điện 10 phút", by=invigilator)
    assert resumed.pk == attempt.pk and resumed.device == "máy-2"
    assert extended.deadline_at == attempt.deadline_at + timedelta(minutes=10)
    assert list(CampaignEvent.objects.order_by("pk").values_list("action", "reason")) == [
        ("second_device", "Máy hỏng"), ("extend", "Mất điện 10 phút"),
    ]  # fmt: skip


def test_the_job_and_the_command_submit_an_expired_attempt() -> None:
    attempt = started()
    with clock.frozen(START + timedelta(minutes=29)):
        assert submit_expired.call() == {"submitted": 0}
    with clock.frozen(START + timedelta(minutes=31)):
        assert submit_expired.call() == {"submitted": 1}
        call_command("assessments_expire", stdout=open("/dev/null", "w"))  # noqa: SIM115  # nothing left: a no-op
    attempt.refresh_from_db()
    assert attempt.status == AttemptStatus.EXPIRED and attempt.score is not None


def sat_and_scored(right: bool = True) -> Attempt:
    attempt = started()
    person = attempt.candidate.user
    with clock.frozen(START + timedelta(minutes=2)):
        for sequence, item in enumerate((i["version"] for part in attempt.form for i in part["items"]), start=1):
            services.save_answer(attempt, int(item), ["a" if right else "b"], sequence=sequence, device="máy-1",
                                 address=None, by=person)  # fmt: skip
        return services.submit_attempt(attempt, by=person)


def test_results_are_hidden_before_the_publication_date_then_shown() -> None:
    attempt = sat_and_scored()
    campaign = attempt.candidate.campaign
    page = f"/can-bo/kiem-tra-nang-luc/dot/{campaign.pk}/"
    browser = Client()
    browser.force_login(attempt.candidate.user)
    with clock.frozen(START + timedelta(days=7)):
        browser.force_login(attempt.candidate.user)
        assert selectors.own_result(campaign, attempt.candidate.user) is None
        before = browser.get(page).content.decode()
        assert "100.00" not in before and "Kết quả chưa được công bố" in before
        assert client_for(CANDIDATE).get(f"/api/v1/assessments/attempts/{attempt.pk}").json()["result"] is None
    with clock.frozen(START + timedelta(days=8)):
        browser = Client()
        browser.force_login(attempt.candidate.user)
        response = browser.get(page)
        assert response.status_code == 200, response.status_code
        after = response.content.decode()
        assert "100.00" in after and "Đạt" in after


def test_the_organiser_reads_results_training_needs_and_eligibility() -> None:
    attempt = sat_and_scored(right=False)
    campaign = attempt.candidate.campaign
    organiser = author()
    results = selectors.results_for(campaign, organiser)
    assert results is not None and [r.attempt for r in results] == [attempt]
    assert selectors.results_for(campaign, attempt.candidate.user) is None  # a candidate reads their own only
    needs = selectors.training_needs(campaign, organiser)
    assert [sorted(d.domain for d in r.weak_domains) for r in needs] == [["nghiep_vu", "phap_luat"]]
    browser = Client()
    browser.force_login(organiser)
    with clock.frozen(START + timedelta(days=1)):
        page = browser.get(f"/can-bo/kiem-tra-nang-luc/dot/{campaign.pk}/").content.decode()
    assert "Nhu cầu bồi dưỡng" in page and "Chưa đủ điều kiện" in page


def test_counter_eligibility_follows_the_latest_published_qualifying_campaign(settings: Any) -> None:
    attempt = sat_and_scored()
    person = attempt.candidate.user
    assert not selectors.counter_eligible(person, PUBLISHED).eligible  # the campaign does not qualify
    Campaign.objects.update(qualifies_one_stop=True)
    assert not selectors.counter_eligible(person, PUBLISHED - timedelta(days=1)).eligible  # not yet published
    assert selectors.counter_eligible(person, PUBLISHED).eligible
    Attempt.objects.update(passed=False)
    assert not selectors.counter_eligible(person, PUBLISHED).eligible
    settings.MOTCUA_ONE_STOP_REQUIRES_PASSED_CAMPAIGN = False
    assert selectors.counter_eligible(person, PUBLISHED).eligible


@pytest.mark.parametrize("role", ["anonymous", "citizen", "officer_other_unit", "officer_of_unit", "leader", "admin"])
def test_the_pages_refuse_who_is_not_organiser_or_candidate_and_change_nothing(role: str) -> None:
    campaign = open_campaign()
    person = candidate(campaign)
    version = campaign.pool[0]
    browser = Client()
    if ROLES[role]:
        browser.force_login(User.objects.get(username=ROLES[role]))
    is_candidate = ROLES[role] == person.user.username
    base = "/can-bo/kiem-tra-nang-luc/"
    assert browser.get(f"{base}ngan-hang/").status_code in (302, 403)
    with clock.frozen(START + timedelta(minutes=1)):
        browser.post(f"{base}ngan-hang/{version}/thao-tac/retire/", {"ly-do": "Hết hiệu lực"})
        take = browser.post(f"{base}dot/{campaign.pk}/lam-bai/")
    assert Attempt.objects.exists() == is_candidate, take.status_code
    if not is_candidate:
        assert take.status_code in (302, 403, 404)
    assert campaign.pool and not CampaignEvent.objects.exists()
    from motcua.assessments.models import ItemVersion

    assert ItemVersion.objects.get(pk=version).status == "approved"


def test_the_organiser_reviews_on_the_bank_page_and_the_candidate_takes_the_test_page() -> None:
    campaign = open_campaign()
    person = candidate(campaign)
    organiser = Client()
    organiser.force_login(author())
    bank_page = organiser.get("/can-bo/kiem-tra-nang-luc/ngan-hang/").content.decode()
    assert "Ngừng sử dụng" in bank_page
    browser = Client()
    browser.force_login(person.user)
    with clock.frozen(START + timedelta(minutes=1)):
        assert browser.post(f"/can-bo/kiem-tra-nang-luc/dot/{campaign.pk}/lam-bai/").status_code == 302
        page = browser.get(f"/can-bo/kiem-tra-nang-luc/dot/{campaign.pk}/lam-bai/").content.decode()
    assert 'id="bai-lam"' in page and "motcua/assessment.js" in page and "<script>" not in page
    assert Campaign.objects.get(pk=campaign.pk).status == CampaignStatus.OPEN
    assert Unit.objects.exists()


def test_the_campaign_minutes_are_append_only() -> None:
    from django.db import IntegrityError, connection, transaction

    services.create_campaign(campaign_data(), by=author())
    # SQLite keeps deletes for the test flush (migration assessments 0003); PostgreSQL refuses them too.
    deletes = [lambda: CampaignEvent.objects.all().delete()] if connection.vendor == "postgresql" else []
    for change in (lambda: CampaignEvent.objects.update(reason="sửa"), *deletes):
        with pytest.raises(IntegrityError), transaction.atomic():
            change()
    assert list(CampaignEvent.objects.values_list("action", "reason")) == [("create", "")]


@pytest.mark.parametrize(
    "body",
    [
        {"room": "P\x00", "starts_at": "2026-03-02T08:00", "capacity": 3, "invigilators": [INVIGILATOR]},
        {"room": "P", "starts_at": "x" * 100_000, "capacity": 3, "invigilators": [INVIGILATOR]},
        {"room": "P", "starts_at": "2026-03-02T08:00", "capacity": "ba", "invigilators": [INVIGILATOR]},
        {"room": "P", "starts_at": "2026-03-02T08:00", "capacity": 3, "invigilators": "mytho.lanhdao"},
        {"room": "P", "starts_at": "2027-03-02T08:00", "capacity": 3, "invigilators": [INVIGILATOR]},
        ["không phải đối tượng"],
    ],
)
def test_hostile_sitting_candidate_and_extra_time_input_is_a_vietnamese_400(body: Any) -> None:
    attempt = started()
    campaign = attempt.candidate.campaign
    organiser = client_for("snv.soande")
    sittings = organiser.post(f"/api/v1/assessments/campaigns/{campaign.pk}/sittings", body, format="json")
    added = organiser.post(
        f"/api/v1/assessments/campaigns/{campaign.pk}/candidates",
        {"username": "stp.motcua", "unit": "82.STP", "reason": body if isinstance(body, list) else "x" * 100_000},
        format="json",
    )
    with clock.frozen(START + timedelta(minutes=1)):
        extended = client_for(INVIGILATOR).post(
            f"/api/v1/assessments/attempts/{attempt.pk}/extend",
            {"minutes": "10\x00", "reason": "Mất điện"},
            format="json",
        )
    for response in (sittings, added, extended):
        assert response.status_code == 400, response.content
        assert response.json()["detail"]
    assert campaign.sittings.count() == 1 and campaign.candidates.count() == 1 and not CampaignEvent.objects.exists()
