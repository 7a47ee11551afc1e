"""CCHC inspections over HTTP: the scoped list, one inspection with its findings, recommendations (each a task) and
what the caller may do now (`actions`), and each action. Every rule is the reform app's (`available_actions`)."""

from typing import Any

from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.generics import GenericAPIView
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from motcua.core.errors import DomainError, NotFoundError
from motcua.organizations.models import Unit, User
from motcua.reform.inspections import rules, selectors, services
from motcua.reform.inspections.lifecycle import (
    ACTION_LABELS,
    CONTENT_GROUPS,
    FINDING_KIND_LABELS,
    SEVERITY_LABELS,
    Action,
)
from motcua.reform.models import Finding, Inspection, Recommendation

from .idempotency import IDEMPOTENCY_KEY, idempotent
from .offers import LifecycleOfferSerializer, staff_only
from .problems import problem
from .schema import problem_responses

ACTIONS = {action.value: action for action in Action if action != Action.CREATE}


def _staff(request: Request) -> User:
    return staff_only(request, rules.NOT_READER)


class FindingSerializer(serializers.ModelSerializer[Finding]):
    dossiers = serializers.SlugRelatedField(many=True, read_only=True, slug_field="code")  # type: ignore[var-annotated]

    class Meta:
        model = Finding
        fields = ["id", "content_item", "kind", "severity", "description", "dossiers", "recorded_at"]


class RecommendationSerializer(serializers.ModelSerializer[Recommendation]):
    owner_unit = serializers.CharField(source="owner_unit.code")
    task_status = serializers.CharField(source="task.status_label", read_only=True)

    class Meta:
        model = Recommendation
        fields = ["position", "text", "owner_unit", "due_on", "task", "task_status"]


class InspectionSerializer(serializers.ModelSerializer[Inspection]):
    status_label = serializers.CharField(read_only=True)
    unit = serializers.CharField(source="unit.code", help_text="Mã đơn vị được kiểm tra")
    inspecting_unit = serializers.CharField(source="inspecting_unit.code", default=None, allow_null=True)
    plan = serializers.CharField(source="plan.decision_number", default=None, allow_null=True)
    findings = FindingSerializer(many=True, read_only=True)
    recommendations = RecommendationSerializer(many=True, read_only=True)
    actions = serializers.SerializerMethodField(help_text="Các thao tác của trạng thái hiện tại đối với người gọi")

    class Meta:
        model = Inspection
        fields = [
            *("id", "plan", "unit", "inspecting_unit", "year", "kind", "method", "scheduled_on", "content"),
            *("status", "status_label", "self_report", "started_at", "conclusion_number", "conclusion_on"),
            *("conclusion_text", "directive", "findings", "recommendations", "actions"),
        ]

    @extend_schema_field(LifecycleOfferSerializer(many=True))
    def get_actions(self, inspection: Inspection) -> list[dict[str, Any]]:
        offers = rules.available_actions(inspection, self.context["request"].user)
        return list(LifecycleOfferSerializer(offers, many=True).data)


class InspectionListItemSerializer(serializers.ModelSerializer[Inspection]):
    status_label = serializers.CharField(read_only=True)
    unit = serializers.CharField(source="unit.code")

    class Meta:
        model = Inspection
        fields = ["id", "unit", "year", "kind", "method", "scheduled_on", "status", "status_label"]


class InspectionQuery(serializers.Serializer[None]):
    year = serializers.IntegerField(required=False, min_value=2000, max_value=2100)


class RecommendationInput(serializers.Serializer[None]):
    text = serializers.CharField(max_length=4000)
    owner_unit = serializers.CharField(required=False, allow_blank=True, default="", max_length=40)


class InspectionActionInput(serializers.Serializer[None]):
    reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)
    text = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=20000,
        help_text="self-report: báo cáo; add-finding: mô tả; conclude: nội dung kết luận",
    )  # fmt: skip
    content_item = serializers.ChoiceField(choices=list(CONTENT_GROUPS.items()), required=False, default="")
    kind = serializers.ChoiceField(choices=list(FINDING_KIND_LABELS.items()), required=False, default="khac")
    severity = serializers.ChoiceField(choices=list(SEVERITY_LABELS.items()), required=False, default="nhe")
    dossiers = serializers.ListField(
        child=serializers.CharField(max_length=40), required=False, default=list, max_length=services.MAX_DOSSIERS
    )
    conclusion_number = serializers.CharField(required=False, allow_blank=True, default="", max_length=100)
    conclusion_on = serializers.DateField(required=False, allow_null=True, default=None)
    recommendations = RecommendationInput(many=True, required=False, default=list,  # type: ignore[call-arg]
                                          max_length=services.MAX_RECOMMENDATIONS)  # fmt: skip


def _unit(code: str, key: str) -> Unit | None:
    if not code:
        return None
    found = Unit.objects.filter(code=code).first()
    if found is None:
        raise DomainError("Không có đơn vị với mã đã nhập.", field=key)
    return found


def readable(request: Request, inspection_id: int) -> Inspection:
    """An inspection the caller sees; any other answers as one that does not exist."""
    found = selectors.get_inspection_for(_staff(request), inspection_id)
    if found is None:
        raise NotFoundError("Không tìm thấy cuộc kiểm tra trong phạm vi của bạn.")
    return found


class InspectionListView(GenericAPIView[Inspection]):
    permission_classes = [IsAuthenticated]
    serializer_class = InspectionListItemSerializer

    @extend_schema(
        operation_id="inspections_list",
        summary="Cuộc kiểm tra cải cách hành chính trong phạm vi người gọi, theo lịch",
        parameters=[InspectionQuery],
        responses=InspectionListItemSerializer(many=True),
    )
    def get(self, request: Request) -> Response:
        query = InspectionQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        found = selectors.inspections_for(_staff(request))
        if "year" in query.validated_data:
            found = found.filter(year=query.validated_data["year"])
        page = self.paginate_queryset(found)
        return self.get_paginated_response(InspectionListItemSerializer(page, many=True).data)


class InspectionDetailView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(summary="Một cuộc kiểm tra, kèm các thao tác người gọi được làm lúc này",
                   responses=InspectionSerializer)  # fmt: skip
    def get(self, request: Request, inspection_id: int) -> Response:
        found = readable(request, inspection_id)
        return Response(InspectionSerializer(found, context={"request": request}).data)


class InspectionActionView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        summary="Thực hiện một thao tác trên cuộc kiểm tra",
        description="Thao tác: " + ", ".join(f"{a} ({ACTION_LABELS[ACTIONS[a]]})" for a in sorted(ACTIONS)) + ". "
        "Kết luận: mỗi kiến nghị thành một nhiệm vụ, hạn = ngày thông báo kết luận + 15 ngày.",
        request={"application/json": InspectionActionInput},
        responses={200: InspectionSerializer, **problem_responses(403, 409)},
        parameters=[IDEMPOTENCY_KEY, OpenApiParameter("action", str, OpenApiParameter.PATH, enum=sorted(ACTIONS))],
    )
    @idempotent
    def post(self, request: Request, inspection_id: int, action: str) -> Response:
        if action not in ACTIONS:
            return problem(404, "unknown_action", f"Không có thao tác «{action[:40]}».")
        inspection = readable(request, inspection_id)
        data = InspectionActionInput(data=request.data)
        data.is_valid(raise_exception=True)
        typed = data.validated_data
        drafts = tuple(
            services.RecommendationDraft(row["text"], _unit(row["owner_unit"], f"recommendations[{i}].owner_unit"))
            for i, row in enumerate(typed["recommendations"])
        )
        inputs = services.Inputs(
            reason=typed["reason"], text=typed["text"], content_item=typed["content_item"],
            finding_kind=typed["kind"], severity=typed["severity"], dossier_codes=tuple(typed["dossiers"]),
            conclusion_number=typed["conclusion_number"], conclusion_on=typed["conclusion_on"],
            recommendations=drafts,
        )  # fmt: skip
        done = services.act(inspection, ACTIONS[action], actor=request.user, inputs=inputs)  # type: ignore[arg-type]
        return Response(InspectionSerializer(done, context={"request": request}).data)
