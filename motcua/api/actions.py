"""Dossier actions over HTTP: one input serializer per action, and what the caller may do now in every answer."""

from typing import Any

from drf_spectacular.utils import OpenApiParameter, PolymorphicProxySerializer, extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from motcua.catalogue.selectors import case_terms
from motcua.core.errors import DomainError
from motcua.dossiers import rules, services
from motcua.dossiers.lifecycle import Action
from motcua.dossiers.models import RATING_CHOICES, Dossier
from motcua.dossiers.processing import Rating
from motcua.organizations.models import User, UserKind

from .dossiers import DossierSerializer, visible
from .idempotency import IDEMPOTENCY_KEY, idempotent
from .problems import problem


class OfferSerializer(serializers.Serializer[rules.Offer]):
    action = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]  # the JSON key integrators read
    allowed = serializers.BooleanField()
    reason = serializers.CharField(source="refusal", help_text="Vì sao chưa thực hiện được; rỗng khi được phép")
    form = serializers.CharField(help_text="Biểu mẫu TT 03/2025 được ban hành cùng thao tác, nếu có")


class DossierWithActionsSerializer(DossierSerializer):
    actions = serializers.SerializerMethodField(help_text="Các thao tác của trạng thái hiện tại đối với người gọi")

    class Meta(DossierSerializer.Meta):
        fields = [*DossierSerializer.Meta.fields, "actions"]

    @extend_schema_field(OfferSerializer(many=True))
    def get_actions(self, dossier: Dossier) -> list[dict[str, Any]]:
        offers = rules.available_actions(dossier, self.context["request"].user)
        return list(OfferSerializer(offers, many=True).data)  # type: ignore[arg-type]


def answer(request: Request, dossier: Dossier) -> Response:
    """Answer with one dossier and what the caller may do to it now."""
    return Response(DossierWithActionsSerializer(dossier, context={"request": request}).data)


class DossierDetailView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        summary="Một hồ sơ, kèm các thao tác người gọi được làm lúc này", responses=DossierWithActionsSerializer
    )
    def get(self, request: Request, code: str) -> Response:
        return answer(request, visible(request, code))


class NoInput(serializers.Serializer[None]):
    pass


class ReasonInput(serializers.Serializer[None]):
    reason = serializers.CharField(help_text="Lý do (bắt buộc)")


class RefuseInput(ReasonInput):
    kind = serializers.ChoiceField(
        choices=services.REFUSAL_KIND_CHOICES,
        required=False,
        help_text="Lý do từ chối (Mẫu số 03): not_eligible không đủ điều kiện, not_competent không thuộc thẩm quyền",
    )
    guidance = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        max_length=500,
        help_text="Hướng dẫn nơi nộp đúng thẩm quyền (Mẫu số 03); bắt buộc khi kind là not_competent",
    )


class SupplementItemInput(serializers.Serializer[None]):
    component = serializers.CharField(help_text="Mã giấy tờ (MAGIAYTO) trong trường hợp của hồ sơ")
    reason = serializers.CharField()


class SupplementInput(ReasonInput):
    supplements = SupplementItemInput(many=True, help_text="Mỗi giấy tờ cần bổ sung một lần, kèm lý do (Mẫu số 02)")


class AssignInput(serializers.Serializer[None]):
    assignee = serializers.CharField(help_text="Tên đăng nhập của người được phân công")


class HandOverInput(serializers.Serializer[None]):
    assignee = serializers.CharField(required=False, help_text="Người xử lý bước tiếp theo (tên đăng nhập), nếu chọn")


class ExtendInput(ReasonInput):
    new_due_at = serializers.DateTimeField(help_text="Ngày giờ hẹn trả mới (Mẫu số 04)")
    signer = serializers.CharField(
        required=False,
        max_length=150,
        help_text="Người ký văn bản xin lỗi (tên đăng nhập): lãnh đạo của đơn vị làm chậm hồ sơ; mặc định người gọi",
    )


class StopInput(ReasonInput):
    request = serializers.CharField(
        max_length=1000, help_text="Đề nghị dẫn đến việc dừng giải quyết: ai đề nghị, bằng văn bản nào (Mẫu số 05)"
    )
    requested_on = serializers.DateField(
        input_formats=["iso-8601", "%d/%m/%Y"], help_text="Ngày đề nghị (YYYY-MM-DD hoặc dd/mm/yyyy)"
    )
    refund = serializers.IntegerField(
        required=False,
        allow_null=True,
        min_value=0,
        help_text="Số tiền hoàn trả (đồng) trên phí, lệ phí đã nộp; bắt buộc khi người nộp đã nộp phí",
    )
    settlement = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        max_length=1000,
        help_text="Cách xử lý phí, lệ phí, nghĩa vụ tài chính đã nộp: hoàn trả ở đâu, bằng cách nào, hay vì sao không",
    )


class CorrectFormInput(ReasonInput):
    path = serializers.CharField(
        help_text="Đường dẫn thông tin trong tờ khai, ví dụ tre.ho_ten hoặc me.nguoi.ngay_sinh"
    )
    value = serializers.CharField(help_text="Giá trị đúng, nhập như trên tờ khai (ngày dạng dd/mm/yyyy)")


class ReturnInput(serializers.Serializer[None]):
    return_channel = serializers.ChoiceField(choices=list(services.RETURN_CHANNELS), help_text="Hình thức trả")


class RateInput(serializers.Serializer[None]):
    convenience = serializers.ChoiceField(choices=RATING_CHOICES, required=False, help_text="Mức độ thuận tiện")
    overall = serializers.ChoiceField(choices=RATING_CHOICES, help_text="Đánh giá tổng thể")
    comment = serializers.CharField(required=False, allow_blank=True, default="")


class SignInput(serializers.Serializer[None]):
    passphrase = serializers.CharField(
        required=False, allow_blank=True, default="", help_text="Mã PIN hoặc mật khẩu khóa ký, khi thiết bị ký yêu cầu"
    )


INPUTS: dict[Action, type[serializers.Serializer[None]]] = {
    Action.ACCEPT: NoInput,
    Action.REFUSE: RefuseInput,
    Action.START: NoInput,
    Action.REQUEST_SUPPLEMENT: SupplementInput,
    Action.SUBMIT_SUPPLEMENT: NoInput,
    Action.WITHDRAW: ReasonInput,
    Action.CLAIM: NoInput,
    Action.ASSIGN: AssignInput,
    Action.COMPLETE_STEP: HandOverInput,
    Action.TRANSFER: HandOverInput,
    Action.RETURN_STEP: ReasonInput,
    Action.REQUEST_PAYMENT: ReasonInput,
    Action.CONFIRM_PAYMENT: NoInput,
    Action.EXTEND: ExtendInput,
    Action.STOP: StopInput,
    Action.COMPLETE: NoInput,
    Action.SIGN_RESULT: SignInput,
    Action.CORRECT_FORM: CorrectFormInput,
    Action.RETURN_RESULT: ReturnInput,
    Action.RATE: RateInput,
}
# Attaching a result is a file upload: POST /api/v1/dossiers/{code}/results.
ACTIONS = {action.value: action for action in INPUTS}


def _staff(username: str, field: str = "assignee") -> User:
    person = User.objects.filter(username=username, kind=UserKind.STAFF).first()
    if person is None:
        raise DomainError(f"Không có cán bộ có tên đăng nhập «{username}».", field=field)
    return person


def _stop(data: dict[str, Any]) -> services.StopRequest | None:
    if "request" not in data:
        return None
    return services.StopRequest(data["request"], data["requested_on"], data.get("refund"), data["settlement"])


def _inputs(data: dict[str, Any]) -> services.Inputs:
    evaluation = None
    if "overall" in data:
        overall = Rating(data["overall"])
        evaluation = services.Evaluation(Rating(data.get("convenience", overall)), overall, data["comment"])
    refusal = {key: data[key].strip() for key in ("kind", "guidance") if data.get(key, "").strip()}
    return services.Inputs(
        correction=(data["path"], data["value"]) if "path" in data else None,
        assignee=_staff(data["assignee"]) if data.get("assignee") else None,
        new_due_at=data.get("new_due_at"),
        signer=_staff(data["signer"], "signer") if data.get("signer") else None,
        stop=_stop(data),
        return_channel=data.get("return_channel", ""),
        evaluation=evaluation,
        passphrase=data.get("passphrase", ""),
        extra=refusal,
    )


class DossierActionView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        summary="Thực hiện một thao tác trên hồ sơ",
        description="Thao tác: "
        + ", ".join(sorted(ACTIONS))
        + ". Mỗi thao tác là một sự kiện của hồ sơ; nội dung gửi theo thao tác (xem từng lược đồ). Câu trả lời kèm "
        "danh sách `actions`: những gì người gọi được làm tiếp, và lý do của thao tác chưa được phép.",
        request={  # the supplements are a list of objects: JSON only
            "application/json": PolymorphicProxySerializer(
                component_name="DossierActionInput",
                serializers=sorted(set(INPUTS.values()), key=lambda kind: kind.__name__),  # type: ignore[union-attr]
                resource_type_field_name=None,
            )
        },
        responses=DossierWithActionsSerializer,
        parameters=[IDEMPOTENCY_KEY, OpenApiParameter("action", str, OpenApiParameter.PATH, enum=sorted(ACTIONS))],
    )
    @idempotent
    def post(self, request: Request, code: str, action: str) -> Response:
        dossier = visible(request, code)
        if action not in ACTIONS:
            return problem(404, "unknown_action", f"Không có thao tác «{action}».")
        chosen = ACTIONS[action]
        data = INPUTS[chosen](data=request.data)
        data.is_valid(raise_exception=True)
        components = {c.code: c.pk for c in case_terms(dossier.version_id, dossier.case_id).components}
        supplements = tuple(
            services.SupplementRequest(components.get(item["component"], 0), item["reason"])
            for item in data.validated_data.get("supplements", [])
        )
        outcome = services.perform(
            dossier,
            chosen,
            actor=request.user,  # type: ignore[arg-type]
            reason=data.validated_data.get("reason", ""),
            supplements=supplements,
            inputs=_inputs(data.validated_data),
        )
        return answer(request, outcome.dossier)
