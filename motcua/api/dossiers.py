"""Dossiers over HTTP: intake and online submission, scoped reads, transitions, printed forms, public tracking."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.generics import GenericAPIView
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from motcua.catalogue.models import Case, Component
from motcua.catalogue.selectors import get_version_on, limit_for
from motcua.core.errors import DomainError, NotFoundError
from motcua.documents.forms import FORMS, render_form
from motcua.dossiers import services
from motcua.dossiers.lifecycle import Action, Status
from motcua.dossiers.models import ApplicantKind, Dossier, DossierEvent, FeeCollection
from motcua.dossiers.selectors import PublicView, get_dossier_for, list_dossiers_for, track
from motcua.organizations.models import Unit

from .idempotency import idempotent
from .problems import problem


class ApplicantSerializer(serializers.Serializer[None]):
    kind = serializers.ChoiceField(choices=ApplicantKind.choices, default=ApplicantKind.PERSON)
    name = serializers.CharField(max_length=200)
    citizen_id = serializers.CharField(max_length=12, required=False, allow_blank=True, default="")
    phone = serializers.CharField(max_length=10, required=False, allow_blank=True, default="")
    email = serializers.EmailField(required=False, allow_blank=True, default="")
    address = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")
    organisation_name = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
    tax_code = serializers.CharField(max_length=14, required=False, allow_blank=True, default="")
    representative = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    owner_name = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    owner_address = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class PaperSerializer(serializers.Serializer[None]):
    component = serializers.CharField(help_text="Mã giấy tờ trong thành phần hồ sơ (MAGIAYTO).")
    originals = serializers.IntegerField(min_value=0, max_value=99, default=0)
    copies = serializers.IntegerField(min_value=0, max_value=99, default=0)
    is_digitised = serializers.BooleanField(default=False)


class FilingSerializer(serializers.Serializer[None]):
    procedure = serializers.CharField(help_text="Mã thủ tục (MATTHC); phiên bản đang có hiệu lực được ghim vào hồ sơ.")
    case = serializers.IntegerField(min_value=0, default=0, help_text="Số thứ tự trường hợp, từ 0.")
    channel = serializers.ChoiceField(choices=[1, 2, 3], help_text="1 trực tiếp, 2 trực tuyến, 3 bưu chính")
    receiving_unit = serializers.SlugRelatedField(
        slug_field="code", queryset=Unit.objects.select_related("parent__parent")
    )
    commune = serializers.CharField(required=False, allow_blank=True, default="", help_text="Mã xã nơi cư trú")
    applicant = ApplicantSerializer()
    papers = PaperSerializer(many=True)
    fee = serializers.IntegerField(
        min_value=0,
        required=False,
        allow_null=True,
        default=None,
        help_text="Số thứ tự (từ 0) của mức phí, lệ phí áp dụng trong danh sách phí của thủ tục cho kênh nộp này.",
    )
    fee_collection = serializers.ChoiceField(
        choices=FeeCollection.choices, default=FeeCollection.NONE, help_text="Thu phí trước hay thu sau"
    )


class EventSerializer(serializers.ModelSerializer[DossierEvent]):
    actor = serializers.StringRelatedField()  # type: ignore[var-annotated]
    unit = serializers.SlugRelatedField(slug_field="code", read_only=True)  # type: ignore[var-annotated]

    class Meta:
        model = DossierEvent
        fields = ["sequence", "action", "status_before", "status_after", "actor", "unit", "at", "reason", "form"]


class DossierSerializer(serializers.ModelSerializer[Dossier]):
    procedure = serializers.CharField(source="version.procedure.code")
    procedure_name = serializers.CharField(source="version.name")
    version = serializers.IntegerField(source="version.number")
    case = serializers.CharField(source="case.name")
    status_label = serializers.SerializerMethodField()
    fee_amount = serializers.IntegerField(source="fee.amount", allow_null=True, default=None, read_only=True)
    receiving_unit = serializers.SlugRelatedField(slug_field="code", read_only=True)  # type: ignore[var-annotated]
    competent_unit = serializers.SlugRelatedField(slug_field="code", read_only=True)  # type: ignore[var-annotated]

    class Meta:
        model = Dossier
        fields = [
            "code", "procedure", "procedure_name", "version", "case", "channel", "status", "status_label",
            "receiving_unit", "competent_unit", "applicant_kind", "applicant_name", "applicant_citizen_id",
            "applicant_phone", "applicant_email", "applicant_address", "organisation_name", "tax_code",
            "submitted_at", "received_at", "due_at", "due_calendar_version", "supplement_rounds", "closed_at",
            "fee_amount", "fee_collection",
        ]  # fmt: skip

    def get_status_label(self, dossier: Dossier) -> str:
        return Status(dossier.status).label


class DossierQuery(serializers.Serializer[None]):
    status = serializers.ChoiceField(choices=[s.value for s in Status], required=False)
    unit = serializers.CharField(required=False, help_text="Mã đơn vị tiếp nhận hoặc giải quyết")
    procedure = serializers.CharField(required=False)
    due_before = serializers.DateTimeField(required=False)


def _filing(data: dict[str, Any]) -> services.Filing:
    version = get_version_on(data["procedure"])
    if version is None:
        raise DomainError(f"Không có thủ tục mã {data['procedure']} đang có hiệu lực.", field="procedure")
    case = Case.objects.filter(version=version, position=data["case"]).first()
    if case is None:
        raise DomainError("Thủ tục không có trường hợp này.", field="case")
    components = {c.code: c.pk for c in Component.objects.filter(case=case)}
    unknown = [p["component"] for p in data["papers"] if p["component"] not in components]
    if unknown:
        raise DomainError(
            f"Giấy tờ {', '.join(unknown)} không thuộc thành phần hồ sơ đã công bố của trường hợp này.", field="papers"
        )
    papers = tuple(
        services.Paper(components[p["component"]], p["originals"], p["copies"], p["is_digitised"])
        for p in data["papers"]
    )
    fee_id = None
    if data["fee"] is not None:
        limit = limit_for(case, data["channel"])
        fees = list(limit.fees.all()) if limit else []
        if data["fee"] >= len(fees):
            raise DomainError(f"Thủ tục chỉ có {len(fees)} mức phí, lệ phí cho kênh nộp này.", field="fee")
        fee_id = fees[data["fee"]].pk
    applicant = services.Applicant(**data["applicant"])
    return services.Filing(
        case.pk, data["channel"], applicant, papers, data["commune"], fee_id, data["fee_collection"]
    )


class DossierListView(GenericAPIView[Dossier]):
    permission_classes = [IsAuthenticated]
    serializer_class = DossierSerializer

    @extend_schema(
        operation_id="dossiers_list", summary="Hồ sơ trong phạm vi của người gọi", parameters=[DossierQuery]
    )
    def get(self, request: Request) -> Response:
        query = DossierQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        params = query.validated_data
        dossiers = list_dossiers_for(request.user).order_by("due_at", "code")  # type: ignore[arg-type]
        if "status" in params:
            dossiers = dossiers.filter(status=params["status"])
        if "unit" in params:
            dossiers = dossiers.filter(Q(receiving_unit__code=params["unit"]) | Q(competent_unit__code=params["unit"]))
        if "procedure" in params:
            dossiers = dossiers.filter(version__procedure__code=params["procedure"])
        if "due_before" in params:
            dossiers = dossiers.filter(due_at__lt=params["due_before"])
        page = self.paginate_queryset(dossiers)
        return self.get_paginated_response(DossierSerializer(page, many=True).data)

    @extend_schema(
        summary="Tiếp nhận tại quầy (công chức một cửa) hoặc nộp trực tuyến (công dân)",
        request=FilingSerializer,
        responses={201: DossierSerializer},
        parameters=[OpenApiParameter("Idempotency-Key", str, OpenApiParameter.HEADER, required=False)],
    )
    @idempotent
    def post(self, request: Request) -> Response:
        data = FilingSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        filing = _filing(data.validated_data)
        unit = data.validated_data["receiving_unit"]
        try:
            if request.user.is_citizen:  # type: ignore[union-attr]
                outcome = services.submit_online(filing, citizen=request.user, receiving_unit=unit)  # type: ignore[arg-type]
            else:
                outcome = services.receive_at_counter(filing, officer=request.user, receiving_unit=unit)  # type: ignore[arg-type]
        except ValidationError as error:
            return problem(400, "invalid", "Thông tin người nộp chưa hợp lệ.", errors=error.message_dict)
        return Response(DossierSerializer(outcome.dossier).data, status=status.HTTP_201_CREATED)


def _visible(request: Request, code: str) -> Dossier:
    dossier = get_dossier_for(request.user, code)  # type: ignore[arg-type]
    if dossier is None:
        raise NotFoundError(f"Không tìm thấy hồ sơ {code} trong phạm vi của bạn.")
    return dossier


class DossierDetailView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(summary="Một hồ sơ", responses=DossierSerializer)
    def get(self, request: Request, code: str) -> Response:
        return Response(DossierSerializer(_visible(request, code)).data)


class DossierEventsView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(summary="Lịch sử (các sự kiện) của hồ sơ", responses=EventSerializer(many=True))
    def get(self, request: Request, code: str) -> Response:
        events = _visible(request, code).events.select_related("actor", "unit").order_by("sequence")
        return Response(EventSerializer(events, many=True).data)


class SupplementSerializer(serializers.Serializer[None]):
    component = serializers.CharField(help_text="Mã giấy tờ (MAGIAYTO) trong trường hợp của hồ sơ")
    reason = serializers.CharField()


class ActionSerializer(serializers.Serializer[None]):
    reason = serializers.CharField(required=False, allow_blank=True, default="")
    supplements = SupplementSerializer(many=True, required=False, default=list)


class DossierActionView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        summary="Thực hiện một thao tác: accept, refuse, start, request-supplement, submit-supplement, withdraw",
        request=ActionSerializer,
        responses=DossierSerializer,
        parameters=[OpenApiParameter("Idempotency-Key", str, OpenApiParameter.HEADER, required=False)],
    )
    @idempotent
    def post(self, request: Request, code: str, action: str) -> Response:
        dossier = _visible(request, code)
        if action not in {a.value for a in Action} - {Action.SUBMIT, Action.RECEIVE}:
            return problem(404, "unknown_action", f"Không có thao tác «{action}».")
        data = ActionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        components = {c.code: c.pk for c in Component.objects.filter(case=dossier.case)}
        supplements = tuple(
            services.SupplementRequest(components.get(item["component"], 0), item["reason"])
            for item in data.validated_data["supplements"]
        )
        outcome = services.perform(
            dossier,
            Action(action),
            actor=request.user,  # type: ignore[arg-type]
            reason=data.validated_data["reason"],
            supplements=supplements,
        )
        return Response(DossierSerializer(outcome.dossier).data)


class DossierFormView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(summary="Biểu mẫu 01, 02, 03 (PDF)", responses={(200, "application/pdf"): OpenApiTypes.BINARY})
    def get(self, request: Request, code: str, number: str) -> HttpResponse:
        dossier = _visible(request, code)
        if number not in FORMS:
            return problem(404, "unknown_form", "Chỉ có mẫu 01, 02, 03.")
        response = HttpResponse(render_form(dossier, number), content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="{dossier.code}-mau-{number}.pdf"'
        return response


class TimelineSerializer(serializers.Serializer[None]):
    at = serializers.DateTimeField()
    action = serializers.CharField()
    status = serializers.CharField()
    unit = serializers.CharField()
    form = serializers.CharField()


class NeededSerializer(serializers.Serializer[None]):
    paper = serializers.CharField()
    reason = serializers.CharField()


class TrackingSerializer(serializers.Serializer[PublicView]):
    """What anyone holding the receipt may see; never an ID number, an address or an official's name."""

    code = serializers.CharField()
    procedure = serializers.CharField()
    status = serializers.IntegerField(source="status_code")
    status_label = serializers.CharField(source="status")
    submitted_at = serializers.DateTimeField()
    due_at = serializers.DateTimeField(allow_null=True)
    is_result_ready = serializers.BooleanField()
    needed_now = NeededSerializer(many=True)
    timeline = TimelineSerializer(many=True)


class TrackingQuery(serializers.Serializer[None]):
    secret = serializers.CharField(required=False, allow_blank=True, default="", help_text="Mã bí mật in trong QR")
    phone = serializers.RegexField(
        r"^\d{4}$", required=False, allow_blank=True, default="", help_text="4 số cuối điện thoại người nộp"
    )


class TrackingView(APIView):
    permission_classes = [AllowAny]
    authentication_classes = []
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "tracking"

    @extend_schema(summary="Tra cứu hồ sơ (công khai)", parameters=[TrackingQuery], responses=TrackingSerializer)
    def get(self, request: Request, code: str) -> Response:
        query = TrackingQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        view = track(code, secret=query.validated_data["secret"], phone_last4=query.validated_data["phone"])
        if view is None:
            return problem(404, "not_found", "Không tìm thấy hồ sơ với mã và thông tin xác nhận đã nhập.")
        return Response(TrackingSerializer(view).data)
