"""POST /api/v1/auth/token: a token for integrations, in exchange for a username (or phone, email) and password."""

from django.contrib.auth import authenticate
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.authtoken.models import Token
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from .problems import problem


class CredentialsSerializer(serializers.Serializer[None]):
    username = serializers.CharField(help_text="Tên đăng nhập, số điện thoại hoặc email.")
    password = serializers.CharField(style={"input_type": "password"}, trim_whitespace=False)


class ObtainTokenView(APIView):
    permission_classes = [AllowAny]
    authentication_classes = []

    @extend_schema(
        summary="Lấy token truy cập",
        request=CredentialsSerializer,
        responses={200: inline_serializer("Token", {"token": serializers.CharField()})},
    )
    def post(self, request: Request) -> Response:
        credentials = CredentialsSerializer(data=request.data)
        credentials.is_valid(raise_exception=True)
        user = authenticate(request._request, **credentials.validated_data)
        if user is None:
            return problem(
                400, "invalid_credentials", "Tên đăng nhập hoặc mật khẩu không đúng, hoặc tài khoản đã bị khóa."
            )
        token, _ = Token.objects.get_or_create(user=user)
        return Response({"token": token.key})
