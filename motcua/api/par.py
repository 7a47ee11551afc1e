"""The PAR index over HTTP: sets, rounds, one unit's assessment with its items, item edits, actions, the ranking.

Every rule is the par app's: the answers carry what the caller may do now (`actions`), as the pages show it.
"""

from datetime import datetime
from typing import Any

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from motcua.core.errors import DomainError
from motcua.organizations.models import User
from motcua.par import rules, selectors, services
from motcua.par.lifecycle import ACTION_LABELS, Action
from motcua.par.models import Assessment, Item, ParIndexSet, Round

from .offers import LifecycleOfferSerializer, staff_only
from .problems import problem
from .schema import problem_responses

UNIT_ACTIONS = {a.value: a for a in (Action.APPROVE, Action.SUBMIT, Action.REOPEN, Action.APPRAISE, Action.FINALISE)}
STAFF_ONLY = "Chỉ cán bộ, công chức xem được chỉ số cải cách hành chính."


def _staff(request: Request) -> User:
    return staff_only(request, STAFF_ONLY)


class ParSetSerializer(serializers.ModelSerializer[ParIndexSet]):
    class Meta:
        model = ParIndexSet
        fields = ["id", "level", "year", "version", "name", "decision_number", "decision_date", "max_points",
                  "survey_max", "effective_from", "effective_to", "not_applicable", "published_at"]  # fmt: skip


class RoundSerializer(serializers.ModelSerializer[Round]):
    class Meta:
        model = Round
        fields = ["id", "index_set", "year", "open_from", "open_to", "appraisal_deadline", "complaint_days", "status",
                  "decision_number", "published_at"]  # fmt: skip


class ItemSerializer(serializers.ModelSerializer[Item]):
    code = serializers.CharField(source="sub_criterion.code")
    name = serializers.CharField(source="sub_criterion.name")
    max_points = serializers.DecimalField(source="sub_criterion.max_points", max_digits=7, decimal_places=2)
    method = serializers.CharField(source="sub_criterion.method")
    rule = serializers.CharField(source="sub_criterion.rule")
    evidence = serializers.SerializerMethodField()

    class Meta:
        model = Item
        fields = ["code", "name", "max_points", "method", "rule", "value", "self_score", "not_applicable",
                  "explanation", "appraised_score", "appraisal_comment", "snapshot", "evidence"]  # fmt: skip

    def get_evidence(self, item: Item) -> list[dict[str, str]]:
        return [{"name": e.original_name, "sha256": e.sha256} for e in item.evidence.all()]


class AssessmentSerializer(serializers.ModelSerializer[Assessment]):
    unit = serializers.CharField(source="unit.code")
    unit_name = serializers.CharField(source="unit.name")
    items = serializers.SerializerMethodField()
    actions = serializers.SerializerMethodField()

    class Meta:
        model = Assessment
        fields = ["round", "unit", "unit_name", "status", "deadline", "self_total", "appraised_total", "rank",
                  "items", "actions"]  # fmt: skip

    def get_items(self, assessment: Assessment) -> list[dict[str, Any]]:
        return list(ItemSerializer(selectors.items_of(assessment), many=True).data)

    def get_actions(self, assessment: Assessment) -> list[dict[str, Any]]:
        offers = rules.offers(assessment, self.context["request"].user)
        return list(LifecycleOfferSerializer(offers, many=True).data)


class ParItemInput(serializers.Serializer[None]):
    value = serializers.CharField(max_length=40, allow_blank=True, help_text="co / khong / kad, hoặc một số")
    explanation = serializers.CharField(max_length=4000, required=False, allow_blank=True, default="")


class ParActionInput(serializers.Serializer[None]):
    reason = serializers.CharField(max_length=4000, required=False, allow_blank=True, default="")
    until = serializers.DateTimeField(required=False, allow_null=True, default=None, help_text="Hạn mới (mở lại)")
    code = serializers.CharField(max_length=20, required=False, allow_blank=True, default="")
    points = serializers.CharField(max_length=20, required=False, allow_blank=True, default="")
    comment = serializers.CharField(max_length=4000, required=False, allow_blank=True, default="")


class RankingRowSerializer(serializers.ModelSerializer[Assessment]):
    unit = serializers.CharField(source="unit.code")
    unit_name = serializers.CharField(source="unit.name")

    class Meta:
        model = Assessment
        fields = ["rank", "unit", "unit_name", "self_total", "appraised_total", "status"]


class ParSetListView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(summary="Các bộ chỉ số CCHC", responses={200: ParSetSerializer(many=True), **problem_responses()})
    def get(self, request: Request) -> Response:
        _staff(request)
        return Response(ParSetSerializer(selectors.sets()[:200], many=True).data)


class RoundListView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(summary="Các đợt đánh giá", responses={200: RoundSerializer(many=True), **problem_responses()})
    def get(self, request: Request) -> Response:
        _staff(request)
        return Response(RoundSerializer(selectors.rounds()[:200], many=True).data)


class AssessmentView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(summary="Kết quả đánh giá của một đơn vị", responses={200: AssessmentSerializer,
                                                                         **problem_responses()})  # fmt: skip
    def get(self, request: Request, round_id: int, unit: str) -> Response:
        found = selectors.assessment_for(_staff(request), round_id, unit)
        return Response(AssessmentSerializer(found, context={"request": request}).data)


class ItemView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(summary="Tự đánh giá một tiêu chí thành phần", request=ParItemInput,
                   responses={200: ItemSerializer, **problem_responses()})  # fmt: skip
    def patch(self, request: Request, round_id: int, unit: str, code: str) -> Response:
        user = _staff(request)
        found = selectors.assessment_for(user, round_id, unit)
        data = ParItemInput(data=request.data)
        data.is_valid(raise_exception=True)
        item = services.save_item(found, code, by=user, **data.validated_data)
        return Response(ItemSerializer(item).data)


class AssessmentActionView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        summary="Thao tác trên kết quả đánh giá của đơn vị",
        description="Thao tác: " + ", ".join(f"{a} ({ACTION_LABELS[UNIT_ACTIONS[a]]})" for a in sorted(UNIT_ACTIONS)),
        request=ParActionInput, responses={200: AssessmentSerializer, **problem_responses()},
        parameters=[OpenApiParameter("action", str, OpenApiParameter.PATH, enum=sorted(UNIT_ACTIONS))],
    )  # fmt: skip
    def post(self, request: Request, round_id: int, unit: str, action: str) -> Response:
        if action not in UNIT_ACTIONS:
            return problem(404, "unknown_action", f"Không có thao tác «{action}».")
        user = _staff(request)
        found = selectors.assessment_for(user, round_id, unit)
        data = ParActionInput(data=request.data)
        data.is_valid(raise_exception=True)
        typed = data.validated_data
        if UNIT_ACTIONS[action] == Action.APPRAISE:
            services.appraise(found, typed["code"], by=user, points=typed["points"], comment=typed["comment"])
        else:
            until: datetime | None = typed["until"]
            services.act(found, UNIT_ACTIONS[action], by=user, reason=typed["reason"], until=until)
        found.refresh_from_db()
        return Response(AssessmentSerializer(found, context={"request": request}).data)


class RankingView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(summary="Xếp hạng các đơn vị trong đợt", responses={200: RankingRowSerializer(many=True),
                                                                       **problem_responses()})  # fmt: skip
    def get(self, request: Request, round_id: int) -> Response:
        _, rows = selectors.ranking(_staff(request), round_id)
        return Response(RankingRowSerializer(rows, many=True).data)


__all__ = ["DomainError"]
