"""POST /api/v1/national/dossiers: the national portal (DVCQG) hands over a dossier filed there, in its own shape."""

from typing import Any

from django.core.exceptions import ValidationError
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import serializers
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from motcua.integrations.national.inbound import receive_national
from motcua.organizations.selectors import is_national_channel

from .dossiers import DossierSerializer
from .problems import problem
from .schema import problem_responses


class IsNationalChannel(BasePermission):
    """Only the national portal's system account (role NATIONAL_CHANNEL) hands dossiers over."""

    def has_permission(self, request: Request, view: Any) -> bool:
        return is_national_channel(request.user)  # type: ignore[arg-type]


class NationalReceiptSerializer(DossierSerializer):
    national_code = serializers.CharField(source="national.national_code", help_text="MaHoSo trên Cổng DVCQG")

    class Meta(DossierSerializer.Meta):
        fields = ["national_code", *DossierSerializer.Meta.fields]


EXAMPLE = {
    "MaHoSo": "G22.99-260310-000123",
    "MaTTHC": "1.001193",
    "KenhThucHien": 2,
    "LoaiDoiTuong": 1,
    "ChuHoSo": "Nguyễn Văn An",
    "SoGiayToChuHoSo": "082090001234",
    "SoDienThoai": "0912345678",
    "Email": "an@example.vn",
    "DiaChi": "Số 12 đường Ấp Bắc, Phường Mỹ Tho",
    "NgayNopHoSo": "20260310090000",
    "NoiNopHoSo": "28261.TTPVHCC",
    "TaiLieuNop": [
        {
            "TepDinhKemId": "1",
            "TenTepDinhKem": "to-khai.pdf",
            "MaThanhPhanHoSo": "GT1",
            "DuongDanTaiTepTin": "https://dichvucong.gov.vn/tep/1",
        }
    ],
    "DanhSachLePhi": [],
}


class NationalDossierView(APIView):
    permission_classes = [IsAuthenticated, IsNationalChannel]
    open_to_national_channel = True  # the one write the channel's account may make (api.tokens)

    @extend_schema(
        operation_id="national_dossiers_create",
        summary="Nhận hồ sơ từ Cổng Dịch vụ công quốc gia (tài khoản kênh DVCQG)",
        description=(
            "Gói dữ liệu theo tên trường của DVCQG (MaHoSo, MaTTHC, KenhThucHien, LoaiDoiTuong, ChuHoSo, "
            "SoGiayToChuHoSo, SoDienThoai, Email, DiaChi, NgayNopHoSo, NoiNopHoSo, TruongHop, TaiLieuNop[], "
            "DanhSachLePhi[]). Tệp được tải từ DuongDanTaiTepTin (chỉ từ máy chủ được phép) và kiểm tra như tệp nộp "
            "trực tuyến trước khi tạo hồ sơ (trạng thái 1). Gửi lại cùng MaHoSo và cùng nội dung: 200 với hồ sơ đã "
            "tạo; cùng MaHoSo, nội dung khác: 409 `conflict`."
        ),
        request={"application/json": OpenApiTypes.OBJECT},
        examples=[OpenApiExample("Hồ sơ khai sinh", value=EXAMPLE, request_only=True)],
        responses={201: NationalReceiptSerializer, 200: NationalReceiptSerializer, **problem_responses(409)},
    )
    def post(self, request: Request) -> Response:
        try:
            received = receive_national(request.data, channel=request.user)  # type: ignore[arg-type]
        except ValidationError as error:
            return problem(
                400,
                "invalid",
                "Hồ sơ từ Cổng chưa hợp lệ nên chưa được tạo; xem lý do từng trường trong `errors`.",
                errors=error.message_dict,
            )
        body = NationalReceiptSerializer(received.dossier).data
        return Response(body, status=201 if received.created else 200)
