"""GET /api/v1/procedures, GET /api/v1/procedures/{code}, POST /api/v1/procedures/import (admin)."""

from datetime import date
from typing import Any

from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.generics import GenericAPIView
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from motcua.catalogue.models import ProcedureVersion
from motcua.catalogue.records import RecordsRejected
from motcua.catalogue.selectors import get_version_on, search_procedures
from motcua.eforms.exchange import import_with_forms

from .idempotency import IDEMPOTENCY_KEY, idempotent
from .permissions import ReadAnyoneWriteAdmin
from .problems import problem


class ProcedureSerializer(serializers.ModelSerializer[ProcedureVersion]):
    code = serializers.CharField(source="procedure.code")
    version = serializers.IntegerField(source="number")
    levels = serializers.ListField(child=serializers.IntegerField(), help_text="0 bộ, 1 tỉnh, 3 xã")

    class Meta:
        model = ProcedureVersion
        fields = [
            "code",
            "name",
            "version",
            "effective_from",
            "effective_to",
            "levels",
            "online_level",
            "is_cross_boundary",
        ]


class ProcedureDetailSerializer(ProcedureSerializer):
    record = serializers.JSONField(help_text="Bản ghi theo định dạng CSDL quốc gia về TTHC (MATTHC, TENTTHC, …).")

    class Meta(ProcedureSerializer.Meta):
        fields = [*ProcedureSerializer.Meta.fields, "record"]


class ProcedureQuery(serializers.Serializer[None]):
    search = serializers.CharField(required=False, allow_blank=True, help_text="Không phân biệt dấu, i/y, lỗi gõ nhỏ.")
    level = serializers.ChoiceField(choices=[0, 1, 3], required=False, help_text="0 bộ, 1 tỉnh, 3 xã")
    field = serializers.CharField(required=False, help_text="Mã lĩnh vực")
    agency = serializers.CharField(required=False, help_text="Mã đơn vị có thẩm quyền hoặc loại đơn vị")
    online = serializers.BooleanField(required=False, allow_null=True, default=None)
    on = serializers.DateField(required=False, help_text="Ngày (YYYY-MM-DD): thủ tục có hiệu lực ngày đó.")


class ProcedureListView(GenericAPIView[ProcedureVersion]):
    permission_classes = [AllowAny]
    serializer_class = ProcedureSerializer

    @extend_schema(
        operation_id="procedures_list",
        summary="Tìm thủ tục hành chính đang có hiệu lực",
        parameters=[ProcedureQuery],
        responses=ProcedureSerializer(many=True),
    )
    def get(self, request: Request) -> Response:
        query = ProcedureQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        params: dict[str, Any] = query.validated_data
        found = search_procedures(
            params.get("search", ""),
            level=params.get("level"),
            field=params.get("field", ""),
            agency=params.get("agency", ""),
            online=params.get("online"),
            on=params.get("on"),
        )
        page = self.paginate_queryset(found)
        ids = [hit.pk for hit in page or []]
        full = {v.pk: v for v in ProcedureVersion.objects.filter(pk__in=ids).select_related("procedure")}
        return self.get_paginated_response(ProcedureSerializer([full[i] for i in ids], many=True).data)


class OnQuery(serializers.Serializer[None]):
    on = serializers.DateField(required=False, help_text="Ngày (YYYY-MM-DD); mặc định hôm nay.")


class ProcedureDetailView(APIView):
    permission_classes = [AllowAny]

    @extend_schema(
        summary="Thủ tục (phiên bản có hiệu lực)", parameters=[OnQuery], responses=ProcedureDetailSerializer
    )
    def get(self, request: Request, code: str) -> Response:
        query = OnQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        on: date | None = query.validated_data.get("on")
        version = get_version_on(code, on)
        if version is None:
            when = f" vào ngày {on:%d/%m/%Y}" if on else ""
            return problem(404, "not_found", f"Không có thủ tục mã {code} có hiệu lực{when}.")
        return Response(ProcedureDetailSerializer(version).data)


class ProcedureImportView(APIView):
    permission_classes = [ReadAnyoneWriteAdmin]

    @extend_schema(
        summary="Nhập danh mục (quản trị hệ thống): tất cả hoặc không gì cả",
        request={  # a list of records: JSON only
            "application/json": inline_serializer(
                "CatalogueDocument", {"procedures": serializers.ListField(child=serializers.DictField())}
            )
        },
        responses={
            201: inline_serializer(
                "ImportReport", {"created": serializers.ListField(), "unchanged": serializers.ListField()}
            )
        },
        parameters=[IDEMPOTENCY_KEY],
    )
    @idempotent
    def post(self, request: Request) -> Response:
        try:
            # A record may carry its e-forms in MOTCUA.BIEUMAU: they are published in the same all-or-nothing import.
            report = import_with_forms(request.data, actor=request.user).catalogue  # type: ignore[arg-type]
        except RecordsRejected as rejected:
            errors = [{"record": p.record, "field": p.path, "message": p.message} for p in rejected.problems]
            return problem(400, rejected.code, rejected.message, errors=errors)
        return Response({"created": report.created, "unchanged": report.unchanged}, status=status.HTTP_201_CREATED)
