"""GET /api/v1/calendar/due, /calendar/off-days and /calendar/proposals: public, read-only."""

from datetime import datetime
from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from motcua.core.errors import DomainError
from motcua.organizations.models import Unit
from motcua.worktime.deadlines import LimitUnit, TimeLimit, compute_deadline
from motcua.worktime.models import CalendarDay, CalendarProposal
from motcua.worktime.selectors import calendar_days_in, calendar_for, calendar_proposals

_MODES = {
    "working_days": LimitUnit.WORKING_DAYS,
    "working_hours": LimitUnit.WORKING_HOURS,
    "days": LimitUnit.CALENDAR_DAYS,
}


class DueQuery(serializers.Serializer[None]):
    start = serializers.CharField(help_text="Thời điểm tiếp nhận, ISO 8601 có múi giờ: 2026-02-13T16:30:00+07:00.")
    working_days = serializers.IntegerField(required=False, help_text="Số ngày làm việc.")
    working_hours = serializers.FloatField(required=False, help_text="Số giờ làm việc.")
    days = serializers.IntegerField(required=False, help_text="Số ngày theo lịch (BLDS điều 148 khoản 5).")
    same_day = serializers.BooleanField(required=False, default=False, help_text="Giải quyết trong ngày (hạn 15:00).")
    unit = serializers.SlugRelatedField(
        slug_field="code", queryset=Unit.objects.all(), required=False, help_text="Mã đơn vị (giờ làm việc riêng)."
    )

    def validate_start(self, value: str) -> datetime:
        # Parsed here rather than by DateTimeField, which would silently read a naive time in the server's zone.
        try:
            start = datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError as error:
            raise serializers.ValidationError(
                "Thời điểm phải theo ISO 8601 có múi giờ, ví dụ 2026-02-13T16:30:00+07:00."
            ) from error
        if start.tzinfo is None:
            raise serializers.ValidationError("Thời điểm bắt đầu phải có múi giờ, ví dụ 2026-02-13T16:30:00+07:00.")
        return start

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        chosen = [name for name in _MODES if attrs.get(name) is not None] + (["same_day"] if attrs["same_day"] else [])
        if len(chosen) != 1:
            raise serializers.ValidationError(
                {"non_field_errors": ["Chọn đúng một trong working_days, working_hours, days, same_day."]}
            )
        mode = chosen[0]
        attrs["limit"] = (
            TimeLimit(0, LimitUnit.SAME_DAY) if mode == "same_day" else TimeLimit(attrs[mode], _MODES[mode])
        )
        return attrs


class DeadlineSerializer(serializers.Serializer[dict[str, object]]):
    start = serializers.DateTimeField()
    due_at = serializers.DateTimeField()
    limit = serializers.CharField(help_text="Thời hạn, ví dụ '5 ngày làm việc'.")
    slip_text = serializers.CharField(help_text="Như in trên giấy tiếp nhận: 'Sau 9 giờ 00 phút, ngày 03/11/2023'.")
    calendar_version = serializers.CharField()


class CalendarDaySerializer(serializers.ModelSerializer[CalendarDay]):
    class Meta:
        model = CalendarDay
        fields = ["day", "kind", "name", "legal_basis", "note"]


class CalendarProposalSerializer(serializers.ModelSerializer[CalendarProposal]):
    class Meta:
        model = CalendarProposal
        fields = ["day", "kind", "name", "source", "paired_day", "status", "legal_basis", "rejection_reason"]


class DueView(APIView):
    permission_classes = [AllowAny]

    @extend_schema(summary="Tính thời điểm hẹn trả", parameters=[DueQuery], responses=DeadlineSerializer)
    def get(self, request: Request) -> Response:
        query = DueQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        params = query.validated_data
        deadline = compute_deadline(calendar_for(params.get("unit")), params["start"], params["limit"])
        data = {
            "start": deadline.start,
            "due_at": deadline.due_at,
            "limit": str(deadline.limit),
            "slip_text": deadline.slip_text,
            "calendar_version": deadline.calendar_version,
        }
        return Response(DeadlineSerializer(data).data)


class YearQuery(serializers.Serializer[None]):
    year = serializers.IntegerField(min_value=1990, max_value=2100)


class OffDaysView(APIView):
    permission_classes = [AllowAny]

    @extend_schema(
        summary="Ngày nghỉ, ngày làm bù của một năm",
        description="Chỉ các ngày có căn cứ văn bản, đang áp dụng; ngày đề xuất chờ xác nhận ở /calendar/proposals.",
        parameters=[YearQuery],
        responses=CalendarDaySerializer(many=True),
    )
    def get(self, request: Request) -> Response:
        query = YearQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        days = calendar_days_in(query.validated_data["year"])
        if not days:
            raise DomainError(f"Năm {query.validated_data['year']} chưa có trong bảng lịch.", field="year")
        return Response(CalendarDaySerializer(days, many=True).data)


class ProposalsQuery(serializers.Serializer[None]):
    year = serializers.IntegerField(min_value=1990, max_value=2100)
    pending = serializers.BooleanField(required=False, default=False, help_text="Chỉ các đề xuất đang chờ xác nhận.")


class ProposalsView(APIView):
    """Days a package proposes without a cited text: not in off-days, and not counted, until an admin confirms them."""

    permission_classes = [AllowAny]

    @extend_schema(
        summary="Ngày đề xuất chưa có căn cứ văn bản của một năm (chờ xác nhận, đã xác nhận, đã bác bỏ)",
        parameters=[ProposalsQuery],
        responses=CalendarProposalSerializer(many=True),
    )
    def get(self, request: Request) -> Response:
        query = ProposalsQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        found = calendar_proposals(year=query.validated_data["year"], pending_only=query.validated_data["pending"])
        return Response(CalendarProposalSerializer(found, many=True).data)
