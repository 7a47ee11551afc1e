"""Feedback cases over HTTP: the report of a paper asked beyond the list, the handlers' list and actions, tracking.

Every rule is the feedback app's: the answers carry what the caller may do now (`actions`), as the pages show it.
"""

import hashlib
import json
from typing import Any

from django.core.exceptions import ValidationError
from drf_spectacular.utils import OpenApiParameter, PolymorphicProxySerializer, extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.exceptions import NotAuthenticated
from rest_framework.generics import GenericAPIView
from rest_framework.pagination import CursorPagination
from rest_framework.permissions import AllowAny, BasePermission, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from motcua.core.errors import NotFoundError
from motcua.feedback import publication, rules, selectors, services
from motcua.feedback.lifecycle import (
    ACTION_LABELS,
    KIND_LABELS,
    RATING_CHOICES,
    SENDER_ACTIONS,
    STATUS_CHOICES,
    TOPIC_CHOICES,
    Action,
    Kind,
)
from motcua.feedback.models import FeedbackCase, FeedbackEvent, PublicAnswer
from motcua.organizations.models import Unit, User

from .idempotency import IDEMPOTENCY_KEY, idempotent
from .offers import LifecycleOfferSerializer
from .problems import problem
from .schema import problem_responses

ACTIONS = {action.value: action for action in Action if action != Action.FILE}
INPUT_PATHS = {f"sender_{part}": f"sender.{part}" for part in ("name", "address", "phone", "email")}


class FeedbackSerializer(serializers.ModelSerializer[FeedbackCase]):
    status_label = serializers.CharField(read_only=True)
    dossier = serializers.CharField(
        source="dossier.code", default=None, allow_null=True, read_only=True, help_text="Mã hồ sơ được phản ánh"
    )
    handling_unit = serializers.CharField(source="handling_unit.code", help_text="Mã đơn vị xử lý")
    subject_unit = serializers.CharField(
        source="subject_unit.code", default=None, allow_null=True, read_only=True, help_text="Mã đơn vị bị phản ánh"
    )
    follows = serializers.CharField(
        source="follows.code", default=None, allow_null=True, read_only=True, help_text="Mã vụ việc trước đó"
    )
    answer_document = serializers.CharField(
        source="answer_document.notation", default=None, allow_null=True, read_only=True,
        help_text="Số, ký hiệu văn bản trả lời đã ký số (xác thực tại /xac-thuc/)",
    )  # fmt: skip
    parent_case = serializers.CharField(
        source="parent.code", default=None, allow_null=True, read_only=True, help_text="Vụ việc cấp trên đã giao"
    )
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
            *("subject_unit", "about_head", "decision", "known_on", "late_reason", "accused", "follows"),
            *("instance", "parent_case", "skipped_level", "after_lower"),
            *("reported_official", "is_anonymous", "sender_name", "sender_address", "sender_phone", "sender_email"),
            *("handling_unit", "received_at", "accept_due_at", "accepted_at", "due_at", "closed_at", "verified"),
            *("conclusion", "answer_document", "rating", "actions"),
        ]

    @extend_schema_field(LifecycleOfferSerializer(many=True))
    def get_actions(self, case: FeedbackCase) -> list[dict[str, Any]]:
        offers = rules.offers(case, self.context["request"].user)
        return list(LifecycleOfferSerializer(offers, many=True).data)


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


class CaseInput(serializers.Serializer[None]):
    kind = serializers.ChoiceField(choices=list(KIND_LABELS), default=Kind.PAKN)
    topic = serializers.ChoiceField(
        choices=TOPIC_CHOICES, required=False, default="", allow_blank=True, help_text="Phân loại phản ánh"
    )
    subject_unit = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=40, help_text="Mã cơ quan, đơn vị bị phản ánh"
    )
    about_head = serializers.BooleanField(required=False, default=False, help_text="Về người đứng đầu, cấp phó")
    addressed_unit = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=40,
        help_text="Mã cơ quan người gửi gửi đến, nếu không gửi thẳng cơ quan có thẩm quyền (gửi cấp trên: vượt cấp)",
    )  # fmt: skip
    decision = serializers.CharField(required=False, allow_blank=True, default="", max_length=300)
    known_on = serializers.DateField(required=False, allow_null=True, default=None)
    late_reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)
    accused = serializers.CharField(required=False, allow_blank=True, default="", max_length=300)
    follows = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=40, help_text="Mã vụ việc có kết quả bị phản đối"
    )
    follows_secret = serializers.CharField(required=False, allow_blank=True, default="", max_length=64)
    dossier = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=40, help_text="Mã hồ sơ bị yêu cầu thêm giấy tờ"
    )
    secret = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=64, help_text="Mã bí mật trên giấy tiếp nhận"
    )
    phone = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=4, help_text="Hoặc 4 số cuối điện thoại người nộp"
    )
    paper_asked = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=300,
        help_text="Giấy tờ bị yêu cầu mà không có trong danh mục (với `dossier`)",
    )  # fmt: skip
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
    rating = serializers.ChoiceField(choices=RATING_CHOICES, required=False, default="", allow_blank=True)
    unit = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=40, help_text="forward, open-child: mã đơn vị nhận"
    )
    topic = serializers.ChoiceField(
        choices=TOPIC_CHOICES, required=False, default="", allow_blank=True, help_text="classify: phân loại mới"
    )
    secret = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=64, help_text="Người gửi: mã bí mật của vụ việc"
    )


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
        summary="Gửi phản ánh, kiến nghị, khiếu nại, tố cáo; với `dossier`: cán bộ yêu cầu giấy tờ ngoài danh mục",
        description="Khiếu nại, tố cáo cần tài khoản công dân đã đăng nhập (thay chữ ký trên đơn). Phản ánh về hồ sơ "
        "chứng minh bằng hồ sơ của tài khoản, hoặc mã bí mật, hoặc 4 số cuối điện thoại người nộp.",
        request={"application/json": CaseInput},
        responses={201: FeedbackSerializer, **problem_responses(404)},  # a dossier not proved: as if none
        parameters=[IDEMPOTENCY_KEY],
    )
    @idempotent
    def post(self, request: Request) -> Response:
        data = CaseInput(data=request.data)
        data.is_valid(raise_exception=True)
        typed = data.validated_data
        user = request.user if request.user.is_authenticated else None
        key = request.headers.get("Idempotency-Key", "").strip()[:40]
        try:
            if typed["dossier"]:
                case = self._report(request, typed, key)
                if case is None:
                    return problem(404, "not_found", "Không tìm thấy hồ sơ với mã và thông tin xác nhận đã nhập.")
            else:
                case = services.file_case(_intake(request, typed, key), citizen=user)
        except ValidationError as refused:  # keyed by the paths of this request's body
            errors = {INPUT_PATHS.get(key, key): messages for key, messages in refused.message_dict.items()}
            return problem(400, "invalid", "Phản ánh chưa hợp lệ; xem từng trường trong `errors`.", errors=errors)
        answer = dict(FeedbackSerializer(case, context={"request": request}).data)
        answer["tracking_secret"] = case.tracking_secret  # given once, to the sender: the reply channel
        return Response(answer, status=status.HTTP_201_CREATED)

    def _report(self, request: Request, typed: dict[str, Any], key: str) -> FeedbackCase | None:
        user: User = request.user  # type: ignore[assignment]
        dossier = selectors.dossier_for_report(user, typed["dossier"], secret=typed["secret"], phone=typed["phone"])
        if dossier is None:
            return None
        official = None
        if typed["official"]:
            found = User.objects.filter(username=typed["official"]).values_list("pk", flat=True).first()
            official = found if found is not None else 0  # an unknown name is refused by the service
        # Without an account, the Idempotency-Key still files a report once: kept per dossier, which only a caller
        # holding its receipt reaches.
        report = services.ExtraPaperReport(
            dossier, services.Sender(**typed["sender"]), typed["paper_asked"], typed["content"], official,
            submission_key=f"api:{dossier.pk}:{key}" if key else "",
        )  # fmt: skip
        return services.report_extra_paper(report, citizen=user if user.is_authenticated else None)


def _intake(request: Request, typed: dict[str, Any], key: str) -> services.Intake:
    """The intake of a case not about a dossier; an unknown unit or earlier case is refused by the service."""
    user: User = request.user  # type: ignore[assignment]
    signed_in = user.is_authenticated and user.is_citizen
    errors: dict[str, list[str]] = {}
    subject, addressed = (_unit(typed[field], field, errors) for field in ("subject_unit", "addressed_unit"))
    follows = None
    if typed["follows"]:
        follows = selectors.sent_by(user if signed_in else None, typed["follows"], typed["follows_secret"])
        if follows is None:
            errors["follows"] = ["Không tìm thấy vụ việc trước đó với mã và mã bí mật đã nhập."]
    if errors:
        raise ValidationError(errors)
    return services.Intake(
        Kind(typed["kind"]), services.Sender(**typed["sender"]), typed["content"], typed["topic"], subject,
        typed["about_head"], typed["decision"], typed["known_on"], typed["late_reason"], typed["accused"], follows,
        signed=signed_in, submission_key=_submission_key(user if signed_in else None, key, typed),
        addressed_unit=addressed,
    )  # fmt: skip


def _unit(code: str, field: str, errors: dict[str, list[str]]) -> Unit | None:
    """The unit a code names; an unknown code is said beside its field."""
    found = Unit.objects.filter(code=code).first() if code else None
    if code and found is None:
        errors[field] = ["Không có cơ quan, đơn vị với mã đã nhập."]
    return found


def _submission_key(user: User | None, key: str, typed: dict[str, Any]) -> str:
    """Per account when signed in; without one, per key and content, so that a stranger reusing a key never
    receives another sender's case (and its secret)."""
    if not key:
        return ""
    if user is not None:
        return f"api:{user.pk}:{key}"
    body = json.dumps(typed, sort_keys=True, default=str)
    return "api:anon:" + hashlib.sha256(f"{key}\n{body}".encode()).hexdigest()[:40]


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


class FeedbackTrackingSerializer(serializers.Serializer[FeedbackCase]):
    code = serializers.CharField()
    status = serializers.IntegerField()
    status_label = serializers.CharField()
    handling_unit = serializers.CharField(source="handling_unit.name")
    received_at = serializers.DateTimeField()
    due_at = serializers.DateTimeField()
    kind = serializers.CharField()
    accept_due_at = serializers.DateTimeField()
    closed_at = serializers.DateTimeField(allow_null=True)
    verified = serializers.BooleanField(allow_null=True)
    conclusion = serializers.CharField()
    rating = serializers.CharField()


class FeedbackActionView(APIView):
    """A handler's action on a case they handle; the sender's (rate, withdraw) with their account or the secret."""

    permission_classes = [AllowAny]
    throttle_scope = "tracking"  # a secret tried here is a secret guessed: tracking's limit

    def get_throttles(self) -> list[Any]:
        return [ScopedRateThrottle()] if self.kwargs.get("action") in SENDER_ACTIONS else []

    @extend_schema(
        summary="Thực hiện một thao tác trên phản ánh",
        description="Thao tác: " + ", ".join(f"{a} ({ACTION_LABELS[ACTIONS[a]]})" for a in sorted(ACTIONS)) + ". "
        "Người gửi (rate, withdraw) dùng tài khoản đã gửi hoặc `secret`.",
        request={"application/json": ActionInput},
        responses=PolymorphicProxySerializer(
            component_name="FeedbackActionAnswer",
            serializers=[FeedbackSerializer, FeedbackTrackingSerializer],
            resource_type_field_name=None,
        ),
        parameters=[IDEMPOTENCY_KEY, OpenApiParameter("action", str, OpenApiParameter.PATH, enum=sorted(ACTIONS))],
    )
    @idempotent
    def post(self, request: Request, code: str, action: str) -> Response:
        if action not in ACTIONS:
            return problem(404, "unknown_action", f"Không có thao tác «{action}».")
        data = ActionInput(data=request.data)
        data.is_valid(raise_exception=True)
        typed = dict(data.validated_data)
        secret = typed.pop("secret")
        user: User | None = request.user if request.user.is_authenticated else None
        as_sender = action in SENDER_ACTIONS
        if as_sender:
            case = selectors.sent_by(user, code, secret)
            if case is None:
                raise NotFoundError(f"Không tìm thấy phản ánh {code} với tài khoản hoặc mã bí mật đã nhập.")
        elif user is None:
            raise NotAuthenticated()
        else:
            case = readable(request, code)
        code_of_unit = typed.pop("unit")
        unit = Unit.objects.filter(code=code_of_unit).first() if code_of_unit else None
        services.act(case, ACTIONS[action], actor=user, as_sender=as_sender, unit=unit, **typed)
        if as_sender:
            return Response(FeedbackTrackingSerializer(case).data)
        return Response(FeedbackSerializer(case, context={"request": request}).data)


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


class PublicAnswerSerializer(serializers.ModelSerializer[PublicAnswer]):
    unit = serializers.CharField(source="unit.name", help_text="Đơn vị trả lời")

    class Meta:
        model = PublicAnswer
        fields = ["code", "unit", "topic", "question", "answer", "received_on", "published_at"]


class AnswersQuery(serializers.Serializer[None]):
    search = serializers.CharField(required=False, allow_blank=True, max_length=200, help_text="Có dấu hoặc không")


class NewestFirst(CursorPagination):
    """Pages of answers by a cursor, never counted: a count of every match costs more than the page itself."""

    page_size = 20
    ordering = ("-published_at", "-id")


class FeedbackAnswersView(GenericAPIView[PublicAnswer]):
    permission_classes = [AllowAny]
    serializer_class = PublicAnswerSerializer
    pagination_class = NewestFirst

    @extend_schema(
        summary="Kết quả trả lời phản ánh, kiến nghị đã công khai (không có thông tin cá nhân), mới nhất trước",
        parameters=[AnswersQuery],
        responses=PublicAnswerSerializer(many=True),
    )
    def get(self, request: Request) -> Response:
        query = AnswersQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        page = self.paginate_queryset(publication.answers(query.validated_data.get("search", "")))
        return self.get_paginated_response(PublicAnswerSerializer(page, many=True).data)
