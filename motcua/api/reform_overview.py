"""The head-of-unit page over HTTP (`GET /api/v1/units/{code}/overview`) and the entry of an annual CCHC plan
(`POST /api/v1/plans`). The reads are `motcua.reform.overview`'s, the write `reform.tasks.services.create_plan`."""

from typing import Any

from django.urls import reverse
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from motcua.core.errors import NotPermittedError
from motcua.organizations.models import User
from motcua.reform import overview
from motcua.reform.models import CchcPlan
from motcua.reform.overview import Drill
from motcua.reform.tasks import rules, selectors, services

from .idempotency import IDEMPOTENCY_KEY, idempotent
from .reform_tasks import TaskDraftInput, _drafts, _unit
from .schema import problem_responses


class OverviewSerializer(serializers.Serializer[None]):
    unit = serializers.DictField(help_text="Mã và tên đơn vị")
    period = serializers.DictField(help_text="Kỳ tính chỉ số QĐ 766: nhãn, từ ngày, đến ngày")
    index_766 = serializers.DictField(help_text="Điểm theo nhóm chỉ số, tổng điểm, tỷ lệ (%)")
    figures = serializers.DictField(help_text="Mỗi số: giá trị (null: chưa có dữ liệu) và đường dẫn chi tiết")
    reports = serializers.ListField(child=serializers.DictField(), help_text="Báo cáo CCHC định kỳ năm nay")


def _figure(value: Any, code: str, key: str | None, **extra: Any) -> dict[str, Any]:
    rows = reverse("office:unit-overview-rows", args=[code, key]) if key else None
    return {"value": value, "label": Drill.LABELS.get(key or "", ""), "rows": rows, **extra}


def as_dict(o: overview.Overview) -> dict[str, Any]:
    code = o.unit.code
    groups = [
        {"number": g.group.number, "name": g.group.name, "points": g.points, "max_points": g.scored_max}
        for g in o.score.groups
    ]
    return {
        "unit": {"code": code, "name": o.unit.name},
        "period": {"label": o.period.label, "from": o.period.start, "to": o.period.end},
        "index_766": {
            "groups": groups,
            "points": o.score.points,
            "max_points": o.score.scored_max,
            "percent": o.score.percent,
        },
        "figures": {
            "overdue_dossiers": _figure(o.overdue_dossiers, code, Drill.OVERDUE_DOSSIERS),
            "open_feedback": _figure(o.open_feedback, code, Drill.OPEN_FEEDBACK, past_due=o.feedback_overdue),
            "overdue_tasks": _figure(o.overdue_tasks, code, Drill.OVERDUE_TASKS, open=o.open_tasks),
            "open_recommendations": _figure(o.open_recommendations, code, Drill.RECOMMENDATIONS),
            "plan_completion": _figure(
                o.plan_rate,
                code,
                Drill.PLAN if o.plan else None,
                done=o.plan_done,
                total=o.plan_total,
                plan=o.plan.number if o.plan else None,
            ),
            "reports_overdue": _figure(o.reports_overdue, code, Drill.REPORTS),
            "par_index": {"value": None, "self": o.par_self, "appraised": o.par_appraised, "note": overview.NO_DATA},
        },
        "reports": [
            {
                "period": line.report.period.code,
                "label": line.report.period.label,
                "status": line.report.status,
                "status_label": line.standing,
                "overdue": line.overdue,
                "due_on": line.report.period.due_on,
            }
            for line in o.reports
        ],
    }


class UnitOverviewView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        summary="Trang tổng quan của thủ trưởng đơn vị",
        description="Điểm QĐ 766 theo nhóm, hồ sơ quá hạn, phản ánh đang xử lý, nhiệm vụ quá hạn, kiến nghị sau "
        "kiểm tra, kế hoạch CCHC năm, báo cáo định kỳ; mỗi số kèm đường dẫn tới các dòng chi tiết. Lãnh đạo, cán "
        "bộ của đơn vị và đơn vị cấp trên, giám sát cấp tỉnh, Văn phòng UBND tỉnh, Sở Nội vụ được xem.",
        responses={200: OverviewSerializer, **problem_responses(403, 404)},
    )
    def get(self, request: Request, code: str) -> Response:
        unit, tree = overview.unit_for(request.user, code)  # type: ignore[arg-type]
        return Response(as_dict(overview.overview(unit, tree)))


class PlanInput(serializers.Serializer[None]):
    unit = serializers.CharField(max_length=40, help_text="Mã đơn vị ban hành kế hoạch")
    year = serializers.IntegerField(min_value=2000, max_value=2100)
    number = serializers.CharField(max_length=100, help_text="Số kế hoạch")
    issued_on = serializers.DateField(help_text="Ngày ban hành")
    title = serializers.CharField(max_length=500)
    items = TaskDraftInput(many=True, max_length=services.MAX_TASKS)  # type: ignore[call-arg]


class PlanSerializer(serializers.ModelSerializer[CchcPlan]):
    unit = serializers.CharField(source="unit.code")

    class Meta:
        model = CchcPlan
        fields = ["id", "unit", "year", "number", "issued_on", "title", "entered_at"]


class PlanListView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(summary="Kế hoạch CCHC năm trong phạm vi người gọi", responses=PlanSerializer(many=True))
    def get(self, request: Request) -> Response:
        user: User = request.user  # type: ignore[assignment]
        if user.is_citizen:
            raise NotPermittedError(rules.NOT_TRACKER)
        return Response(PlanSerializer(selectors.plans_for(user)[:200], many=True).data)

    @extend_schema(
        summary="Cập nhật kế hoạch CCHC năm của một đơn vị (Văn phòng UBND tỉnh)",
        description="Mỗi nhiệm vụ của kế hoạch là một nhiệm vụ của cùng hệ thống theo dõi; tỷ lệ hoàn thành "
        "dùng cho Chỉ số CCHC.",
        request={"application/json": PlanInput},
        responses={201: PlanSerializer, **problem_responses(403, 409)},
        parameters=[IDEMPOTENCY_KEY],
    )
    @idempotent
    def post(self, request: Request) -> Response:
        user: User = request.user  # type: ignore[assignment]
        if user.is_citizen or not selectors.is_tracker(user):
            raise NotPermittedError(rules.NOT_TRACKER)
        data = PlanInput(data=request.data)
        data.is_valid(raise_exception=True)
        typed = dict(data.validated_data)
        plan = services.create_plan(
            unit=_unit(typed["unit"], "unit"), year=typed["year"], number=typed["number"],
            issued_on=typed["issued_on"], title=typed["title"], by=user, items=_drafts(typed["items"]),
        )  # fmt: skip
        return Response(PlanSerializer(plan).data, status=status.HTTP_201_CREATED)
