"""Campaigns and the test itself: opening, candidates, starting, autosave, submission, scoring. The one writer.

Time is the server's: deadline = start + duration + extra time granted; the page's countdown is for display only.
"""

import secrets
from collections.abc import Mapping, Sequence
from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction

from motcua.core import clock
from motcua.core.errors import ConflictError, DomainError, NotPermittedError
from motcua.organizations.models import Unit, User, UserKind
from motcua.organizations.selectors import memberships_on

from . import forms, rules
from .bank import _date, _text
from .lifecycle import AttemptStatus, CampaignStatus, Difficulty, Domain, ItemStatus
from .models import (
    Answer,
    AnswerAudit,
    Attempt,
    Campaign,
    CampaignEvent,
    Candidate,
    ItemVersion,
    JobTitle,
    Sitting,
)

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
    _event(campaign, "call", by, detail={"called": created})
    return created


@transaction.atomic
def remove_candidate(candidate: Candidate, *, reason: str, by: User) -> None:
    """Remove a candidate from the list, with the reason (kept on the row)."""
    if not rules.is_organiser(by):
        raise NotPermittedError(rules.NOT_ORGANISER)
    reason = _text({"reason": reason}, "reason", "Lý do", limit=2000)
    locked = Candidate.objects.select_for_update(of=("self",)).get(pk=candidate.pk)
    if not locked.is_active:
        raise ConflictError("Người này đã được rút khỏi danh sách.")
    Candidate.objects.filter(pk=locked.pk).update(is_active=False, removed_reason=reason)
    _event(locked.campaign, "remove", by, reason=reason, candidate=locked)


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
    reason = _text({"reason": reason}, "reason", "Lý do", limit=2000)
    if locked.status != AttemptStatus.STARTED:
        raise ConflictError(SUBMITTED)
    Attempt.objects.filter(pk=locked.pk).update(
        extra_minutes=locked.extra_minutes + minutes, deadline_at=locked.deadline_at + timedelta(minutes=minutes)
    )
    _event(sitting.campaign, "extend", by, reason=reason, sitting=sitting, candidate=locked.candidate,
           detail={"minutes": minutes})  # fmt: skip
    locked.refresh_from_db()
    return locked


@transaction.atomic
def allow_second_device(candidate: Candidate, *, reason: str, by: User) -> Candidate:
    """Let the candidate's attempt move once to another device (an invigilator of their sitting), with a reason."""
    locked = Candidate.objects.select_for_update(of=("self",)).select_related("sitting").get(pk=candidate.pk)
    if locked.sitting is None or not rules.is_invigilator(by, locked.sitting):
        raise NotPermittedError("Chỉ giám thị của ca thi được cho phép chuyển thiết bị.")
    reason = _text({"reason": reason}, "reason", "Lý do", limit=2000)
    Candidate.objects.filter(pk=locked.pk).update(second_device_allowed=True)
    _event(locked.campaign, "second_device", by, reason=reason, sitting=locked.sitting, candidate=locked)
    locked.second_device_allowed = True
    return locked


def _event(
    campaign: Campaign, action: str, by: User, *, reason: str = "", sitting: Sitting | None = None,
    candidate: Candidate | None = None, detail: Mapping[str, Any] | None = None,
) -> CampaignEvent:  # fmt: skip
    return CampaignEvent.objects.create(
        campaign=campaign, sitting=sitting, candidate=candidate, action=action, reason=reason,
        detail=dict(detail or {}), actor=by, at=clock.now(),
    )  # fmt: skip


def _instant(data: Mapping[str, Any], field: str, what: str) -> datetime:
    value = data.get(field)
    if isinstance(value, datetime):
        parsed = value
    else:
        if not isinstance(value, str) or not 16 <= len(value) <= 32:
            raise DomainError(f"{what} không phải thời điểm hợp lệ (yyyy-mm-ddThh:mm).", field=field)
        try:
            parsed = datetime.fromisoformat(value)
        except ValueError:
            raise DomainError(f"{what} không phải thời điểm hợp lệ (yyyy-mm-ddThh:mm).", field=field) from None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=clock.VIETNAM)


def _whole(data: Mapping[str, Any], field: str, what: str, low: int, high: int) -> int:
    value = data.get(field)
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value)
    if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
        raise DomainError(f"{what} phải là số nguyên từ {low} đến {high}.", field=field)
    return value


def checked_blueprint(value: Any) -> list[dict[str, Any]]:
    """A blueprint: 1–10 named parts, each with cells of a domain, a difficulty and a count (1–200)."""
    shape = "Ma trận đề gồm các phần, mỗi phần có tên và các ô (lĩnh vực, độ khó, số câu)."
    fault = DomainError(shape, field="blueprint")
    if not isinstance(value, list) or not 1 <= len(value) <= 10:
        raise fault
    parts, names = [], set()
    for part in value:
        if not isinstance(part, dict) or not isinstance(part.get("cells"), list) or not part["cells"]:
            raise fault
        name = _text(part, "name", "Tên phần", limit=100)
        if name in names:
            raise DomainError("Tên phần của ma trận đề bị trùng.", field="blueprint")
        names.add(name)
        cells = []
        for cell in part["cells"][:40]:
            if (
                not isinstance(cell, dict)
                or cell.get("domain") not in set(Domain)
                or cell.get("difficulty") not in set(Difficulty)
            ):
                raise fault
            count = _whole(cell, "count", "Số câu", 1, 200)
            cells.append({"domain": str(cell["domain"]), "difficulty": str(cell["difficulty"]), "count": count})
        parts.append({"name": name, "cells": cells})
    return parts


def _pass_marks(value: Any) -> dict[str, Any]:
    if value in (None, ""):
        return {"part": 50, "overall": 50}
    if not isinstance(value, dict):
        raise DomainError("Điểm đạt phải gồm điểm mỗi phần và điểm chung.", field="pass_marks")
    marks: dict[str, Any] = {
        "part": _whole(value, "part", "Điểm đạt mỗi phần", 0, 100),
        "overall": _whole(value, "overall", "Điểm đạt chung", 0, 100),
    }
    weights = value.get("weights") or {}
    if not isinstance(weights, dict) or len(weights) > 10:
        raise DomainError("Trọng số phải là bảng tên phần → số.", field="pass_marks")
    marks["weights"] = {str(k)[:100]: _whole(weights, k, "Trọng số", 0, 100) for k in weights}
    return marks


@transaction.atomic
def create_campaign(data: Mapping[str, Any], *, by: User) -> Campaign:
    """Set up a campaign under the province's own plan (number, date): units, titles, window, blueprint, marks."""
    if not rules.is_organiser(by):
        raise NotPermittedError(rules.NOT_ORGANISER)
    required = {"basis_date": "Ngày kế hoạch", "reference_date": "Ngày chốt danh sách", "publish_on": "Ngày công bố"}
    dates: dict[str, date] = {}
    for field, what in required.items():
        given = _date(data, field, what)
        if given is None:
            raise DomainError(f"Cần nhập {what.lower()}.", field=field)
        dates[field] = given
    opens_at, closes_at = _instant(data, "opens_at", "Thời điểm mở"), _instant(data, "closes_at", "Thời điểm đóng")
    if closes_at <= opens_at:
        raise DomainError("Thời điểm đóng phải sau thời điểm mở.", field="closes_at")
    if dates["publish_on"] < closes_at.astimezone(clock.VIETNAM).date():
        raise DomainError("Ngày công bố kết quả không được trước ngày kết thúc đợt.", field="publish_on")
    unit_codes = data.get("units")
    if not isinstance(unit_codes, list) or not unit_codes or not all(isinstance(c, str) for c in unit_codes):
        raise DomainError("Cần chọn ít nhất một đơn vị.", field="units")
    units = list(Unit.objects.filter(code__in=unit_codes[:500]))
    if len(units) != len(set(unit_codes)):
        raise DomainError("Có mã đơn vị không tồn tại.", field="units")
    title_codes = data.get("job_titles") or []
    if not isinstance(title_codes, list) or not all(isinstance(c, str) for c in title_codes):
        raise DomainError("Vị trí việc làm phải là danh sách mã.", field="job_titles")
    titles = list(JobTitle.objects.filter(code__in=title_codes[:100], excluded=False))
    if len(titles) != len(set(title_codes)):
        raise DomainError("Có vị trí việc làm không tồn tại hoặc không thuộc diện kiểm tra.", field="job_titles")
    campaign = Campaign.objects.create(
        name=_text(data, "name", "Tên đợt kiểm tra", limit=300),
        basis_number=_text(data, "basis_number", "Số kế hoạch", limit=100),
        basis_date=dates["basis_date"], reference_date=dates["reference_date"], publish_on=dates["publish_on"],
        opens_at=opens_at, closes_at=closes_at,
        duration_minutes=_whole(data, "duration_minutes", "Thời gian làm bài (phút)", 5, 300),
        blueprint=checked_blueprint(data.get("blueprint")), pass_marks=_pass_marks(data.get("pass_marks")),
        qualifies_one_stop=data.get("qualifies_one_stop") is True, created_by=by,
    )  # fmt: skip
    campaign.units.set(units)
    campaign.job_titles.set(titles)
    _event(campaign, "create", by)
    return campaign


@transaction.atomic
def add_sitting(campaign: Campaign, data: Mapping[str, Any], *, by: User) -> Sitting:
    """Add a ca thi (room, start, capacity, invigilators by username) to a campaign not yet closed."""
    if not rules.is_organiser(by):
        raise NotPermittedError(rules.NOT_ORGANISER)
    locked = Campaign.objects.select_for_update(of=("self",)).get(pk=campaign.pk)
    if locked.status == CampaignStatus.CLOSED:
        raise ConflictError("Đợt kiểm tra đã kết thúc.")
    starts_at = _instant(data, "starts_at", "Giờ bắt đầu")
    if not locked.opens_at <= starts_at <= locked.closes_at:
        raise DomainError("Ca thi phải nằm trong thời gian của đợt kiểm tra.", field="starts_at")
    names = data.get("invigilators")
    if not isinstance(names, list) or not names or not all(isinstance(n, str) for n in names):
        raise DomainError("Cần ít nhất một giám thị (tên đăng nhập).", field="invigilators")
    invigilators = list(User.objects.filter(username__in=names[:20], kind=UserKind.STAFF))
    if len(invigilators) != len(set(names)):
        raise DomainError("Có giám thị không phải cán bộ trong hệ thống.", field="invigilators")
    sitting = Sitting.objects.create(
        campaign=locked, room=_text(data, "room", "Phòng thi", limit=200), starts_at=starts_at,
        capacity=_whole(data, "capacity", "Số chỗ", 1, 1000),
    )  # fmt: skip
    sitting.invigilators.set(invigilators)
    _event(locked, "add_sitting", by, sitting=sitting, detail={"room": sitting.room})
    return sitting


@transaction.atomic
def add_candidate(campaign: Campaign, user: User, unit: Unit, *, reason: str, by: User) -> Candidate:
    """Add an official the memberships did not call (or bring back a removed one), with a reason."""
    if not rules.is_organiser(by):
        raise NotPermittedError(rules.NOT_ORGANISER)
    reason = _text({"reason": reason}, "reason", "Lý do", limit=2000)
    if user.is_citizen:
        raise DomainError("Chỉ cán bộ, công chức được gọi dự kiểm tra.", field="user")
    locked = Campaign.objects.select_for_update(of=("self",)).get(pk=campaign.pk)
    if locked.status == CampaignStatus.CLOSED:
        raise ConflictError("Đợt kiểm tra đã kết thúc.")
    existing = Candidate.objects.filter(campaign=locked, user=user).first()
    if existing is not None and existing.is_active:
        raise ConflictError("Người này đã có tên trong danh sách.")
    if existing is None:
        existing = Candidate.objects.create(campaign=locked, user=user, unit=unit, added_reason=reason)
    else:
        Candidate.objects.filter(pk=existing.pk).update(is_active=True, added_reason=reason, removed_reason="")
    _event(locked, "add", by, reason=reason, candidate=existing)
    return existing
