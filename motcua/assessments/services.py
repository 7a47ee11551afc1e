"""Campaigns and the test itself: opening, candidates, starting, autosave, submission, scoring. The one writer.

Time is the server's: deadline = start + duration + extra time granted; the page's countdown is for display only.
"""

import secrets
from collections.abc import Sequence
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction

from motcua.core import clock
from motcua.core.errors import ConflictError, DomainError, NotPermittedError
from motcua.organizations.models import User
from motcua.organizations.selectors import memberships_on

from . import forms, rules
from .bank import _text
from .lifecycle import AttemptStatus, CampaignStatus, ItemStatus
from .models import Answer, AnswerAudit, Attempt, Campaign, Candidate, ItemVersion

NOT_OPEN = "Đợt kiểm tra chưa mở hoặc đã kết thúc."
LATE = "Đã hết giờ làm bài; câu trả lời không được ghi nhận."
SUBMITTED = "Bài đã nộp; không sửa được câu trả lời."
OTHER_DEVICE = "Bài đang làm trên thiết bị khác; cần giám thị cho phép chuyển thiết bị."
NOT_ON_FORM = "Câu hỏi này không có trong đề của ông/bà."


def pool_of(campaign: Campaign) -> list[forms.PoolItem]:
    """The approved versions a campaign draws from; frozen (by id) when it opens."""
    versions = ItemVersion.objects.filter(status=ItemStatus.APPROVED)
    if campaign.pool:
        versions = ItemVersion.objects.filter(pk__in=campaign.pool)
    titles = set(campaign.job_titles.values_list("code", flat=True))
    today = clock.today()
    return [
        forms.PoolItem(v.pk, v.domain, v.difficulty, tuple(o["id"] for o in v.options))
        for v in versions.only("pk", "domain", "difficulty", "options", "job_titles", "source_effective_to")
        if campaign.pool
        or (
            (not v.job_titles or not titles or titles & set(v.job_titles))
            and (v.source_effective_to is None or v.source_effective_to >= today)
        )
    ]


@transaction.atomic
def open_campaign(campaign: Campaign, *, by: User) -> Campaign:
    """Open a campaign: the bank must fill its blueprint; the pool is frozen for every form drawn later."""
    if not rules.is_organiser(by):
        raise NotPermittedError(rules.NOT_ORGANISER)
    locked = Campaign.objects.select_for_update(of=("self",)).get(pk=campaign.pk)
    if locked.status != CampaignStatus.DRAFT:
        raise ConflictError("Đợt kiểm tra đã mở.")
    pool = pool_of(locked)
    missing = forms.shortages(locked.blueprint, pool)
    if missing:
        names = "; ".join(f"{m.part}: {m.domain}/{m.difficulty} cần {m.wanted}, có {m.available}" for m in missing)
        raise DomainError(f"Ngân hàng câu hỏi chưa đủ cho ma trận đề ({names}).", field="blueprint")
    Campaign.objects.filter(pk=locked.pk).update(status=CampaignStatus.OPEN, pool=sorted(i.version_id for i in pool))
    locked.refresh_from_db()
    return locked


@transaction.atomic
def call_candidates(campaign: Campaign, *, by: User) -> int:
    """Call the officials of the campaign's units on its reference date, less the excluded roles [R: settings]."""
    if not rules.is_organiser(by):
        raise NotPermittedError(rules.NOT_ORGANISER)
    excluded = set(settings.MOTCUA_ASSESSMENT_EXCLUDED_ROLES)
    memberships = memberships_on(campaign.reference_date).filter(unit__in=campaign.units.all())
    called = {c.user_id for c in campaign.candidates.all()}
    created = 0
    for membership in memberships.exclude(role__in=excluded).select_related("user").order_by("pk"):
        if membership.user_id in called or membership.user.is_citizen:
            continue
        Candidate.objects.create(campaign=campaign, user_id=membership.user_id, unit_id=membership.unit_id)
        called.add(membership.user_id)
        created += 1
    return created


@transaction.atomic
def remove_candidate(candidate: Candidate, *, reason: str, by: User) -> None:
    """Remove a candidate from the list, with the reason (kept on the row)."""
    if not rules.is_organiser(by):
        raise NotPermittedError(rules.NOT_ORGANISER)
    reason = _text({"reason": reason}, "reason", "Lý do", limit=2000)
    Candidate.objects.filter(pk=candidate.pk).update(is_active=False, removed_reason=reason)


def start_attempt(candidate: Candidate, *, device: str, by: User) -> Attempt:
    """Start or resume the candidate's one attempt: same form, saved answers, the time left."""
    if not rules.is_candidate(by, candidate):
        raise NotPermittedError("Ông/bà không có tên trong danh sách dự kiểm tra của đợt này.")
    campaign = candidate.campaign
    now = clock.now()
    if campaign.status != CampaignStatus.OPEN or not campaign.opens_at <= now <= campaign.closes_at:
        raise DomainError(NOT_OPEN)
    existing = Attempt.objects.filter(candidate=candidate).first()
    if existing is not None:
        return _resume(existing, device)
    seed = secrets.randbits(62)
    form = forms.draw(seed, campaign.blueprint, pool_of(campaign))
    try:
        with transaction.atomic():
            return Attempt.objects.create(
                candidate=candidate, seed=seed, form=form, started_at=now,
                deadline_at=now + timedelta(minutes=campaign.duration_minutes), device=device,
            )  # fmt: skip
    except IntegrityError:  # a concurrent start won: the unique candidate makes it one attempt
        return _resume(Attempt.objects.get(candidate=candidate), device)


@transaction.atomic
def _resume(attempt: Attempt, device: str) -> Attempt:
    locked = Attempt.objects.select_for_update(of=("self",)).select_related("candidate").get(pk=attempt.pk)
    if locked.device == device:
        return locked
    if not locked.candidate.second_device_allowed:
        raise ConflictError(OTHER_DEVICE)
    Candidate.objects.filter(pk=locked.candidate_id).update(second_device_allowed=False)  # allowed once
    Attempt.objects.filter(pk=locked.pk).update(device=device)
    locked.device = device
    return locked


def _form_versions(attempt: Attempt) -> dict[int, list[str]]:
    return {int(i["version"]): list(i["options"]) for part in attempt.form for i in part["items"]}


@transaction.atomic
def save_answer(
    attempt: Attempt, version_id: int, chosen: Any, *, sequence: Any, device: str, address: str | None, by: User
) -> tuple[Attempt, bool]:
    """Save one answer if its sequence is newer than the attempt's; a replayed or late request changes nothing.

    Returns the attempt and whether the change was applied; every applied change is an audit row.
    """
    if not isinstance(sequence, int) or isinstance(sequence, bool) or not 0 < sequence < 2**31:
        raise DomainError("Số thứ tự thay đổi phải là số nguyên dương.", field="sequence")
    if not isinstance(chosen, list) or not all(isinstance(c, str) for c in chosen) or len(chosen) > 8:
        raise DomainError("Câu trả lời phải là danh sách mã phương án.", field="chosen")
    locked = Attempt.objects.select_for_update(of=("self",)).select_related("candidate").get(pk=attempt.pk)
    if not rules.may_take(by, locked):
        raise NotPermittedError("Đây không phải bài làm của ông/bà.")
    if locked.device != device:
        raise ConflictError(OTHER_DEVICE)
    if locked.status != AttemptStatus.STARTED:
        raise ConflictError(SUBMITTED)
    if clock.now() > locked.deadline_at:
        raise ConflictError(LATE)
    options = _form_versions(locked).get(version_id)
    if options is None:
        raise DomainError(NOT_ON_FORM, field="item")
    if not set(chosen) <= set(options):
        raise DomainError("Phương án không thuộc câu hỏi này.", field="chosen")
    if sequence <= locked.sequence:
        return locked, False  # stale: a newer change is already saved
    chosen = sorted(set(chosen))
    current = Answer.objects.filter(attempt=locked, version_id=version_id).first()
    old = current.chosen if current else []
    if current is None:
        Answer.objects.create(attempt=locked, version_id=version_id, chosen=chosen, sequence=sequence)
    else:
        Answer.objects.filter(pk=current.pk).update(chosen=chosen, sequence=sequence)
    AnswerAudit.objects.create(
        attempt=locked, version_id=version_id, old=old, new=chosen, sequence=sequence, at=clock.now(), address=address
    )
    Attempt.objects.filter(pk=locked.pk).update(sequence=sequence)
    locked.sequence = sequence
    return locked, True


@transaction.atomic
def submit_attempt(attempt: Attempt, *, by: User | None, expired: bool = False) -> Attempt:
    """Hand the attempt in and score it on the server (by the candidate, or the job once past the deadline)."""
    locked = Attempt.objects.select_for_update(of=("self",)).select_related("candidate__campaign").get(pk=attempt.pk)
    if by is not None and not rules.may_take(by, locked):
        raise NotPermittedError("Đây không phải bài làm của ông/bà.")
    if locked.status != AttemptStatus.STARTED:
        return locked  # submitting twice is the same submission
    answers = {a.version_id: a.chosen for a in locked.answers.all()}
    keys = dict(ItemVersion.objects.filter(pk__in=_form_versions(locked)).values_list("pk", "key"))
    parts, overall, passed = forms.score(locked.form, answers, keys, locked.candidate.campaign.pass_marks)
    Attempt.objects.filter(pk=locked.pk).update(
        status=AttemptStatus.EXPIRED if expired else AttemptStatus.SUBMITTED,
        submitted_at=min(clock.now(), locked.deadline_at) if expired else clock.now(),
        parts=[{"name": p.name, "correct": p.correct, "total": p.total, "score": str(p.score), "passed": p.passed}
               for p in parts],
        score=overall, passed=passed,
    )  # fmt: skip
    locked.refresh_from_db()
    return locked


def submit_expired() -> int:
    """Submit every attempt past its deadline (the periodic job); return how many."""
    expired: Sequence[Attempt] = list(
        Attempt.objects.filter(status=AttemptStatus.STARTED, deadline_at__lt=clock.now()).only("pk")
    )
    for attempt in expired:
        submit_attempt(attempt, by=None, expired=True)
    return len(expired)


@transaction.atomic
def grant_extra_time(attempt: Attempt, minutes: Any, *, reason: str, by: User) -> Attempt:
    """Give one candidate extra minutes (an invigilator of their sitting), with a reason."""
    locked = Attempt.objects.select_for_update(of=("self",)).select_related("candidate__sitting").get(pk=attempt.pk)
    sitting = locked.candidate.sitting
    if sitting is None or not rules.is_invigilator(by, sitting):
        raise NotPermittedError("Chỉ giám thị của ca thi được cộng thêm giờ.")
    if not isinstance(minutes, int) or isinstance(minutes, bool) or not 0 < minutes <= 120:
        raise DomainError("Số phút cộng thêm từ 1 đến 120.", field="minutes")
    _text({"reason": reason}, "reason", "Lý do", limit=2000)
    Attempt.objects.filter(pk=locked.pk).update(
        extra_minutes=locked.extra_minutes + minutes, deadline_at=locked.deadline_at + timedelta(minutes=minutes)
    )
    locked.refresh_from_db()
    return locked
