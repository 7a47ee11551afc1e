"""The payment platform's signed callback: server to server, proven by its signature, never by an account."""

from django.http.request import RawPostDataException
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from motcua.core.clientip import client_ip
from motcua.integrations.payment.services import apply_callback

from .schema import problem_responses


class PaymentCallbackView(APIView):
    permission_classes = [AllowAny]
    authentication_classes = []  # the signature is the proof; a token would prove nothing about the platform

    @extend_schema(
        summary="Thông báo kết quả thanh toán từ nền tảng thanh toán (có ký)",
        description=(
            "Nền tảng thanh toán gọi sau khi người nộp thanh toán hoặc hủy. Chữ ký HMAC (mặc định SHA-256) trên các "
            "trường được cấu hình; tên trường, thuật toán chưa được công bố [R] (docs/integrations.md). Chữ ký sai "
            "→ 403 `payment_signature_invalid`; đơn không có → 404 `payment_order_unknown`; sai số tiền → 422 "
            "`payment_amount_mismatch`; đơn đã xác nhận → 409 `payment_replayed`. Không thay đổi gì khi bị từ chối."
        ),
        request=OpenApiTypes.OBJECT,
        responses={
            200: inline_serializer(
                "PaymentCallbackAccepted",
                {"reference": serializers.CharField(), "status": serializers.CharField()},
            ),
            **problem_responses(403, 404, 409, 422),
        },
    )
    def post(self, request: Request) -> Response:
        try:
            body = request._request.body
        except RawPostDataException:  # a multipart body, already parsed as a form: no message of the platform
            body = b""
        order = apply_callback(body, client_ip(request._request))
        return Response({"reference": order.reference, "status": order.status})
