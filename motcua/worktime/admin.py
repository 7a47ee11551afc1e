from typing import Any

from django import forms
from django.contrib import admin, messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils.html import format_html
from simple_history.admin import SimpleHistoryAdmin

from motcua.core.errors import DomainError

from . import services
from .models import CalendarDay, CalendarProposal, CalendarVersion, DayKind, OfficeSchedule, ProposalStatus


@admin.register(CalendarDay)
class CalendarDayAdmin(SimpleHistoryAdmin):
    """Every save and delete goes through the service, so each one is a new calendar version."""

    list_display = ["day", "kind", "name", "legal_basis"]
    list_filter = ["kind", "day"]
    search_fields = ["name", "legal_basis", "note"]
    date_hierarchy = "day"

    def save_model(self, request: HttpRequest, obj: CalendarDay, form: Any, change: bool) -> None:
        version = services.set_calendar_day(
            day=obj.day,
            kind=DayKind(obj.kind),
            name=obj.name,
            legal_basis=obj.legal_basis,
            note=obj.note,
            actor=request.user,  # type: ignore[arg-type]
        )
        messages.info(request, f"Đã tạo phiên bản lịch {version}. Hạn của hồ sơ đang mở sẽ được tính lại.")

    def delete_model(self, request: HttpRequest, obj: CalendarDay) -> None:
        services.remove_calendar_day(day=obj.day, reason="xóa trong trang quản trị", actor=request.user)  # type: ignore[arg-type]

    def delete_queryset(self, request: HttpRequest, queryset: Any) -> None:
        for day in queryset:
            self.delete_model(request, day)


@admin.register(OfficeSchedule)
class OfficeScheduleAdmin(SimpleHistoryAdmin):
    list_display = ["unit", "morning_start", "morning_end", "afternoon_start", "afternoon_end"]
    autocomplete_fields = ["unit"]

    def save_model(self, request: HttpRequest, obj: OfficeSchedule, form: Any, change: bool) -> None:
        services.set_office_hours(
            obj.unit,
            morning=(obj.morning_start, obj.morning_end),
            afternoon=(obj.afternoon_start, obj.afternoon_end),
            actor=request.user,  # type: ignore[arg-type]
        )


@admin.register(CalendarVersion)
class CalendarVersionAdmin(admin.ModelAdmin[CalendarVersion]):
    list_display = ["id", "created_at", "actor", "summary", "first_affected", "last_affected"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: CalendarVersion | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: CalendarVersion | None = None) -> bool:
        return False


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label="Quyết định",
        choices=[("confirm", "Xác nhận theo văn bản"), ("reject", "Bác bỏ")],
        widget=forms.RadioSelect,
    )
    basis = forms.CharField(
        label="Căn cứ (số và ngày văn bản)",
        required=False,
        max_length=300,
        help_text=f"Khi xác nhận, ví dụ: {services.BASIS_EXAMPLE}.",
    )
    reason = forms.CharField(label="Lý do bác bỏ", required=False, widget=forms.Textarea(attrs={"rows": 3}))


@admin.register(CalendarProposal)
class CalendarProposalAdmin(admin.ModelAdmin[CalendarProposal]):
    """Proposals come from seeding; an admin only confirms or rejects them, through the service."""

    list_display = ["day", "kind", "name", "source", "paired_day", "status", "legal_basis", "decided_by", "decide"]
    list_filter = ["status", "kind"]
    search_fields = ["name", "legal_basis", "rejection_reason"]
    date_hierarchy = "day"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: CalendarProposal | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: CalendarProposal | None = None) -> bool:
        return False

    @admin.display(description="Quyết định")
    def decide(self, proposal: CalendarProposal) -> str:
        if proposal.status != ProposalStatus.PENDING:
            return ""
        url = reverse("admin:worktime_calendarproposal_decide", args=[proposal.pk])
        return format_html('<a href="{}">Xác nhận hoặc bác bỏ</a>', url)

    def get_urls(self) -> list[URLPattern]:
        own = [
            path(
                "<int:pk>/quyet-dinh/",
                self.admin_site.admin_view(self.decide_view),
                name="worktime_calendarproposal_decide",
            )
        ]
        return own + super().get_urls()

    def decide_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        """Confirm or reject one proposal; the service checks the basis and the admin's right, and refuses alone."""
        proposal = get_object_or_404(CalendarProposal, pk=pk)
        form = DecisionForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            actor = request.user
            try:
                if form.cleaned_data["decision"] == "confirm":
                    version = services.confirm_proposal(
                        proposal.day,
                        basis=form.cleaned_data["basis"],
                        actor=actor,  # type: ignore[arg-type]
                    )
                    messages.success(
                        request,
                        f"Đã xác nhận ngày {proposal.day:%d/%m/%Y}; tạo phiên bản lịch {version}. "
                        "Hạn của hồ sơ đang mở sẽ được tính lại.",
                    )
                else:
                    services.reject_proposal(
                        proposal.day,
                        reason=form.cleaned_data["reason"],
                        actor=actor,  # type: ignore[arg-type]
                    )
                    messages.success(request, f"Đã bác bỏ đề xuất ngày {proposal.day:%d/%m/%Y}; lịch không thay đổi.")
            except DomainError as error:
                form.add_error(error.field if error.field in form.fields else None, error.message)
            else:
                return HttpResponseRedirect(reverse("admin:worktime_calendarproposal_changelist"))
        context = {
            **self.admin_site.each_context(request),
            "form": form,
            "proposal": proposal,
            "title": f"Quyết định về ngày đề xuất {proposal.day:%d/%m/%Y}",
        }
        return TemplateResponse(request, "admin/worktime/calendarproposal_decide.html", context)
