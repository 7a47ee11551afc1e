"""Sở Nội vụ's PAR pages: publish a set by its decision, create and open a round, feed it from motcua's figures,
publish the ranking. Each form posts to one `services` call; the service refuses everyone else, nothing changed."""

from datetime import date, datetime
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from motcua.core import clock
from motcua.core.errors import DomainError
from motcua.organizations.models import User
from motcua.par import rules, selectors, services
from motcua.par.lifecycle import LEVEL_LABELS, ROUND_STATUS_LABELS, Level, RoundStatus

from .views import staff_only

ROUND_STEPS = ("open", "feed", "publish")


def _office(request: HttpRequest) -> User:
    user = staff_only(request)
    if not rules.is_reform_office(user):
        raise PermissionDenied(rules.OFFICE_ONLY)
    return user


def _date(raw: str, field: str) -> date:
    try:
        return date.fromisoformat(raw[:10])
    except ValueError:
        raise DomainError("Ngày không hợp lệ (dd/mm/yyyy).", field=field) from None


def _instant(raw: str, field: str) -> datetime:
    """A `datetime-local` field, in Vietnam's time."""
    try:
        typed = datetime.fromisoformat(raw[:32])
    except ValueError:
        raise DomainError("Thời điểm không hợp lệ.", field=field) from None
    return typed.replace(tzinfo=clock.VIETNAM) if typed.tzinfo is None else typed


def _number(raw: str, field: str) -> int:
    if not raw.isascii() or not raw.isdigit() or len(raw) > 6:
        raise DomainError("Giá trị phải là số nguyên.", field=field)
    return int(raw)


@login_required
def manage(request: HttpRequest) -> HttpResponse:
    _office(request)
    sets = list(selectors.sets()[:50])
    rounds = list(selectors.rounds()[:50])
    context: dict[str, Any] = {
        "sets": [(s, LEVEL_LABELS[Level(s.level)]) for s in sets],
        "published_sets": [s for s in sets if s.published_at is not None],
        "rounds": [(r, ROUND_STATUS_LABELS[RoundStatus(r.status)]) for r in rounds],
        "today": clock.today(),
    }
    return render(request, "office/par_manage.html", context)


def _done(request: HttpRequest, work: Any, success: str) -> HttpResponse:
    try:
        work()
    except DomainError as refused:
        if refused.status in (403, 404):
            raise PermissionDenied(refused.message) if refused.status == 403 else Http404 from None
        messages.error(request, refused.message)
        response = redirect("office:par-manage")
        response.status_code = 303
        return response
    messages.success(request, success)
    return redirect("office:par-manage")


@login_required
@require_POST
def publish_set(request: HttpRequest, set_id: int) -> HttpResponse:
    user = _office(request)
    index_set = selectors.sets().filter(pk=set_id).first()
    if index_set is None:
        raise Http404
    post = request.POST

    def work() -> None:
        services.publish_set(index_set, by=user, decision_number=post.get("decision_number", ""),
                             decision_date=_date(post.get("decision_date", ""), "decision_date"))  # fmt: skip

    return _done(request, work, "Đã công bố bộ chỉ số.")


@login_required
@require_POST
def create_round(request: HttpRequest) -> HttpResponse:
    user = _office(request)
    post = request.POST

    def work() -> None:
        set_id = _number(post.get("index_set", ""), "index_set")
        index_set = selectors.sets().filter(pk=set_id).first()
        if index_set is None:
            raise DomainError("Không tìm thấy bộ chỉ số.", field="index_set")
        year = _number(post.get("year", ""), "year")
        if not 2000 <= year <= 2100:
            raise DomainError("Năm đánh giá không hợp lệ.", field="year")
        services.create_round(
            index_set, year=year, open_from=_instant(post.get("open_from", ""), "open_from"),
            open_to=_instant(post.get("open_to", ""), "open_to"),
            appraisal_deadline=_date(post.get("appraisal_deadline", ""), "appraisal_deadline"),
            complaint_days=_number(post.get("complaint_days", "10"), "complaint_days"), by=user,
        )  # fmt: skip

    return _done(request, work, "Đã tạo đợt đánh giá.")


@login_required
@require_POST
def round_step(request: HttpRequest, round_id: int, step: str) -> HttpResponse:
    user = _office(request)
    round_ = selectors.rounds().filter(pk=round_id).first()
    if round_ is None or step not in ROUND_STEPS:
        raise Http404

    def work() -> None:
        if step == "open":
            services.open_round(round_, by=user)
        elif step == "feed":
            services.feed_data(round_, by=user)
        else:
            services.publish_ranking(round_, by=user, decision_number=request.POST.get("decision_number", ""))

    labels = {"open": "Đã mở đợt đánh giá.", "feed": "Đã lấy số liệu từ motcua.", "publish": "Đã công bố kết quả."}
    return _done(request, work, labels[step])
