"""Officers' work list: the dossiers of their units in tabs with counts, searched and filtered."""

from dataclasses import replace
from datetime import date, datetime, time, timedelta
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from motcua.core import clock
from motcua.core.formatting import format_number
from motcua.dossiers.lifecycle import OPEN, PAUSED, RUNNING, Status
from motcua.dossiers.worklist import QueueFilter, Tab, work_list_for
from motcua.worktime.arithmetic import to_local
from motcua.worktime.selectors import calendar_for, calendars_for

from . import worklists
from .views import staff_only, urgency

COUNT_CAP = 1000  # above it a tab says "1.000+": counting a big unit's whole backlog on every page is not worth it
DATE_FORMATS = ["%d/%m/%Y", "%Y-%m-%d"]  # as typed, and as a date picker sends it
SPLIT_OPEN = ("cho-tiep-nhan", "dang-xu-ly", "cho-bo-sung", "cho-tra-ket-qua")  # their statuses make up OPEN


def tabs(now: datetime) -> list[Tab]:
    """Return the tabs of the list in the request's language; the deadline ones are running dossiers seen from now."""
    near_due = QueueFilter(due_from=now, due_before=near_due_bound(now), near_due=True)
    return [
        Tab("mo", _("Tất cả hồ sơ đang mở"), OPEN, total_of=SPLIT_OPEN),
        Tab("cho-tiep-nhan", _("Chờ tiếp nhận"), frozenset({Status.SUBMITTED})),
        Tab("dang-xu-ly", _("Đang xử lý"), RUNNING),
        Tab("sap-den-han", _("Sắp đến hạn"), RUNNING, near_due),
        Tab("qua-han", _("Quá hạn"), RUNNING, QueueFilter(due_before=now)),
        # Both pauses wait on the applicant: papers to add (5) or fees and taxes to pay (6).
        Tab("cho-bo-sung", _("Chờ bổ sung"), PAUSED),
        Tab("cho-tra-ket-qua", _("Chờ trả kết quả"), frozenset({Status.FINISHED})),
        Tab("tat-ca", _("Tất cả (kể cả đã kết thúc)"), None, counted=False),
    ]


def near_due_bound(now: datetime) -> datetime:
    """Return an instant after the due instant of every dossier the deadline watch may have flagged near-due by now.

    The watch flags running dossiers due before max(now + MOTCUA_NEAR_DUE_WORKING_MINUTES, the end of the next working
    day), a horizon that only moves forward: nothing flagged earlier is due later. A day more keeps clear of the edge;
    the bound lets the count read only the dossiers due in the next days, not the unit's whole running backlog.
    """
    calendar = calendar_for(None)
    window = calendar.add_working_minutes(now, settings.MOTCUA_NEAR_DUE_WORKING_MINUTES)
    next_day = to_local(calendar.add_working_days(now, 1)).date()
    return max(window, datetime.combine(next_day, time(), tzinfo=clock.VIETNAM)) + timedelta(days=2)


class ListFilters(forms.Form):
    """The search and filters above the list; an invalid one is shown beside its field and ignored.

    The template writes the inputs itself: Django's widget templates took half the page's time for one select.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["q"] = forms.CharField(required=False, max_length=100)
        self.fields["thu-tuc"] = forms.CharField(required=False, max_length=40)
        for name in ("tu-ngay", "den-ngay"):
            self.fields[name] = forms.DateField(
                required=False,
                input_formats=DATE_FORMATS,
                error_messages={"invalid": _("Nhập ngày theo dạng dd/mm/yyyy.")},
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("tu-ngay"), data.get("den-ngay")
        if start and end and start > end:
            self.add_error("den-ngay", _("Ngày kết thúc phải sau ngày bắt đầu."))
        return data

    def queue_filter(self) -> QueueFilter:
        """Return what the valid fields ask for; the dates are whole days in Vietnam's time."""
        self.is_valid()  # cleaned_data then holds the valid fields only
        data = self.cleaned_data
        start, end = data.get("tu-ngay"), data.get("den-ngay")
        return QueueFilter.searching(
            data.get("q") or "",
            procedure=(data.get("thu-tuc") or "").strip(),
            received_from=_day_start(start) if start else None,
            received_before=_day_start(end + timedelta(days=1)) if end else None,
        )


def _day_start(day: date) -> datetime:
    return datetime.combine(day, time(), tzinfo=clock.VIETNAM)


@login_required
def dossier_list(request: HttpRequest) -> HttpResponse:
    """List the units' dossiers of one tab: waiting for acceptance first, then by due instant, with tab counts."""
    user = staff_only(request)
    now = clock.now()
    all_tabs = tabs(now)
    filters = ListFilters(request.GET)
    searched = filters.queue_filter()
    # A whole code is looked for among all the units' dossiers, closed ones too, unless a tab was chosen.
    default = all_tabs[-1] if searched.code else all_tabs[0]
    tab = next((t for t in all_tabs if t.slug == request.GET.get("xem")), default)
    only = replace(searched, due_from=tab.only.due_from, due_before=tab.only.due_before, near_due=tab.only.near_due)
    number = request.GET.get("trang", "1")
    work = work_list_for(
        user, tab=tab, tabs=all_tabs, only=only, number=int(number) if number.isdigit() else 1, cap=COUNT_CAP
    )
    calendars = calendars_for(row.competent_unit_id for row in work.page.rows)
    rows = [
        (row, urgency(row.due_at if row.status in RUNNING else None, calendars[row.competent_unit_id], now))
        for row in work.page.rows
    ]
    kept = {name: request.GET.get(name, "").strip() for name in filters.fields if request.GET.get(name, "").strip()}
    context = {
        "page": work.page,
        "table_rows": worklists.dossier_rows(rows, dossier_url=reverse("office:dossiers")),
        "tab": tab,
        "tabs": [(t, _count_label(work.counts[t.slug]) if t.slug in work.counts else "") for t in all_tabs],
        "filters": filters,
        "procedure_options": worklists.procedure_options(work.procedures, kept.get("thu-tuc", "")),
        "typed": {"q": kept.get("q", ""), "start": kept.get("tu-ngay", ""), "end": kept.get("den-ngay", "")},
        "start_errors": filters.errors.get("tu-ngay"),
        "end_errors": filters.errors.get("den-ngay"),
        "is_filtered": bool(kept),
        "kept_query": urlencode(kept),
        "page_query": urlencode({**kept, "xem": tab.slug}),
    }
    return render(request, "office/dossier_list.html", context)


def _count_label(count: int) -> str:
    return f"{format_number(COUNT_CAP)}+" if count > COUNT_CAP else format_number(count)
