"""POST /api/v1/auth/token: a token for integrations, in exchange for a username (or phone, email) and password."""

from django.conf import settings
from django.contrib.auth import authenticate
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from motcua.audit.models import Kind as AuditKind
from motcua.audit.services import record as audit
from motcua.core.clientip import client_ip
from motcua.organizations import second_factor, signin

from .problems import problem
from .schema import problem_responses
from .token_schema import ExpiringTokenScheme  # noqa: F401  # registers the scheme with drf-spectacular
from .tokens import ExpiringTokenAuthentication, issue_token


class CredentialsSerializer(serializers.Serializer[None]):
    username = serializers.CharField(help_text="Tên đăng nhập, số điện thoại hoặc email.")
    password = serializers.CharField(style={"input_type": "password"}, trim_whitespace=False)
    otp = serializers.CharField(
        required=False,
        max_length=10,
        help_text="Mã xác thực 6 chữ số trong ứng dụng xác thực: bắt buộc với tài khoản cán bộ và tài khoản đã bật "
        "xác thực hai bước.",
    )


class ObtainTokenView(APIView):
    permission_classes = [AllowAny]
    authentication_classes = []

    @extend_schema(
        summary="Lấy token truy cập",
        request=CredentialsSerializer,
        responses={
            200: inline_serializer(
                "Token",
                {
                    "token": serializers.CharField(help_text="Gửi kèm mỗi yêu cầu: `Authorization: Token <token>`."),
                    "expiry": serializers.DateTimeField(help_text="Thời điểm token hết hạn."),
                },
            ),
            # 403: an official without an authenticator app set up; 429: locked out after too many failures.
            **problem_responses(403, 429),
        },
    )
    def post(self, request: Request) -> Response:
        credentials = CredentialsSerializer(data=request.data)
        credentials.is_valid(raise_exception=True)
        data = credentials.validated_data
        user = authenticate(request._request, username=data["username"], password=data["password"])
        if getattr(request._request, "axes_locked_out", False):
            return _locked_out()
        if user is None:
            return problem(
                400, "invalid_credentials", "Tên đăng nhập hoặc mật khẩu không đúng, hoặc tài khoản đã bị khóa."
            )
        if second_factor.is_required(user):
            device = second_factor.confirmed_device(user)
            if device is None:
                return problem(
                    403,
                    "second_factor_setup_required",
                    "Tài khoản cần xác thực hai bước: hãy đăng nhập trên trang web một lần để cài đặt "
                    "ứng dụng xác thực.",
                )
            if not second_factor.code_is_valid(device, data.get("otp", "")):
                if signin.count_failed_step(request._request, data["username"]):
                    return _locked_out()
                return problem(
                    400,
                    "invalid_otp",
                    "Mã xác thực (otp) thiếu, không đúng hoặc đã hết hạn.",
                    errors={"otp": ["Nhập mã 6 chữ số đang hiện trong ứng dụng xác thực."]},
                )
        token, secret = issue_token(user)
        # No session login here, so no user_logged_in signal: the sign-in is audited explicitly.
        where = client_ip(request._request)
        audit(AuditKind.SIGN_IN, actor=user, client_address=where, details={"path": request.path})
        return Response({"token": secret, "expiry": serializers.DateTimeField().to_representation(token.expiry)})


def _locked_out() -> Response:
    """Answer a locked-out client with the lockout as a problem; the cool-off is in Retry-After."""
    response = problem(429, "locked_out", signin.lockout_message())
    response["Retry-After"] = str(settings.MOTCUA_LOGIN_COOLOFF_MINUTES * 60)
    return response


class LogoutView(APIView):
    """POST /api/v1/auth/logout: revoke the token this request carries; the person's other tokens stay."""

    authentication_classes = [ExpiringTokenAuthentication]
    permission_classes = [IsAuthenticated]
    open_to_national_channel = True  # its account may give its token up too

    @extend_schema(
        summary="Thu hồi token đang dùng (đăng xuất)",
        description="Token gửi kèm yêu cầu này không dùng được nữa; các token khác của tài khoản vẫn còn hiệu lực.",
        request=None,
        responses={204: None},
    )
    def post(self, request: Request) -> Response:
        request.auth.delete()  # the token itself: only token authentication is accepted here
        where = client_ip(request._request)
        audit(AuditKind.SIGN_OUT, actor=request.user, client_address=where, details={"path": request.path})
        return Response(status=status.HTTP_204_NO_CONTENT)
