"""Periodic CCHC reports over HTTP: one unit's report for a period (read, edit, act on it, as files) and the
province's consolidation.

Every rule is the reform app's: the answers carry what the caller may do now (`actions`), as the pages show it. A
report the caller may not read answers as one that does not exist.
"""

from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from motcua.organizations.models import User
from motcua.reform.reports import exports, rules, selectors, services
from motcua.reform.reports.drafts import LABELS
from motcua.reform.reports.lifecycle import ACTION_LABELS, Action

from .idempotency import IDEMPOTENCY_KEY, idempotent
from .offers import LifecycleOfferSerializer
from .problems import problem

ACTIONS = {a.value: a for a in (Action.SUBMIT, Action.RETURN, Action.ACCEPT)}
FORMATS = {"odt", "pdf", "xlsx"}
PATH = [
    OpenApiParameter("period", str, OpenApiParameter.PATH, description="Năm và loại kỳ, ví dụ 2026-6-thang "
                     "(loại: quy-1, 6-thang, quy-3, nam)"),
    OpenApiParameter("unit", str, OpenApiParameter.PATH, description="Mã đơn vị báo cáo, ví dụ 28261.UBND"),
]  # fmt: skip
_FIGURES = serializers.DictField(
    child=serializers.IntegerField(),
    help_text="Số liệu theo tên: " + "; ".join(f"{k}: {v}" for k, v in LABELS.items()),
)


class ReportOfferSerializer(LifecycleOfferSerializer):
    needs_reason = serializers.BooleanField()


class ReportUnitSerializer(serializers.Serializer[None]):
    code = serializers.CharField()
    name = serializers.CharField()


class ReportFiguresSerializer(serializers.Serializer[None]):
    locked = serializers.BooleanField(help_text="Đã chốt tại ngày chốt số liệu; không bao giờ tính lại")
    computed_at = serializers.DateTimeField(help_text="Thời điểm tính số liệu")
    values = _FIGURES


class ReportSectionSerializer(serializers.Serializer[None]):
    key = serializers.CharField()
    title = serializers.CharField()
    hint = serializers.CharField()
    text = serializers.CharField()


class ReformReportSerializer(serializers.Serializer[dict[str, Any]]):
    period = serializers.CharField()
    unit = ReportUnitSerializer()
    label = serializers.CharField()  # type: ignore[assignment]
    level = serializers.CharField(help_text="tinh, so hoặc xa")
    cutoff_from = serializers.DateField()
    cutoff_to = serializers.DateField()
    due_on = serializers.DateField()
    basis = serializers.CharField(help_text="Căn cứ của kỳ chốt số liệu và hạn nộp")
    status = serializers.IntegerField(help_text="1 chưa nộp, 2 đã nộp, 3 trả lại, 4 đã tiếp nhận")
    status_label = serializers.CharField(help_text="Trạng thái hiển thị, «Quá hạn» khi chưa nộp sau hạn")
    overdue = serializers.BooleanField()
    returned_reason = serializers.CharField()
    submitted_at = serializers.DateTimeField(allow_null=True)
    figures = ReportFiguresSerializer()
    after_cutoff = serializers.DictField(
        child=serializers.IntegerField(), allow_null=True,
        help_text="Phát sinh sau chốt số liệu (đến hôm nay): không tính vào báo cáo",
    )  # fmt: skip
    sections = ReportSectionSerializer(many=True)
    actions = ReportOfferSerializer(many=True)


class ReportEditInput(serializers.Serializer[None]):
    sections = serializers.DictField(
        child=serializers.CharField(allow_blank=True, trim_whitespace=False, max_length=services.MAX_SECTION),
        help_text="Nội dung các mục của đề cương cần sửa, theo key",
    )


class ReportActionInput(serializers.Serializer[None]):
    reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000,
                                   help_text="Lý do trả lại")  # fmt: skip


def _answer(request: Request, period: str, unit: str) -> dict[str, Any]:
    user: User = request.user  # type: ignore[assignment]
    report = selectors.get_report_for(user, period, unit)
    body = selectors.as_dict(selectors.view(report))
    body["actions"] = rules.available_actions(report, user)
    return dict(ReformReportSerializer(body).data)


class ReformReportView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="reform_report_retrieve",
        summary="Báo cáo CCHC định kỳ của đơn vị, kèm số liệu và các thao tác người gọi được làm",
        parameters=PATH,
        responses=ReformReportSerializer,
    )
    def get(self, request: Request, period: str, unit: str) -> Response:
        return Response(_answer(request, period, unit))

    @extend_schema(
        summary="Soạn báo cáo: sửa nội dung các mục của đề cương (cán bộ đơn vị, khi chưa nộp hoặc bị trả lại)",
        parameters=PATH, request=ReportEditInput, responses=ReformReportSerializer,
    )  # fmt: skip
    def patch(self, request: Request, period: str, unit: str) -> Response:
        data = ReportEditInput(data=request.data)
        data.is_valid(raise_exception=True)
        report = selectors.get_report_for(request.user, period, unit)  # type: ignore[arg-type]
        try:
            services.act(report, Action.EDIT, actor=request.user, sections=data.validated_data["sections"])  # type: ignore[arg-type]
        except ValidationError as refused:
            errors = {f"sections.{key}": messages for key, messages in refused.message_dict.items()}
            return problem(400, "invalid", "Nội dung báo cáo chưa hợp lệ; xem từng mục trong `errors`.", errors=errors)
        return Response(_answer(request, period, unit))


class ReformReportActionView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        summary="Thực hiện một thao tác trên báo cáo",
        description="Thao tác: " + ", ".join(f"{a} ({ACTION_LABELS[ACTIONS[a]]})" for a in sorted(ACTIONS)) + ".",
        request=ReportActionInput,
        responses=ReformReportSerializer,
        parameters=[*PATH, IDEMPOTENCY_KEY, OpenApiParameter("action", str, OpenApiParameter.PATH,
                                                             enum=sorted(ACTIONS))],
    )  # fmt: skip
    @idempotent
    def post(self, request: Request, period: str, unit: str, action: str) -> Response:
        if action not in ACTIONS:
            return problem(404, "unknown_action", f"Không có thao tác «{action}».")
        data = ReportActionInput(data=request.data)
        data.is_valid(raise_exception=True)
        report = selectors.get_report_for(request.user, period, unit)  # type: ignore[arg-type]
        services.act(report, ACTIONS[action], actor=request.user, reason=data.validated_data["reason"])  # type: ignore[arg-type]
        return Response(_answer(request, period, unit))


class ReformReportFileView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        summary="Báo cáo dạng tệp: .odt để hoàn thiện, .pdf để trình ký, .xlsx phụ lục số liệu",
        parameters=[*PATH, OpenApiParameter("fmt", str, OpenApiParameter.PATH, enum=sorted(FORMATS))],
        responses={(200, exports.CONTENT_TYPES[f]): OpenApiTypes.BINARY for f in sorted(FORMATS)},
    )
    def get(self, request: Request, period: str, unit: str, fmt: str) -> HttpResponse:
        report = selectors.get_report_for(request.user, period, unit)  # type: ignore[arg-type]
        shown = selectors.view(report)
        response = HttpResponse(exports.render(shown, fmt), content_type=exports.CONTENT_TYPES[fmt])
        response["Content-Disposition"] = f'attachment; filename="{exports.file_name(shown, fmt)}"'
        return response


class ConsolidationRowSerializer(serializers.Serializer[None]):
    unit = ReportUnitSerializer()
    level = serializers.CharField()
    status = serializers.IntegerField()
    status_label = serializers.CharField()
    overdue = serializers.BooleanField()
    figures = _FIGURES


class ConsolidationSerializer(serializers.Serializer[dict[str, Any]]):
    period = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]
    in_hand = serializers.IntegerField(help_text="Số báo cáo đã nộp được tổng hợp")
    totals = _FIGURES
    units = ConsolidationRowSerializer(many=True)


class ReformConsolidationView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="reform_reports_consolidation",
        summary="Tổng hợp của tỉnh: số liệu đã chốt của các báo cáo đã nộp, trạng thái từng đơn vị (Sở Nội vụ, "
        "giám sát cấp tỉnh)",
        parameters=[PATH[0]],
        responses=ConsolidationSerializer,
    )
    def get(self, request: Request, period: str) -> Response:
        found = selectors.consolidation_for(request.user, period)  # type: ignore[arg-type]
        rows = [
            {"unit": {"code": r.unit.code, "name": r.unit.name}, "level": r.period.level, "status": r.status,
             "status_label": label, "overdue": overdue, "figures": (r.figures or {}).get("values", {})}
            for r, label, overdue in found.rows
        ]  # fmt: skip
        body = {
            "period": period,
            "label": found.label,
            "in_hand": found.in_hand,
            "totals": found.totals,
            "units": rows,
        }
        return Response(ConsolidationSerializer(body).data)
