from datetime import timedelta

import pytest

from motcua.assessments import forms, services
from motcua.assessments.lifecycle import AttemptStatus, CampaignStatus
from motcua.assessments.models import Answer, AnswerAudit, Attempt, Campaign
from motcua.core import clock
from motcua.core.errors import ConflictError, DomainError, NotPermittedError
from motcua.organizations.models import User

from .world import BLUEPRINT, START, candidate, open_campaign, started

pytestmark = pytest.mark.django_db


def first_item(attempt: Attempt) -> int:
    return int(attempt.form[0]["items"][0]["version"])


def test_the_form_follows_the_blueprint_and_is_rebuilt_from_the_seed() -> None:
    attempt = started()
    assert [len(part["items"]) for part in attempt.form] == [2, 2]
    pool = services.pool_of(attempt.candidate.campaign)
    assert forms.draw(attempt.seed, BLUEPRINT, pool) == attempt.form
    assert forms.draw(attempt.seed + 1, BLUEPRINT, pool) != attempt.form or len(pool) < 3


def test_a_blueprint_the_bank_cannot_fill_stops_the_campaign_from_opening() -> None:
    campaign = open_campaign()
    more = Campaign.objects.create(
        **{f.name: getattr(campaign, f.name) for f in Campaign._meta.concrete_fields if f.name not in {"id", "pool"}}
        | {"status": CampaignStatus.DRAFT, "blueprint": [{"name": "P", "cells": [
            {"domain": "tin_hoc", "difficulty": "kho", "count": 1}]}]},
    )  # fmt: skip
    with pytest.raises(DomainError, match="chưa đủ"):
        services.open_campaign(more, by=campaign.created_by)
    more.refresh_from_db()
    assert (more.status, more.pool) == (CampaignStatus.DRAFT, [])


def test_an_answer_after_the_deadline_is_refused_whatever_the_client_clock() -> None:
    attempt = started()
    person = attempt.candidate.user
    with clock.frozen(START + timedelta(minutes=30, seconds=1)), pytest.raises(ConflictError, match="hết giờ"):
        services.save_answer(attempt, first_item(attempt), ["a"], sequence=1, device="máy-1", address=None, by=person)
    assert not Answer.objects.exists() and not AnswerAudit.objects.exists()


def test_a_stale_sequence_never_overwrites_a_newer_answer_and_audit_replays() -> None:
    attempt = started()
    person = attempt.candidate.user
    item = first_item(attempt)
    with clock.frozen(START + timedelta(minutes=1)):
        services.save_answer(attempt, item, ["a"], sequence=1, device="máy-1", address="10.0.0.1", by=person)
        services.save_answer(attempt, item, ["b"], sequence=3, device="máy-1", address="10.0.0.1", by=person)
        _, applied = services.save_answer(attempt, item, ["c"], sequence=2, device="máy-1", address=None, by=person)
    assert not applied
    assert Answer.objects.get(attempt=attempt, version_id=item).chosen == ["b"]
    replayed: dict[int, list[str]] = {}
    for row in AnswerAudit.objects.filter(attempt=attempt).order_by("sequence"):
        assert replayed.get(row.version_id, []) == row.old
        replayed[row.version_id] = row.new
    assert replayed == {a.version_id: a.chosen for a in Answer.objects.filter(attempt=attempt)}


def test_one_attempt_per_candidate_resume_keeps_form_and_a_second_device_needs_the_invigilator() -> None:
    attempt = started()
    person = attempt.candidate
    with clock.frozen(START + timedelta(minutes=5)):
        again = services.start_attempt(person, device="máy-1", by=person.user)
        assert (again.pk, again.form, again.deadline_at) == (attempt.pk, attempt.form, attempt.deadline_at)
        with pytest.raises(ConflictError, match="thiết bị khác"):
            services.start_attempt(person, device="máy-2", by=person.user)
        person.second_device_allowed = True
        person.save(update_fields=["second_device_allowed"])
        moved = services.start_attempt(person, device="máy-2", by=person.user)
    assert moved.pk == attempt.pk and Attempt.objects.count() == 1


def test_shuffled_options_score_back_to_the_key_and_pass_needs_every_part() -> None:
    attempt = started()
    person = attempt.candidate.user
    with clock.frozen(START + timedelta(minutes=2)):
        for sequence, item in enumerate(attempt.form[0]["items"], start=1):
            services.save_answer(attempt, item["version"], ["a"], sequence=sequence, device="máy-1", address=None,
                                 by=person)  # fmt: skip
        done = services.submit_attempt(attempt, by=person)
    assert [p["score"] for p in done.parts] == ["100.00", "0.00"]
    assert (str(done.score), done.passed, done.status) == ("50.00", False, AttemptStatus.SUBMITTED)


def test_the_job_submits_expired_attempts() -> None:
    attempt = started()
    with clock.frozen(START + timedelta(minutes=29)):
        assert services.submit_expired() == 0
    with clock.frozen(START + timedelta(minutes=31)):
        assert services.submit_expired() == 1
    attempt.refresh_from_db()
    assert attempt.status == AttemptStatus.EXPIRED and attempt.submitted_at == attempt.deadline_at


def test_extra_time_moves_the_deadline_only_for_the_invigilator_with_a_reason() -> None:
    attempt = started()
    with pytest.raises(NotPermittedError):
        services.grant_extra_time(attempt, 10, reason="Mất điện", by=attempt.candidate.user)
    with pytest.raises(DomainError, match="lý do"):
        services.grant_extra_time(attempt, 10, reason="", by=User.objects.get(username="mytho.lanhdao"))
    longer = services.grant_extra_time(attempt, 10, reason="Mất điện", by=User.objects.get(username="mytho.lanhdao"))
    assert longer.deadline_at == START + timedelta(minutes=40)


def test_someone_else_cannot_start_the_candidates_attempt() -> None:
    campaign = open_campaign()
    person = candidate(campaign)
    with clock.frozen(START), pytest.raises(NotPermittedError):
        services.start_attempt(person, device="x", by=User.objects.get(username="mytho.lanhdao"))
    assert not Attempt.objects.exists()
