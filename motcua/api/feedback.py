"""Feedback cases over HTTP: the report of a paper asked beyond the list, the handlers' list and actions, tracking.

Every rule is the feedback app's: the answers carry what the caller may do now (`actions`), as the pages show it.
"""

from typing import Any

from django.core.exceptions import ValidationError
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.generics import GenericAPIView
from rest_framework.permissions import AllowAny, BasePermission, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from motcua.core.errors import NotFoundError
from motcua.feedback import rules, selectors, services
from motcua.feedback.lifecycle import ACTION_LABELS, KIND_LABELS, STATUS_CHOICES, Action
from motcua.feedback.models import FeedbackCase, FeedbackEvent
from motcua.organizations.models import User

from .idempotency import IDEMPOTENCY_KEY, idempotent
from .problems import problem
from .schema import problem_responses

ACTIONS = {action.value: action for action in Action if action != Action.FILE}
INPUT_PATHS = {f"sender_{part}": f"sender.{part}" for part in ("name", "address", "phone", "email")}


class FeedbackOfferSerializer(serializers.Serializer[rules.Offer]):
    action = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]
    allowed = serializers.BooleanField()
    reason = serializers.CharField(source="refusal", help_text="Vì sao chưa thực hiện được; rỗng khi được phép")


class FeedbackSerializer(serializers.ModelSerializer[FeedbackCase]):
    status_label = serializers.CharField(read_only=True)
    dossier = serializers.CharField(
        source="dossier.code", default=None, allow_null=True, read_only=True, help_text="Mã hồ sơ được phản ánh"
    )
    handling_unit = serializers.CharField(source="handling_unit.code", help_text="Mã đơn vị xử lý")
    reported_official = serializers.CharField(
        source="reported_official.username",
        default=None,
        allow_null=True,
        read_only=True,
        help_text="Cán bộ bị phản ánh, nếu người gửi nêu",
    )
    actions = serializers.SerializerMethodField(help_text="Các thao tác của trạng thái hiện tại đối với người gọi")

    class Meta:
        model = FeedbackCase
        fields = [
            *("code", "kind", "topic", "channel", "status", "status_label", "dossier", "paper_asked", "content"),
            *("reported_official", "is_anonymous", "sender_name", "sender_address", "sender_phone", "sender_email"),
            *("handling_unit", "received_at", "accept_due_at", "due_at", "concluded_at", "verified", "conclusion"),
            "actions",
        ]

    @extend_schema_field(FeedbackOfferSerializer(many=True))
    def get_actions(self, case: FeedbackCase) -> list[dict[str, Any]]:
        offers = rules.offers(case, self.context["request"].user)
        return list(FeedbackOfferSerializer(offers, many=True).data)  # type: ignore[arg-type]


class FeedbackEventSerializer(serializers.ModelSerializer[FeedbackEvent]):
    actor = serializers.CharField(source="actor.username", default=None, allow_null=True, read_only=True)

    class Meta:
        model = FeedbackEvent
        fields = ["sequence", "action", "status_after", "actor", "at", "reason", "details"]


class SenderInput(serializers.Serializer[None]):
    name = serializers.CharField(required=False, allow_blank=True, default="", max_length=150)
    address = serializers.CharField(required=False, allow_blank=True, default="", max_length=300)
    phone = serializers.CharField(required=False, allow_blank=True, default="", max_length=20)
    email = serializers.CharField(required=False, allow_blank=True, default="", max_length=254)
    anonymous = serializers.BooleanField(required=False, default=False)


class ReportInput(serializers.Serializer[None]):
    dossier = serializers.CharField(max_length=40, help_text="Mã hồ sơ bị yêu cầu thêm giấy tờ")
    secret = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=64, help_text="Mã bí mật trên giấy tiếp nhận"
    )
    phone = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=4, help_text="Hoặc 4 số cuối điện thoại người nộp"
    )
    paper_asked = serializers.CharField(max_length=300, help_text="Giấy tờ bị yêu cầu mà không có trong danh mục")
    content = serializers.CharField(required=False, allow_blank=True, default="", max_length=4000)
    official = serializers.CharField(
        required=False, allow_blank=True, default="", help_text="Tên đăng nhập cán bộ đã yêu cầu, nếu biết"
    )
    sender = SenderInput(help_text="Họ tên, địa chỉ, điện thoại (ND 20/2008); ẩn danh khi anonymous là true")


class FeedbackQuery(serializers.Serializer[None]):
    kind = serializers.ChoiceField(choices=list(KIND_LABELS), required=False)
    status = serializers.ChoiceField(choices=STATUS_CHOICES, required=False)
    unit = serializers.CharField(required=False, max_length=40, help_text="Mã đơn vị xử lý")
    dossier = serializers.CharField(required=False, max_length=40)
    due_before = serializers.DateTimeField(required=False)


class ActionInput(serializers.Serializer[None]):
    reason = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=2000, help_text="Lý do, hoặc nội dung kết luận"
    )
    verified = serializers.BooleanField(required=False, allow_null=True, default=None, help_text="Kết luận: đúng?")


class _ReadOrReport(BasePermission):
    """Reading the list needs an account; a report may come from anyone holding the receipt."""

    def has_permission(self, request: Request, view: object) -> bool:
        return request.method == "POST" or bool(request.user and request.user.is_authenticated)


class FeedbackListView(GenericAPIView[FeedbackCase]):
    permission_classes = [_ReadOrReport]
    serializer_class = FeedbackSerializer
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "tracking"  # proving a dossier by its receipt: tracking's limit, for reports only

    def get_throttles(self) -> list[Any]:
        return super().get_throttles() if self.request.method == "POST" else []

    @extend_schema(
        operation_id="feedback_list",
        summary="Phản ánh người gọi xử lý (lãnh đạo đơn vị xử lý, giám sát cấp tỉnh), hạn sớm nhất trước",
        parameters=[FeedbackQuery],
        responses=FeedbackSerializer(many=True),
    )
    def get(self, request: Request) -> Response:
        query = FeedbackQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        params = query.validated_data
        cases = selectors.cases_for(request.user)  # type: ignore[arg-type]
        for field, lookup in (("kind", "kind"), ("status", "status"), ("unit", "handling_unit__code"),
                              ("dossier", "dossier__code"), ("due_before", "due_at__lt")):  # fmt: skip
            if field in params:
                cases = cases.filter(**{lookup: params[field]})
        page = self.paginate_queryset(cases)
        return self.get_paginated_response(FeedbackSerializer(page, many=True, context={"request": request}).data)

    @extend_schema(
        summary="Phản ánh cán bộ yêu cầu giấy tờ không có trong danh mục (hồ sơ của tài khoản, hoặc mã bí mật)",
        request={"application/json": ReportInput},
        responses={201: FeedbackSerializer, **problem_responses(404)},  # a dossier not proved: as if none
        parameters=[IDEMPOTENCY_KEY],
    )
    @idempotent
    def post(self, request: Request) -> Response:
        data = ReportInput(data=request.data)
        data.is_valid(raise_exception=True)
        typed = data.validated_data
        dossier = selectors.dossier_for_report(
            request.user,  # type: ignore[arg-type]
            typed["dossier"],
            secret=typed["secret"],
            phone=typed["phone"],
        )
        if dossier is None:
            return problem(404, "not_found", "Không tìm thấy hồ sơ với mã và thông tin xác nhận đã nhập.")
        official = None
        if typed["official"]:
            found = User.objects.filter(username=typed["official"]).values_list("pk", flat=True).first()
            official = found if found is not None else 0  # an unknown name is refused by the service
        sender = services.Sender(**typed["sender"])
        # Without an account, the Idempotency-Key still files a report once: kept per dossier, which only a caller
        # holding its receipt reaches.
        key = request.headers.get("Idempotency-Key", "").strip()[:40]
        report = services.ExtraPaperReport(
            dossier, sender, typed["paper_asked"], typed["content"], official,
            submission_key=f"api:{dossier.pk}:{key}" if key else "",
        )  # fmt: skip
        user = request.user if request.user.is_authenticated else None
        try:
            case = services.report_extra_paper(report, citizen=user)
        except ValidationError as refused:  # keyed by the paths of this request's body
            errors = {INPUT_PATHS.get(key, key): messages for key, messages in refused.message_dict.items()}
            return problem(400, "invalid", "Phản ánh chưa hợp lệ; xem từng trường trong `errors`.", errors=errors)
        answer = dict(FeedbackSerializer(case, context={"request": request}).data)
        answer["tracking_secret"] = case.tracking_secret  # given once, to the sender: the reply channel
        return Response(answer, status=status.HTTP_201_CREATED)


def readable(request: Request, code: str) -> FeedbackCase:
    """A case the caller handles; any other answers as one that does not exist."""
    cases = FeedbackCase.objects.select_related("dossier", "handling_unit", "reported_official")
    case = cases.filter(code=code).first()
    if case is None or not rules.may_read(request.user, case):  # type: ignore[arg-type]
        raise NotFoundError(f"Không tìm thấy phản ánh {code} trong phạm vi của bạn.")
    return case


class FeedbackDetailView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(summary="Một phản ánh, kèm các thao tác người gọi được làm lúc này", responses=FeedbackSerializer)
    def get(self, request: Request, code: str) -> Response:
        return Response(FeedbackSerializer(readable(request, code), context={"request": request}).data)


class FeedbackEventsView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(summary="Lịch sử xử lý phản ánh", responses=FeedbackEventSerializer(many=True))
    def get(self, request: Request, code: str) -> Response:
        events = readable(request, code).events.select_related("actor").order_by("sequence")
        return Response(FeedbackEventSerializer(events, many=True).data)


class FeedbackActionView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        summary="Thực hiện một thao tác trên phản ánh",
        description="Thao tác: " + ", ".join(f"{a} ({ACTION_LABELS[ACTIONS[a]]})" for a in sorted(ACTIONS)) + ".",
        request={"application/json": ActionInput},
        responses=FeedbackSerializer,
        parameters=[IDEMPOTENCY_KEY, OpenApiParameter("action", str, OpenApiParameter.PATH, enum=sorted(ACTIONS))],
    )
    @idempotent
    def post(self, request: Request, code: str, action: str) -> Response:
        case = readable(request, code)
        if action not in ACTIONS:
            return problem(404, "unknown_action", f"Không có thao tác «{action}».")
        data = ActionInput(data=request.data)
        data.is_valid(raise_exception=True)
        actor: User = request.user  # type: ignore[assignment]
        services.act(case, ACTIONS[action], actor=actor, **data.validated_data)
        return Response(FeedbackSerializer(case, context={"request": request}).data)


class FeedbackTrackingSerializer(serializers.Serializer[FeedbackCase]):
    code = serializers.CharField()
    status = serializers.IntegerField()
    status_label = serializers.CharField()
    handling_unit = serializers.CharField(source="handling_unit.name")
    received_at = serializers.DateTimeField()
    due_at = serializers.DateTimeField()
    concluded_at = serializers.DateTimeField(allow_null=True)
    verified = serializers.BooleanField(allow_null=True)
    conclusion = serializers.CharField()


class FeedbackTrackingView(APIView):
    permission_classes = [AllowAny]
    authentication_classes = []
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "tracking"

    @extend_schema(
        summary="Theo dõi phản ánh bằng mã và mã bí mật (công khai; cách duy nhất với phản ánh ẩn danh)",
        parameters=[OpenApiParameter("secret", str, description="Mã bí mật nhận khi gửi phản ánh")],
        responses=FeedbackTrackingSerializer,
    )
    def get(self, request: Request, code: str) -> Response:
        case = selectors.tracked(code, request.query_params.get("secret", "")[:64])
        if case is None:
            return problem(404, "not_found", "Không tìm thấy phản ánh với mã và mã bí mật đã nhập.")
        return Response(FeedbackTrackingSerializer(case).data)
