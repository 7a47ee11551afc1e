import json
from datetime import timedelta

import pytest

from motcua.assessments.models import AnswerAudit, Attempt, ItemVersion
from motcua.conftest import ROLES, client_for
from motcua.core import clock

from .world import CANDIDATE, START, author, candidate, item_data, open_campaign, started

pytestmark = pytest.mark.django_db


def test_the_candidate_takes_the_test_over_http_and_no_response_carries_a_key() -> None:
    campaign = open_campaign()
    candidate(campaign)
    api = client_for(CANDIDATE)
    device = {"HTTP_X_DEVICE_ID": "may-1"}
    bodies = []
    with clock.frozen(START + timedelta(minutes=1)):
        started_ = api.post(f"/api/v1/assessments/campaigns/{campaign.pk}/start", **device)
        assert started_.status_code == 200, started_.content
        attempt = started_.json()
        item = attempt["parts"][0]["items"][0]["item"]
        url = f"/api/v1/assessments/attempts/{attempt['id']}"
        saved = api.put(f"{url}/answers/{item}", {"chosen": ["a"], "sequence": 2}, format="json", **device)
        stale = api.put(f"{url}/answers/{item}", {"chosen": ["b"], "sequence": 1}, format="json", **device)
        bodies += [started_, saved, stale, api.get(url, **device)]
        assert (saved.json()["applied"], stale.json()["applied"]) == (True, False)
    with clock.frozen(START + timedelta(minutes=40)):
        late = api.put(f"{url}/answers/{item}", {"chosen": ["c"], "sequence": 3}, format="json", **device)
        assert late.status_code == 409 and "hết giờ" in late.json()["detail"]
        bodies += [late, api.post(f"{url}/submit", **device)]
    keys = {json.dumps(v.key) for v in ItemVersion.objects.all()}
    for response in bodies:
        text = response.content.decode()
        assert keys and '"key"' not in text
    assert AnswerAudit.objects.count() == 1


@pytest.mark.parametrize("role", [role for role, name in ROLES.items() if name != CANDIDATE])
def test_nobody_else_reads_or_writes_the_attempt_and_nothing_changes(role: str) -> None:
    attempt = started()
    item = attempt.form[0]["items"][0]["version"]
    api = client_for(ROLES[role])
    url = f"/api/v1/assessments/attempts/{attempt.pk}"
    with clock.frozen(START + timedelta(minutes=1)):
        assert api.get(url).status_code in {401, 404}
        assert api.put(f"{url}/answers/{item}", {"chosen": ["a"], "sequence": 1}, format="json").status_code in {
            401, 404,
        }  # fmt: skip
        assert api.post(f"{url}/submit").status_code in {401, 404}
    attempt.refresh_from_db()
    assert (attempt.sequence, attempt.status, AnswerAudit.objects.count()) == (0, "started", 0)


@pytest.mark.parametrize(
    "body",
    [
        {"chosen": "a", "sequence": 1},
        {"chosen": ["a"], "sequence": "x"},
        {"chosen": ["a\x00"], "sequence": 1},
        {"chosen": ["a" * 100_000], "sequence": 1},
        {"chosen": ["a"], "sequence": 10**12},
        [],
    ],
)
def test_hostile_answers_get_a_vietnamese_400(body: object) -> None:
    attempt = started()
    item = attempt.form[0]["items"][0]["version"]
    api = client_for(CANDIDATE)
    with clock.frozen(START + timedelta(minutes=1)):
        response = api.put(
            f"/api/v1/assessments/attempts/{attempt.pk}/answers/{item}", body, format="json", HTTP_X_DEVICE_ID="máy-1"
        )
    assert response.status_code == 400 and response.json()["detail"]
    assert AnswerAudit.objects.count() == 0 and Attempt.objects.get().sequence == 0


@pytest.mark.parametrize("role", list(ROLES))
def test_only_sở_nội_vụ_drafts_items(role: str) -> None:
    before = ItemVersion.objects.count()
    response = client_for(ROLES[role]).post("/api/v1/assessments/items", item_data(), format="json")
    assert response.status_code in {401, 403}
    assert ItemVersion.objects.count() == before
    made = client_for(author().username).post(
        "/api/v1/assessments/items", item_data() | {"stem": "x\x00"}, format="json"
    )
    assert made.status_code == 400 and made.json()["detail"]
