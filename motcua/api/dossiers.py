"""Dossiers over HTTP: intake and online submission, scoped reads, transitions, printed forms, public tracking."""

import copy
import re
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.generics import GenericAPIView
from rest_framework.parsers import MultiPartParser
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from motcua.api.throttling import ScopedRateThrottle
from motcua.catalogue.selectors import listed_fees, terms_of, versions_in_force
from motcua.core.errors import DomainError, NotFoundError
from motcua.core.validators import normalise_citizen_id, normalise_phone
from motcua.documents.forms import FORMS, render_form
from motcua.documents.register import register_file
from motcua.dossiers import services
from motcua.dossiers.filled import filed_sections
from motcua.dossiers.lifecycle import Status
from motcua.dossiers.models import (
    ApplicantKind,
    Dossier,
    DossierEvent,
    FeeCollection,
    ResultDocument,
    ReturnMethod,
    StepTask,
)
from motcua.dossiers.selectors import get_dossier_for, list_dossiers_for, my_queue, unit_queue
from motcua.dossiers.tracking import PublicView, track
from motcua.eforms.answers import flatten
from motcua.organizations.models import Unit, User
from motcua.organizations.selectors import may_see_unit

from .idempotency import IDEMPOTENCY_KEY, idempotent
from .problems import problem


class ApplicantSerializer(serializers.Serializer[None]):
    kind = serializers.ChoiceField(choices=ApplicantKind.choices, default=ApplicantKind.PERSON)
    name = serializers.CharField(max_length=200)
    # 20: room for the spaces and dots people type; the digits are checked, never cut off, when the dossier is made.
    citizen_id = serializers.CharField(max_length=20, required=False, allow_blank=True, default="")
    phone = serializers.CharField(max_length=20, required=False, allow_blank=True, default="")
    email = serializers.EmailField(required=False, allow_blank=True, default="")
    address = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")
    organisation_name = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
    tax_code = serializers.CharField(max_length=14, required=False, allow_blank=True, default="")
    representative = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    owner_name = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    owner_address = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")

    def validate_citizen_id(self, value: str) -> str:
        return normalise_citizen_id(value)

    def validate_phone(self, value: str) -> str:
        return normalise_phone(value)


class PaperSerializer(serializers.Serializer[None]):
    component = serializers.CharField(help_text="Mã giấy tờ trong thành phần hồ sơ (MAGIAYTO).")
    originals = serializers.IntegerField(min_value=0, max_value=99, default=0)
    copies = serializers.IntegerField(min_value=0, max_value=99, default=0)
    is_digitised = serializers.BooleanField(default=False)


class CounterRefusalSerializer(serializers.Serializer[None]):
    kind = serializers.ChoiceField(
        choices=services.REFUSAL_KIND_CHOICES,
        help_text="not_eligible: hồ sơ không đủ điều kiện; not_competent: không thuộc thẩm quyền giải quyết",
    )
    reason = serializers.CharField(max_length=2000, help_text="Lý do cụ thể, in trên Mẫu số 03")
    guidance = serializers.CharField(
        max_length=500,
        required=False,
        allow_blank=True,
        default="",
        help_text="Cơ quan có thẩm quyền, nơi hướng dẫn người nộp đến; bắt buộc khi kind là not_competent",
    )


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
    form_data = serializers.JSONField(
        required=False,
        default=None,
        help_text="Tờ khai điện tử của thủ tục (nếu có), theo định nghĩa biểu mẫu: {phần: {trường: giá trị}}; ngày "
        "dạng dd/mm/yyyy, địa chỉ {commune, detail}. Khi có, tờ khai thay cho giấy tờ tờ khai của trường hợp.",
    )
    return_method = serializers.ChoiceField(
        choices=ReturnMethod.choices, required=False, default="", help_text="Hình thức nhận kết quả (HinhThuc)"
    )
    return_address = serializers.CharField(required=False, allow_blank=True, default="", max_length=500)
    refusal = CounterRefusalSerializer(
        required=False,
        help_text="Công chức một cửa từ chối tiếp nhận tại quầy thay vì tiếp nhận: hồ sơ được lập ở trạng thái 3 "
        "(Không được tiếp nhận) kèm Mẫu số 03; giấy tờ không cần đủ, không thu phí.",
    )


class EventSerializer(serializers.ModelSerializer[DossierEvent]):
    actor = serializers.CharField(  # None when the system recorded the event (a report, the calendar)
        source="actor.__str__", default=None, allow_null=True, read_only=True, help_text="Người thực hiện"
    )
    unit = serializers.SlugRelatedField(slug_field="code", read_only=True)  # type: ignore[var-annotated]

    class Meta:
        model = DossierEvent
        fields = ["sequence", "action", "status_before", "status_after", "actor", "unit", "at", "reason", "form"]


_DOSSIER_FIELDS: dict[type, dict[str, serializers.Field[Any, Any, Any, Any]]] = {}


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

    def get_fields(self) -> dict[str, serializers.Field[Any, Any, Any, Any]]:
        # ModelSerializer reads the model anew for each instance and finds the same fields every time; built once,
        # a copy costs a third as much, and an intake or an action answers with one dossier.
        if type(self) not in _DOSSIER_FIELDS:
            _DOSSIER_FIELDS[type(self)] = super().get_fields()
        return copy.deepcopy(_DOSSIER_FIELDS[type(self)])

    def get_status_label(self, dossier: Dossier) -> str:
        return Status(dossier.status).label


class DossierQuery(serializers.Serializer[None]):
    status = serializers.ChoiceField(choices=[s.value for s in Status], required=False)
    unit = serializers.CharField(required=False, help_text="Mã đơn vị tiếp nhận hoặc giải quyết")
    procedure = serializers.CharField(required=False)
    due_before = serializers.DateTimeField(required=False)


def _filing(data: dict[str, Any]) -> services.Filing:
    version = versions_in_force().filter(procedure__code=data["procedure"]).values_list("pk", flat=True).first()
    if version is None:
        raise DomainError(f"Không có thủ tục mã {data['procedure']} đang có hiệu lực.", field="procedure")
    cases = terms_of(version)
    if data["case"] >= len(cases):
        raise DomainError("Thủ tục không có trường hợp này.", field="case")
    terms = cases[data["case"]]
    components = {c.code: c.pk for c in terms.components}
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
        fees = listed_fees(terms.case, data["channel"])
        if data["fee"] >= len(fees):
            raise DomainError(f"Thủ tục chỉ có {len(fees)} mức phí, lệ phí cho kênh nộp này.", field="fee")
        fee_id = fees[data["fee"]].pk
    applicant = services.Applicant(**data["applicant"])
    form_data = data["form_data"]
    if form_data is not None and not isinstance(form_data, dict):
        raise DomainError(
            "Tờ khai (form_data) phải là một đối tượng JSON theo các phần của biểu mẫu.", field="form_data"
        )
    return services.Filing(
        terms.case.pk,
        data["channel"],
        applicant,
        papers,
        data["commune"],
        fee_id,
        data["fee_collection"],
        answers=flatten(form_data) if form_data is not None else None,
        return_method=data["return_method"],
        return_address=data["return_address"],
    )


class DossierListView(GenericAPIView[Dossier]):
    permission_classes = [IsAuthenticated]
    serializer_class = DossierSerializer

    @extend_schema(
        operation_id="dossiers_list",
        summary="Hồ sơ trong phạm vi của người gọi",
        parameters=[DossierQuery],
        responses=DossierSerializer(many=True),
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
        summary="Tiếp nhận hoặc từ chối tiếp nhận tại quầy (công chức một cửa), hoặc nộp trực tuyến (công dân)",
        request={"application/json": FilingSerializer},  # nested applicant and papers: JSON only
        responses={201: DossierSerializer},
        parameters=[IDEMPOTENCY_KEY],
    )
    @idempotent
    def post(self, request: Request) -> Response:
        data = FilingSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        filing = _filing(data.validated_data)
        unit = data.validated_data["receiving_unit"]
        refusal = data.validated_data.get("refusal")
        try:
            if refusal is not None:
                outcome = services.refuse_at_counter(
                    filing,
                    services.CounterRefusal(**refusal),
                    officer=request.user,  # type: ignore[arg-type]
                    receiving_unit=unit,
                )
            elif request.user.is_citizen:  # type: ignore[union-attr]
                outcome = services.submit_online(filing, citizen=request.user, receiving_unit=unit)  # type: ignore[arg-type]
            else:
                outcome = services.receive_at_counter(filing, officer=request.user, receiving_unit=unit)  # type: ignore[arg-type]
        except ValidationError as error:
            return problem(400, "invalid", "Thông tin hồ sơ chưa hợp lệ; xem từng trường trong `errors`.",
                           errors=error.message_dict)  # fmt: skip
        return Response(DossierSerializer(outcome.dossier).data, status=status.HTTP_201_CREATED)


def visible(request: Request, code: str) -> Dossier:
    dossier = get_dossier_for(request.user, code)  # type: ignore[arg-type]
    if dossier is None:
        raise NotFoundError(f"Không tìm thấy hồ sơ {code} trong phạm vi của bạn.")
    return dossier


class DossierEventsView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(summary="Lịch sử (các sự kiện) của hồ sơ", responses=EventSerializer(many=True))
    def get(self, request: Request, code: str) -> Response:
        events = visible(request, code).events.select_related("actor", "unit").order_by("sequence")
        return Response(EventSerializer(events, many=True).data)


class FilledLineSerializer(serializers.Serializer[None]):
    label = serializers.CharField()  # type: ignore[assignment]
    text = serializers.CharField()


class FilledSectionSerializer(serializers.Serializer[None]):
    key = serializers.CharField()
    title = serializers.CharField()
    lines = FilledLineSerializer(many=True)


class FilledFormSerializer(serializers.Serializer[None]):
    title = serializers.CharField()
    version = serializers.IntegerField(help_text="Phiên bản biểu mẫu đã ghim vào hồ sơ")
    form_number = serializers.CharField()
    legal_basis = serializers.CharField()
    data = serializers.JSONField(help_text="Giá trị đã kiểm tra, theo đường dẫn phần.trường")  # type: ignore[assignment]
    sections = FilledSectionSerializer(many=True)


class DossierFilledFormView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(summary="Tờ khai điện tử đã nộp cùng hồ sơ", responses=FilledFormSerializer)
    def get(self, request: Request, code: str) -> Response:
        dossier = visible(request, code)
        form = dossier.form
        if form is None:
            return problem(404, "no_form", "Hồ sơ này nộp tờ khai bằng giấy, không có tờ khai điện tử.")
        body = {
            "title": form.title,
            "version": form.number,
            "form_number": form.form_number,
            "legal_basis": form.legal_basis,
            "data": dossier.form_data,
            "sections": [
                {
                    "key": s.key,
                    "title": s.title,
                    "lines": [{"label": line.label, "text": line.text} for line in s.lines],
                }
                for s in filed_sections(dossier)
            ],
        }
        return Response(FilledFormSerializer(body).data)  # type: ignore[arg-type]


class DossierFormView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        summary="Biểu mẫu 01 đến 06 (PDF)",
        parameters=[OpenApiParameter("number", str, OpenApiParameter.PATH, enum=list(FORMS))],
        responses={(200, "application/pdf"): OpenApiTypes.BINARY},
    )
    def get(self, request: Request, code: str, number: str) -> HttpResponse:
        dossier = visible(request, code)
        if number not in FORMS:
            return problem(404, "unknown_form", "Chỉ có mẫu " + ", ".join(FORMS) + ".")
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


_PHONE_LAST4 = re.compile(r"\d{4}")


class TrackingView(APIView):
    permission_classes = [AllowAny]
    authentication_classes = []
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "tracking"

    @extend_schema(
        summary="Tra cứu hồ sơ (công khai)",
        parameters=[
            OpenApiParameter("secret", str, description="Mã bí mật in trong QR"),
            OpenApiParameter("phone", str, pattern=r"^\d{4}$", description="4 số cuối điện thoại người nộp"),
        ],
        responses=TrackingSerializer,
    )
    def get(self, request: Request, code: str) -> Response:
        # Two optional strings are read directly: a serializer here cost the busiest public read a fifth of its time.
        secret, phone = request.query_params.get("secret", ""), request.query_params.get("phone", "")
        if phone and not _PHONE_LAST4.fullmatch(phone):
            raise serializers.ValidationError({"phone": ["Nhập đúng 4 chữ số cuối của số điện thoại."]})
        if not secret.isascii():  # receipts print an ASCII secret; the constant-time comparison takes nothing else
            raise serializers.ValidationError({"secret": ["Mã bí mật chỉ gồm chữ cái không dấu, chữ số, - và _."]})
        view = track(code, secret=secret, phone_last4=phone)
        if view is None:
            return problem(404, "not_found", "Không tìm thấy hồ sơ với mã và thông tin xác nhận đã nhập.")
        return Response(tracking_answer(view))


_INSTANT = serializers.DateTimeField()


def tracking_answer(view: PublicView) -> dict[str, Any]:
    """Give TrackingSerializer's answer, built directly.

    The busiest public read spent longer in the serializer than in the database. TrackingSerializer stays the
    documented shape, and a test holds the two equal.
    """
    instant = _INSTANT.to_representation
    return {
        "code": view.code,
        "procedure": view.procedure,
        "status": view.status_code,
        "status_label": str(view.status),
        "submitted_at": instant(view.submitted_at),
        "due_at": instant(view.due_at) if view.due_at else None,
        "is_result_ready": view.is_result_ready,
        "needed_now": [{"paper": item["paper"], "reason": item["reason"]} for item in view.needed_now],
        "timeline": [
            {"at": instant(e.at), "action": e.action, "status": e.status, "unit": e.unit, "form": e.form}
            for e in view.timeline
        ],
    }


class ResultUploadSerializer(serializers.Serializer[None]):
    title = serializers.CharField(max_length=300)
    file = serializers.FileField(help_text="Tệp PDF kết quả giải quyết")


class ResultSerializer(serializers.ModelSerializer[ResultDocument]):
    class Meta:
        model = ResultDocument
        fields = ["title", "sha256", "is_generated", "created_at"]


class DossierResultsView(APIView):
    permission_classes = [IsAuthenticated]
    parser_classes = [MultiPartParser]

    @extend_schema(
        summary="Đính kèm kết quả giải quyết (PDF) ở bước đang xử lý",
        request={"multipart/form-data": ResultUploadSerializer},
        responses={201: ResultSerializer},
        parameters=[IDEMPOTENCY_KEY],
    )
    @idempotent
    def post(self, request: Request, code: str) -> Response:
        dossier = visible(request, code)
        data = ResultUploadSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        upload = data.validated_data["file"]
        if upload.size > settings.MOTCUA_MAX_UPLOAD_BYTES:
            raise DomainError("Tệp kết quả quá lớn.", field="file")
        document = services.attach_result(
            dossier,
            actor=request.user,  # type: ignore[arg-type]
            title=data.validated_data["title"],
            pdf=upload.read(),
        )
        return Response(ResultSerializer(document).data, status=status.HTTP_201_CREATED)


class QueueRowSerializer(serializers.ModelSerializer[StepTask]):
    code = serializers.CharField(source="dossier.code")
    procedure_name = serializers.CharField(source="dossier.version.name")
    dossier_status = serializers.IntegerField(source="dossier.status")
    dossier_due_at = serializers.DateTimeField(source="dossier.due_at", allow_null=True)  # a nullable column
    step = serializers.CharField(source="name")
    unit = serializers.SlugRelatedField(slug_field="code", read_only=True)  # type: ignore[var-annotated]
    # A unit's queue holds steps nobody has claimed yet.
    assignee = serializers.SlugRelatedField(  # type: ignore[var-annotated]
        slug_field="username", read_only=True, allow_null=True
    )

    class Meta:
        model = StepTask
        fields = [
            "code", "procedure_name", "dossier_status", "dossier_due_at", "position", "step", "unit",
            "staff_position", "assignee", "started_at", "due_at", "alert_level",
        ]  # fmt: skip


class MyQueueView(GenericAPIView[StepTask]):
    permission_classes = [IsAuthenticated]
    serializer_class = QueueRowSerializer

    @extend_schema(summary="Các bước được giao cho tôi, hạn gần nhất trước", responses=QueueRowSerializer(many=True))
    def get(self, request: Request) -> Response:
        page = self.paginate_queryset(my_queue(request.user))  # type: ignore[arg-type]
        return self.get_paginated_response(QueueRowSerializer(page, many=True).data)


class UnitQueueView(GenericAPIView[StepTask]):
    permission_classes = [IsAuthenticated]
    serializer_class = QueueRowSerializer

    @extend_schema(
        summary="Hàng đợi của một đơn vị: các bước đơn vị đang giữ, hạn gần nhất trước",
        parameters=[OpenApiParameter("unit_id", int, OpenApiParameter.PATH, description="Số hiệu đơn vị")],
        responses=QueueRowSerializer(many=True),
    )
    def get(self, request: Request, unit_id: int) -> Response:
        user: User = request.user  # type: ignore[assignment]
        if not may_see_unit(user, unit_id):
            return problem(403, "permission_denied", "Chỉ cán bộ của đơn vị mới xem hàng đợi của đơn vị.")
        page = self.paginate_queryset(unit_queue(unit_id))
        return self.get_paginated_response(QueueRowSerializer(page, many=True).data)


class RegisterQuery(serializers.Serializer[None]):
    start = serializers.DateField(help_text="Ngày đầu kỳ (YYYY-MM-DD)")
    end = serializers.DateField(help_text="Ngày cuối kỳ (YYYY-MM-DD)")


class RegisterView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        summary="Sổ theo dõi hồ sơ (Mẫu số 07) của một đơn vị trong một kỳ, PDF hoặc Excel",
        # The URL pattern's `pdf|xlsx` would be described as the pattern ^pdf|xlsx$, which also matches "pdfx".
        parameters=[RegisterQuery, OpenApiParameter("kind", str, OpenApiParameter.PATH, enum=["pdf", "xlsx"])],
        responses={
            (200, "application/pdf"): OpenApiTypes.BINARY,
            (200, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"): OpenApiTypes.BINARY,
        },
    )
    def get(self, request: Request, unit_id: str, kind: str) -> HttpResponse:
        user: User = request.user  # type: ignore[assignment]
        if not may_see_unit(user, int(unit_id)):
            return problem(403, "permission_denied", "Chỉ cán bộ của đơn vị mới xem sổ theo dõi hồ sơ của đơn vị.")
        unit = Unit.objects.filter(pk=unit_id).first()
        if unit is None:
            raise NotFoundError("Không có đơn vị này.")
        query = RegisterQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        start, end = query.validated_data["start"], query.validated_data["end"]
        body, content_type, name = register_file(unit, start, end, kind)
        response = HttpResponse(body, content_type=content_type)
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response
