"""Sở Nội vụ's management of the PAR index: publishing a set by its decision, creating, opening, feeding a round and
publishing the ranking, by API, pages and command; every other role is refused with nothing changed."""

from datetime import date

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from motcua.conftest import ROLES, browser_for, client_for
from motcua.core import clock
from motcua.par.lifecycle import RoundStatus
from motcua.par.models import Assessment, Event, ParIndexSet, Round

from .world import OPEN_FROM, OPEN_TO, REFORM_OFFICER, draft_set, reform_officer, vn

pytestmark = pytest.mark.django_db
ROUND_BODY = {"year": 2026, "open_from": "2027-01-05T09:00:00+07:00", "open_to": "2027-01-31T17:00:00+07:00",
              "appraisal_deadline": "2027-02-28", "complaint_days": 10}  # fmt: skip


def _state() -> tuple[object, ...]:
    sets = tuple(ParIndexSet.objects.order_by("pk").values_list("pk", "published_at", "decision_number"))
    rounds = tuple(Round.objects.order_by("pk").values_list("pk", "status", "published_at"))
    return sets, rounds, Assessment.objects.count(), Event.objects.count()


def _undecided() -> ParIndexSet:
    """A draft set whose decision is not entered yet."""
    index_set = draft_set()
    ParIndexSet.objects.filter(pk=index_set.pk).update(decision_number="", decision_date=None)
    return index_set


def test_the_reform_office_publishes_a_set_creates_opens_and_feeds_a_round_through_the_api() -> None:
    reform_officer()
    index_set = _undecided()
    client = client_for(REFORM_OFFICER)
    with clock.frozen(vn(2026, 12, 20)):
        published = client.post(
            f"/api/v1/par/sets/{index_set.pk}/publish",
            {"decision_number": "15/QĐ-UBND", "decision_date": "2026-12-15"},
            format="json",
        )
        assert published.status_code == 200, published.content
        assert published.json()["decision_number"] == "15/QĐ-UBND" and published.json()["published_at"]
        assert ParIndexSet.objects.get(pk=index_set.pk).decision_date == date(2026, 12, 15)
        created = client.post("/api/v1/par/rounds", {**ROUND_BODY, "index_set": index_set.pk}, format="json")
        assert created.status_code == 201, created.content
        round_id = created.json()["id"]
        opened = client.post(f"/api/v1/par/rounds/{round_id}/steps/open", {}, format="json")
        assert opened.status_code == 200, opened.content
        assert opened.json()["status"] == RoundStatus.OPEN
        assert Assessment.objects.filter(round_id=round_id).count() > 1  # every department, fixed now
        fed = client.post(f"/api/v1/par/rounds/{round_id}/steps/feed", {}, format="json")
        assert fed.status_code == 200
        assert Event.objects.filter(round_id=round_id, action="feed").count() == 2  # at opening, then asked
        refused = client.post(f"/api/v1/par/rounds/{round_id}/steps/publish", {"decision_number": "1/QĐ"},
                              format="json")  # fmt: skip
        assert refused.status_code == 409  # no unit finalised yet


@pytest.mark.parametrize("role", list(ROLES))
def test_every_other_role_is_refused_the_management_with_nothing_changed(role: str) -> None:
    reform_officer()
    index_set = _undecided()
    client = client_for(ROLES[role])
    before = _state()
    with clock.frozen(vn(2026, 12, 20)):
        answers = [
            client.post(f"/api/v1/par/sets/{index_set.pk}/publish",
                        {"decision_number": "15/QĐ-UBND", "decision_date": "2026-12-15"}, format="json"),
            client.post("/api/v1/par/rounds", {**ROUND_BODY, "index_set": index_set.pk}, format="json"),
        ]  # fmt: skip
    assert all(a.status_code in (401, 403) for a in answers), [a.status_code for a in answers]
    assert _state() == before


@pytest.mark.parametrize("role", list(ROLES))
def test_pages_refuse_every_other_role_with_nothing_changed(role: str) -> None:
    reform_officer()
    index_set = _undecided()
    browser = browser_for(ROLES[role])
    before = _state()
    page = browser.get("/can-bo/chi-so-cchc/quan-ly/")
    posted = browser.post(f"/can-bo/chi-so-cchc/quan-ly/bo-chi-so/{index_set.pk}/cong-bo/",
                          {"decision_number": "15/QĐ-UBND", "decision_date": "2026-12-15"})  # fmt: skip
    assert page.status_code in (302, 403) and posted.status_code in (302, 403)
    assert _state() == before


def test_the_pages_walk_a_round_from_the_set_to_the_feed() -> None:
    reform_officer()
    index_set = _undecided()
    browser = browser_for(REFORM_OFFICER)
    with clock.frozen(vn(2026, 12, 20)):
        assert "Công bố bộ chỉ số" in browser.get("/can-bo/chi-so-cchc/quan-ly/").content.decode()
        browser.post(f"/can-bo/chi-so-cchc/quan-ly/bo-chi-so/{index_set.pk}/cong-bo/",
                     {"decision_number": "15/QĐ-UBND", "decision_date": "2026-12-15"})  # fmt: skip
        assert ParIndexSet.objects.get(pk=index_set.pk).published_at is not None
        bad = browser.post(
            "/can-bo/chi-so-cchc/quan-ly/dot-moi/",
            {
                "index_set": str(index_set.pk),
                "year": "2026",
                "open_from": "31/02/2027",
                "open_to": "x",
                "appraisal_deadline": "2027-02-28",
            },
        )
        assert bad.status_code == 303 and not Round.objects.exists()
        nul = browser.post("/can-bo/chi-so-cchc/quan-ly/dot-moi/", {"index_set": "1\x00", "year": "9" * 100_000})
        assert nul.status_code == 400 and not Round.objects.exists()
        browser.post("/can-bo/chi-so-cchc/quan-ly/dot-moi/", {
            "index_set": str(index_set.pk), "year": "2026", "open_from": "2027-01-05T09:00",
            "open_to": "2027-01-31T17:00", "appraisal_deadline": "2027-02-28", "complaint_days": "10"})  # fmt: skip
        round_ = Round.objects.get()
        assert round_.open_from == OPEN_FROM and round_.open_to == OPEN_TO
        browser.post(f"/can-bo/chi-so-cchc/quan-ly/{round_.pk}/open/")
        assert Round.objects.get().status == RoundStatus.OPEN
        assert browser.post(f"/can-bo/chi-so-cchc/quan-ly/{round_.pk}/feed/").status_code == 302


@pytest.mark.parametrize(
    "body",
    [
        {"decision_number": "1\x00", "decision_date": "2026-12-15"},
        {"decision_number": "x" * 100_000, "decision_date": "2026-12-15"},
        {"decision_number": "15/QĐ-UBND", "decision_date": "31/02/2026"},
        {"decision_number": ["15"], "decision_date": "2026-12-15"},
        {},
    ],
)
def test_hostile_publication_is_a_400_with_the_set_unchanged(body: dict[str, object]) -> None:
    reform_officer()
    index_set = _undecided()
    before = _state()
    answer = client_for(REFORM_OFFICER).post(f"/api/v1/par/sets/{index_set.pk}/publish", body, format="json")
    assert answer.status_code == 400, answer.content
    assert _state() == before


def test_the_commands_open_and_feed_a_round_as_the_named_officer_alone() -> None:
    officer = reform_officer()
    index_set = draft_set()
    from motcua.par import services

    with clock.frozen(vn(2026, 12, 20)):
        services.publish_set(index_set, by=officer)
        round_ = services.create_round(
            index_set,
            year=2026,
            open_from=OPEN_FROM,
            open_to=OPEN_TO,
            appraisal_deadline=date(2027, 2, 28),
            complaint_days=10,
            by=officer,
        )
        with pytest.raises(CommandError):
            call_command("par", "open", str(round_.pk), "--by", "stp.lanhdao")
        assert Round.objects.get().status == RoundStatus.DRAFT
        call_command("par", "open", str(round_.pk), "--by", REFORM_OFFICER)
        assert Round.objects.get().status == RoundStatus.OPEN
        call_command("par", "feed", str(round_.pk), "--by", REFORM_OFFICER)
        with pytest.raises(CommandError):
            call_command("par", "feed", "999999", "--by", REFORM_OFFICER)
