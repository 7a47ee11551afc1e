"""The one writer of the PAR index: publishing a set, opening a round, each unit's items and actions, appraisal,
the data feed and the published ranking. Every write locks its row, checks `rules`, and appends an event."""

import hashlib
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q
from django.utils.module_loading import import_string

from motcua.core import clock
from motcua.core.downloads import SUFFIXES
from motcua.core.errors import ConflictError, DomainError, NotPermittedError
from motcua.core.office_files import SUFFIXES as OFFICE_SUFFIXES
from motcua.core.office_files import check_office_document, is_office_package
from motcua.core.text import clean_free_text
from motcua.core.uploads import CheckedScan
from motcua.dossiers.drafts import check_scan
from motcua.organizations.models import Unit, UnitType, User

from . import feed, rules, scoring, totals
from .lifecycle import Action, Level, Method, RoundStatus, Status, transition
from .models import Assessment, Event, Evidence, Item, ParIndexSet, Round, SubCriterion

MAX_TEXT = 4_000
MAX_FILES = 10
LEVEL_UNITS = {Level.DEPARTMENT: [UnitType.DEPARTMENT], Level.COMMUNE: [UnitType.COMMUNE_COMMITTEE]}


def _text(value: str, field: str, *, limit: int = MAX_TEXT) -> str:
    if not isinstance(value, str) or "\x00" in value:
        raise DomainError("Nội dung có ký tự không hợp lệ.", field=field)
    if len(value) > limit:
        raise DomainError(f"Nội dung dài quá {limit} ký tự.", field=field)
    try:
        return clean_free_text(value, multiline=True)
    except ValidationError as refused:
        raise DomainError(refused.messages[0], field=field) from None


def check_evidence(content: bytes) -> CheckedScan:
    """A scan (PDF, JPEG, PNG: `check_scan`) or an Office document (.docx, .xlsx, .odt: `check_office_document`),
    each within the upload limit and through the virus scanner, as every upload."""
    if not is_office_package(content):
        return check_scan(content)
    limit = settings.MOTCUA_MAX_UPLOAD_BYTES
    if len(content) > limit:
        raise DomainError(f"Tệp lớn hơn {limit // (1024 * 1024)} MB.", field="files")
    checked = check_office_document(content)
    try:
        import_string(settings.MOTCUA_VIRUS_SCANNER)(content)
    except DomainError:
        raise
    except Exception:  # an unchecked file is never stored
        raise DomainError(
            "Chưa kiểm tra được virus cho tệp này nên tệp chưa được lưu; vui lòng thử lại sau."
        ) from None
    return checked


def _suffix(content_type: str) -> str:
    return OFFICE_SUFFIXES.get(content_type) or SUFFIXES.get(content_type, ("",))[0]


def _office(by: User) -> None:
    if not rules.is_reform_office(by):
        raise NotPermittedError(rules.OFFICE_ONLY)


def spec_of(sub: SubCriterion) -> scoring.Spec:
    return scoring.Spec(
        rule=sub.rule, max_points=sub.max_points, input_type=sub.input_type, threshold=sub.threshold,
        bands=scoring.parse_bands(sub.bands), per_count=sub.per_count,
    )  # fmt: skip


def publish_set(index_set: ParIndexSet, *, by: User, decision_number: str | None = None,
                decision_date: date | None = None) -> ParIndexSet:  # fmt: skip
    """Publish a set by its decision (its number and date given here or already on the set): from then on the
    database refuses any change to it."""
    _office(by)
    if decision_number is not None:
        decision_number = _text(decision_number, "decision_number", limit=60).strip()
    if decision_date is not None and not isinstance(decision_date, date):
        raise DomainError("Ngày quyết định không hợp lệ.", field="decision_date")
    with transaction.atomic():
        locked = ParIndexSet.objects.select_for_update(of=("self",)).get(pk=index_set.pk)
        if locked.published_at is not None:
            raise ConflictError("Bộ chỉ số đã được công bố.")
        if decision_number:
            locked.decision_number = decision_number
        if decision_date is not None:
            locked.decision_date = decision_date
        if not locked.decision_number or locked.decision_date is None:
            raise DomainError("Cần số và ngày quyết định ban hành bộ chỉ số.", field="decision_number")
        if not locked.sub_criteria.exists():
            raise DomainError("Bộ chỉ số chưa có tiêu chí thành phần nào.")
        locked.published_at = clock.now()
        locked.save(update_fields=["decision_number", "decision_date", "published_at"])
    index_set.published_at = locked.published_at
    return locked


def create_round(index_set: ParIndexSet, *, year: int, open_from: datetime, open_to: datetime, appraisal_deadline: Any,
                 complaint_days: int, by: User) -> Round:  # fmt: skip
    _office(by)
    if index_set.published_at is None:
        raise DomainError("Chỉ mở đợt đánh giá theo bộ chỉ số đã công bố.", field="index_set")
    if open_to <= open_from:
        raise DomainError("Hạn tự đánh giá phải sau ngày mở.", field="open_to")
    if appraisal_deadline < open_to.astimezone(clock.VIETNAM).date():
        raise DomainError("Hạn thẩm định phải sau hạn tự đánh giá.", field="appraisal_deadline")
    if not 0 <= complaint_days <= 90:
        raise DomainError("Số ngày tiếp nhận kiến nghị từ 0 đến 90.", field="complaint_days")
    with transaction.atomic():
        round_ = Round.objects.create(
            index_set=index_set, year=year, open_from=open_from, open_to=open_to,
            appraisal_deadline=appraisal_deadline, complaint_days=complaint_days,
        )  # fmt: skip
        Event.objects.create(round=round_, action="create", actor=by, at=clock.now())
    return round_


def open_round(round_: Round, *, by: User, units: list[Unit] | None = None) -> Round:
    """Open a round: its units are fixed now (those of the set's level, unless named), each with one item per
    sub-criterion; the data-fed items are filled from motcua's counters."""
    _office(by)
    with transaction.atomic():
        locked = Round.objects.select_for_update(of=("self",)).select_related("index_set").get(pk=round_.pk)
        if locked.status != RoundStatus.DRAFT:
            raise ConflictError("Đợt đánh giá đã được mở.")
        if units is None:
            types = LEVEL_UNITS[Level(locked.index_set.level)]
            today = clock.today()
            current = Q(valid_to__isnull=True) | Q(valid_to__gte=today)
            units = list(Unit.objects.filter(current, type__in=types).order_by("code"))
        subs = list(locked.index_set.sub_criteria.all())
        for unit in units:
            assessment = Assessment.objects.create(round=locked, unit=unit, deadline=locked.open_to)
            Item.objects.bulk_create(Item(assessment=assessment, sub_criterion=sub) for sub in subs)
        locked.status = RoundStatus.OPEN
        locked.save(update_fields=["status"])
        Event.objects.create(round=locked, action=Action.OPEN_ROUND, actor=by, at=clock.now(),
                             details={"units": [u.code for u in units]})  # fmt: skip
    feed_data(locked, by=by)
    return locked


def feed_data(round_: Round, *, by: User) -> int:
    """Fill every data-fed item of the round from the QĐ 766 indicators of its year; returns the items changed.

    The figures of all units come from one province board (`feed.ratios_for_units`), then each unit's items are
    written under its row lock; a value that did not move is left alone."""
    _office(by)
    round_ = Round.objects.select_related("index_set").get(pk=round_.pk)  # its status now, not the caller's copy
    if round_.status != RoundStatus.OPEN:
        raise ConflictError("Chỉ lấy số liệu cho đợt đang đánh giá.")
    subs = {s.pk: s for s in round_.index_set.sub_criteria.all() if s.method == Method.DATA and s.indicator}
    if not subs:
        return 0
    assessments = list(round_.assessments.select_related("unit").order_by("pk"))
    codes = {s.indicator for s in subs.values()}
    figures = feed.ratios_for_units([a.unit for a in assessments], round_.year, codes)
    changed = 0
    with transaction.atomic():
        for assessment in assessments:
            snapshots = figures[assessment.unit_id]
            items = Item.objects.select_for_update(of=("self",)).filter(assessment=assessment,
                                                                        sub_criterion_id__in=subs)  # fmt: skip
            touched = False
            for item in items:
                sub = subs[item.sub_criterion_id]
                snapshot = snapshots[sub.indicator]
                if _same_figures(snapshot, item.snapshot):
                    continue
                ratio = feed.ratio_of(snapshot)
                item.value = str(ratio) if ratio is not None else ""
                item.self_score = scoring.score(spec_of(sub), str(ratio)) if ratio is not None else None
                item.snapshot, item.updated_at = snapshot, clock.now()
                item.save(update_fields=["value", "self_score", "snapshot", "updated_at"])
                changed += 1
                touched = True
            if touched:
                _retotal(assessment)
        Event.objects.create(round=round_, action=Action.FEED, actor=by, at=clock.now(), details={"items": changed})
    return changed


def _same_figures(new: dict[str, Any], old: dict[str, Any]) -> bool:
    """Equal but for the instant they were read."""
    return {k: v for k, v in new.items() if k != "at"} == {k: v for k, v in old.items() if k != "at"}


def _locked(assessment: Assessment) -> Assessment:
    return (
        Assessment.objects.select_for_update(of=("self",))
        .select_related("round", "round__index_set")
        .get(pk=assessment.pk)
    )


def _guard(assessment: Assessment, by: User, action: Action) -> None:
    refusal = rules.refusal_for(assessment, by, action)
    if refusal:
        raise NotPermittedError(refusal) if not rules.actors_of(by, assessment) else ConflictError(refusal)


def save_item(assessment: Assessment, code: str, *, by: User, value: str, explanation: str = "",
              files: tuple[tuple[str, bytes], ...] = ()) -> Item:  # fmt: skip
    """Enter one sub-criterion's value: scored by its rule (never above its maximum), with its evidence or, without
    evidence, a mandatory explanation. Survey and data-fed items are not the unit's to enter."""
    value = _text(value, "value", limit=40).strip()
    explanation = _text(explanation, "explanation")
    if len(files) > MAX_FILES:
        raise DomainError(f"Tối đa {MAX_FILES} tệp cho mỗi lần lưu.", field="files")
    checked = [(name[:200], check_evidence(content)) for name, content in files]
    with transaction.atomic():
        locked = _locked(assessment)
        _guard(locked, by, Action.SAVE_ITEM)
        item = (
            Item.objects.select_for_update(of=("self",))
            .select_related("sub_criterion")
            .filter(assessment=locked, sub_criterion__code=code)
            .first()
        )
        if item is None:
            raise DomainError("Không có tiêu chí thành phần này trong bộ chỉ số.", field="code")
        sub = item.sub_criterion
        if sub.method == Method.SURVEY:
            raise DomainError("Tiêu chí đo bằng điều tra xã hội học, đơn vị không tự chấm.", field="value")
        if sub.method == Method.DATA:
            raise DomainError("Tiêu chí lấy số liệu từ motcua, đơn vị không sửa được.", field="value")
        points = scoring.score(spec_of(sub), value)
        has_evidence = bool(checked) or item.evidence.exists()
        if sub.evidence_required and not has_evidence and not explanation.strip():
            raise DomainError("Chưa có tài liệu kiểm chứng: phải giải trình lý do.", field="explanation")
        now = clock.now()
        for name, scan in checked:
            digest = hashlib.sha256(scan.content).hexdigest()
            Evidence.objects.create(
                item=item, file=ContentFile(scan.content, name=f"{digest}{_suffix(scan.content_type)}"),
                original_name=name, content_type=scan.content_type, size=len(scan.content), sha256=digest,
                uploaded_at=now,
            )  # fmt: skip
        item.value, item.self_score, item.not_applicable = value, points, points is None
        item.explanation, item.updated_at = explanation, now
        item.save(update_fields=["value", "self_score", "not_applicable", "explanation", "updated_at"])
        _retotal(locked)
        Event.objects.create(
            round=locked.round, assessment=locked, action=Action.SAVE_ITEM, actor=by, at=now,
            details={"code": code, "value": value, "score": str(points), "files": len(checked)},
        )  # fmt: skip
    return item


def act(
    assessment: Assessment, action: Action, *, by: User, reason: str = "", until: datetime | None = None
) -> Assessment:
    """Approve (the unit's leader), submit, reopen (Sở Nội vụ, with a reason and a new date), finalise."""
    if action not in (Action.APPROVE, Action.SUBMIT, Action.REOPEN, Action.FINALISE):
        raise DomainError("Thao tác không hợp lệ.", field="action")
    reason = _text(reason, "reason")
    with transaction.atomic():
        locked = _locked(assessment)
        _guard(locked, by, action)
        now, details = clock.now(), {}
        t = transition(action)
        if t.needs_reason and not reason.strip():
            raise DomainError("Cần nêu lý do.", field="reason")
        if action == Action.APPROVE:
            missing = [
                i.sub_criterion.code for i in locked.items.select_related("sub_criterion")
                if i.sub_criterion.method == Method.SELF and not i.value
            ]  # fmt: skip
            if missing:
                raise DomainError("Còn tiêu chí chưa tự đánh giá: " + ", ".join(missing[:20]) + ".", field="items")
        if action == Action.REOPEN:
            if until is None or until <= now:
                raise DomainError("Hạn mới phải sau thời điểm hiện tại.", field="until")
            locked.deadline, details = until, {"until": until.isoformat()}
        if action == Action.FINALISE:
            pending = locked.items.filter(appraised_score__isnull=True).exclude(sub_criterion__method=Method.SURVEY)
            for item in pending.select_related("sub_criterion"):  # not commented: the unit's score stands
                item.appraised_score = item.self_score
                item.save(update_fields=["appraised_score"])
        locked.status = t.target if t.target is not None else locked.status
        locked.save(update_fields=["status", "deadline"])
        _retotal(locked)
        Event.objects.create(round=locked.round, assessment=locked, action=action, actor=by, at=now, reason=reason,
                             details=details)  # fmt: skip
    return locked


def appraise(assessment: Assessment, code: str, *, by: User, points: str, comment: str = "") -> Item:
    """The working group's score and comment for one item, beside the unit's own."""
    comment = _text(comment, "comment")
    with transaction.atomic():
        locked = _locked(assessment)
        _guard(locked, by, Action.APPRAISE)
        item = (
            Item.objects.select_for_update(of=("self",))
            .select_related("sub_criterion")
            .filter(assessment=locked, sub_criterion__code=code)
            .first()
        )
        if item is None:
            raise DomainError("Không có tiêu chí thành phần này trong bộ chỉ số.", field="code")
        figure = scoring.number(_text(points, "points", limit=20))
        if figure > item.sub_criterion.max_points:
            raise DomainError(f"Điểm không được vượt quá điểm tối đa {item.sub_criterion.max_points}.", field="points")
        item.appraised_score, item.appraisal_comment = figure.quantize(scoring.CENT), comment
        item.save(update_fields=["appraised_score", "appraisal_comment"])
        _retotal(locked)
        Event.objects.create(round=locked.round, assessment=locked, action=Action.APPRAISE, actor=by, at=clock.now(),
                             reason=comment, details={"code": code, "score": str(item.appraised_score)})  # fmt: skip
    return item


def _retotal(assessment: Assessment) -> None:
    """Recompute the projections (self total, appraised total) from the items."""
    policy = assessment.round.index_set.not_applicable
    rows = list(assessment.items.select_related("sub_criterion"))

    def with_(score_of: Any) -> Decimal:
        return totals.total(
            ((i.sub_criterion.sign, i.sub_criterion.method, i.sub_criterion.max_points, score_of(i), i.not_applicable)
             for i in rows), policy,
        )  # fmt: skip

    self_total = with_(lambda i: i.self_score)
    appraised = any(i.appraised_score is not None for i in rows)
    appraised_total = with_(lambda i: i.appraised_score if i.appraised_score is not None else i.self_score)
    Assessment.objects.filter(pk=assessment.pk).update(
        self_total=self_total, appraised_total=appraised_total if appraised else None
    )


def publish_ranking(round_: Round, *, by: User, decision_number: str) -> Round:
    """Rank the units by their final total (ties share a rank) and publish with the UBND decision."""
    _office(by)
    decision_number = _text(decision_number, "decision_number", limit=60).strip()
    if not decision_number:
        raise DomainError("Cần số quyết định công bố kết quả.", field="decision_number")
    with transaction.atomic():
        locked = Round.objects.select_for_update(of=("self",)).get(pk=round_.pk)
        if locked.status != RoundStatus.OPEN:
            raise ConflictError("Chỉ công bố đợt đang đánh giá.")
        assessments = list(locked.assessments.select_for_update(of=("self",)).order_by("pk"))
        unfinished = [a.unit_id for a in assessments if a.status != Status.FINALISED]
        if unfinished:
            raise ConflictError(f"Còn {len(unfinished)} đơn vị chưa chốt kết quả thẩm định.")
        finals = [a.appraised_total if a.appraised_total is not None else a.self_total for a in assessments]
        for assessment, rank in zip(assessments, totals.ranks(finals), strict=True):
            assessment.rank = rank
            assessment.save(update_fields=["rank"])
        locked.status, locked.decision_number, locked.published_at = (
            RoundStatus.PUBLISHED,
            decision_number,
            clock.now(),
        )
        locked.save(update_fields=["status", "decision_number", "published_at"])
        Event.objects.create(round=locked, action=Action.PUBLISH, actor=by, at=clock.now(),
                             details={"decision": decision_number})  # fmt: skip
    return locked
