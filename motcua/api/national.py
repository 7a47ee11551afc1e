"""A dossier's DVCQG synchronisation record, for integrators and the officials who may see the dossier."""

from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from motcua.core.errors import NotFoundError, NotPermittedError
from motcua.dossiers.national import sync_record
from motcua.dossiers.selectors import get_dossier_for


class NationalRecordView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        summary="Bản ghi đồng bộ hồ sơ lên Cổng Dịch vụ công quốc gia",
        description="Tên trường theo gói đồng bộ DVCQG (MaHoSo, MaTTHC, TrangThaiHoSo, TaiLieuNop, …).",
        responses={200: OpenApiTypes.OBJECT},
    )
    def get(self, request: Request, code: str) -> Response:
        if request.user.is_citizen:  # type: ignore[union-attr]
            raise NotPermittedError("Bản ghi đồng bộ quốc gia chỉ dành cho cán bộ và hệ thống tích hợp.")
        dossier = get_dossier_for(request.user, code)  # type: ignore[arg-type]
        if dossier is None:
            raise NotFoundError(f"Không tìm thấy hồ sơ {code} trong phạm vi của bạn.")
        record: dict[str, Any] = sync_record(dossier)
        return Response(record)
