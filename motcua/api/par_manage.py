"""Sở Nội vụ's side of the PAR index over HTTP: publishing a set by its decision, creating and opening a round,
the data feed and the published ranking; and a unit's evidence files for one item (multipart).

Every rule is the par app's (`services` refuses whoever is not Sở Nội vụ, with nothing changed).
"""

from typing import Any

from django.conf import settings
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.parsers import MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from motcua.core.errors import DomainError, NotFoundError, NotPermittedError
from motcua.organizations.models import User
from motcua.par import rules, selectors, services
from motcua.par.models import ParIndexSet, Round

from .par import ItemSerializer, ParSetSerializer, RoundListView, RoundSerializer, _staff
from .problems import problem
from .schema import problem_responses

ROUND_STEPS = ("open", "feed", "publish")
NO_SET = "Không tìm thấy bộ chỉ số."
NO_ROUND = "Không tìm thấy đợt đánh giá."


class PublishSetInput(serializers.Serializer[None]):
    decision_number = serializers.CharField(max_length=60, help_text="Số quyết định ban hành bộ chỉ số")
    decision_date = serializers.DateField(help_text="Ngày quyết định (YYYY-MM-DD)")


class RoundInput(serializers.Serializer[None]):
    index_set = serializers.IntegerField(min_value=1, max_value=2**31 - 1)
    year = serializers.IntegerField(min_value=2000, max_value=2100)
    open_from = serializers.DateTimeField()
    open_to = serializers.DateTimeField()
    appraisal_deadline = serializers.DateField()
    complaint_days = serializers.IntegerField(min_value=0, max_value=90, default=10)


class RoundStepInput(serializers.Serializer[None]):
    decision_number = serializers.CharField(max_length=60, required=False, allow_blank=True, default="",
                                            help_text="Quyết định công bố kết quả (bước publish)")  # fmt: skip


class EvidenceInput(serializers.Serializer[None]):
    value = serializers.CharField(max_length=40, allow_blank=True, help_text="co / khong / kad, hoặc một số")
    explanation = serializers.CharField(max_length=4000, required=False, allow_blank=True, default="")
    files = serializers.ListField(child=serializers.FileField(), min_length=1, max_length=services.MAX_FILES)


def _office(request: Request) -> User:
    """Sở Nội vụ's officers alone, asked before the input is read (the service asks again)."""
    user = _staff(request)
    if not rules.is_reform_office(user):
        raise NotPermittedError(rules.OFFICE_ONLY)
    return user


def _set(set_id: int) -> ParIndexSet:
    found = selectors.sets().filter(pk=set_id).first()
    if found is None:
        raise NotFoundError(NO_SET)
    return found


def _round(round_id: int) -> Round:
    found = selectors.rounds().filter(pk=round_id).first()
    if found is None:
        raise NotFoundError(NO_ROUND)
    return found


class PublishSetView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(summary="Công bố bộ chỉ số theo quyết định (Sở Nội vụ)", request=PublishSetInput,
                   responses={200: ParSetSerializer, **problem_responses()})  # fmt: skip
    def post(self, request: Request, set_id: int) -> Response:
        user = _office(request)
        data = PublishSetInput(data=request.data)
        data.is_valid(raise_exception=True)
        index_set = services.publish_set(_set(set_id), by=user, **data.validated_data)
        return Response(ParSetSerializer(index_set).data)


class RoundCreateView(RoundListView):
    @extend_schema(summary="Tạo đợt đánh giá (Sở Nội vụ)", request=RoundInput,
                   responses={201: RoundSerializer, **problem_responses()})  # fmt: skip
    def post(self, request: Request) -> Response:
        user = _office(request)
        data = RoundInput(data=request.data)
        data.is_valid(raise_exception=True)
        typed: dict[str, Any] = dict(data.validated_data)
        index_set = _set(typed.pop("index_set"))
        round_ = services.create_round(index_set, by=user, **typed)
        return Response(RoundSerializer(round_).data, status=status.HTTP_201_CREATED)


class RoundStepView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        summary="Mở đợt, lấy số liệu từ motcua, công bố kết quả (Sở Nội vụ)", request=RoundStepInput,
        responses={200: RoundSerializer, **problem_responses()},
        parameters=[OpenApiParameter("step", str, OpenApiParameter.PATH, enum=list(ROUND_STEPS))],
    )  # fmt: skip
    def post(self, request: Request, round_id: int, step: str) -> Response:
        if step not in ROUND_STEPS:
            return problem(404, "unknown_step", f"Không có bước «{step[:40]}».")
        user = _office(request)
        data = RoundStepInput(data=request.data)
        data.is_valid(raise_exception=True)
        round_ = _round(round_id)
        if step == "open":
            services.open_round(round_, by=user)
        elif step == "feed":
            services.feed_data(round_, by=user)
        else:
            services.publish_ranking(round_, by=user, decision_number=data.validated_data["decision_number"])
        return Response(RoundSerializer(_round(round_id)).data)


class EvidenceView(APIView):
    permission_classes = [IsAuthenticated]
    parser_classes = [MultiPartParser]

    @extend_schema(summary="Tự đánh giá một tiêu chí kèm tài liệu kiểm chứng (PDF, ảnh, .docx, .xlsx, .odt)",
                   request={"multipart/form-data": EvidenceInput},
                   responses={200: ItemSerializer, **problem_responses()})  # fmt: skip
    def post(self, request: Request, round_id: int, unit: str, code: str) -> Response:
        user = _staff(request)
        found = selectors.assessment_for(user, round_id, unit)
        data = EvidenceInput(data=request.data)
        data.is_valid(raise_exception=True)
        typed = data.validated_data
        if any(f.size > settings.MOTCUA_MAX_UPLOAD_BYTES for f in typed["files"]):
            raise DomainError("Tệp lớn hơn dung lượng cho phép.", field="files")
        files = tuple((f.name or "", f.read()) for f in typed["files"])
        item = services.save_item(found, code, by=user, value=typed["value"], explanation=typed["explanation"],
                                  files=files)  # fmt: skip
        return Response(ItemSerializer(item).data)
