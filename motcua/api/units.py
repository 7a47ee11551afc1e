"""GET/POST /api/v1/units and GET/PATCH /api/v1/units/{code}."""

from typing import Any

from django.db.models import Prefetch, QuerySet
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from motcua.organizations import services
from motcua.organizations.models import AgencyIdentifier, Unit, UnitType
from motcua.organizations.selectors import list_units

from .idempotency import IDEMPOTENCY_KEY, idempotent
from .permissions import ReadAnyoneWriteAdmin


class AgencyIdentifierSerializer(serializers.ModelSerializer[AgencyIdentifier]):
    class Meta:
        model = AgencyIdentifier
        fields = ["code", "valid_from", "valid_to", "legal_basis"]


class UnitSerializer(serializers.ModelSerializer[Unit]):
    """Đơn vị hành chính hoặc cơ quan, với mã định danh điện tử đang có hiệu lực."""

    type_display = serializers.SerializerMethodField()
    parent = serializers.CharField(source="parent_code", allow_null=True, read_only=True)  # type: ignore[assignment]
    agency_identifier = serializers.CharField(source="current_identifier", allow_null=True, read_only=True)

    class Meta:
        model = Unit
        fields = [
            "code", "name", "short_name", "type", "type_display", "parent", "province_code",
            "valid_from", "valid_to", "agency_identifier",
        ]  # fmt: skip

    def get_type_display(self, unit: Unit) -> str:
        # Straight from the enum: Django's get_FOO_display() translates every choice on every row.
        return str(UnitType(unit.type).label)


class UnitDetailSerializer(UnitSerializer):
    agency_identifiers = AgencyIdentifierSerializer(many=True, read_only=True)
    successors = serializers.SerializerMethodField()
    predecessors = serializers.SerializerMethodField()

    class Meta(UnitSerializer.Meta):
        fields = [*UnitSerializer.Meta.fields, "agency_identifiers", "successors", "predecessors"]

    def get_successors(self, unit: Unit) -> list[str]:
        return [s.successor.code for s in unit.successions.select_related("successor")]

    def get_predecessors(self, unit: Unit) -> list[str]:
        return [p.predecessor.code for p in unit.predecessions.select_related("predecessor")]


class UnitCreateSerializer(serializers.Serializer[Unit]):
    code = serializers.RegexField(
        r"^[0-9A-Za-z._-]{2,32}$", error_messages={"invalid": "Mã đơn vị chỉ gồm chữ, số, dấu chấm, gạch."}
    )
    name = serializers.CharField(max_length=255)
    short_name = serializers.CharField(max_length=255, required=False, allow_blank=True)
    type = serializers.ChoiceField(choices=UnitType.choices)
    # Required, so that leaving it out is a mistake reported on the field; null states a unit with no parent.
    parent = serializers.SlugRelatedField(  # type: ignore[assignment]
        slug_field="code",
        queryset=Unit.objects.all(),
        allow_null=True,
        help_text="Mã đơn vị cấp trên; null cho đơn vị không có cấp trên (tỉnh).",
    )
    valid_from = serializers.DateField(required=False, allow_null=True)
    valid_to = serializers.DateField(required=False, allow_null=True)


class UnitUpdateSerializer(serializers.Serializer[Unit]):
    name = serializers.CharField(max_length=255, required=False)
    short_name = serializers.CharField(max_length=255, required=False, allow_blank=True)
    parent = serializers.SlugRelatedField(  # type: ignore[assignment]
        slug_field="code", queryset=Unit.objects.all(), required=False, allow_null=True
    )
    valid_from = serializers.DateField(required=False, allow_null=True)
    valid_to = serializers.DateField(required=False, allow_null=True)


@extend_schema_view(
    list=extend_schema(
        summary="Danh sách đơn vị",
        parameters=[
            OpenApiParameter(
                "search", str, description="Tìm theo tên, không phân biệt dấu: 'sa dec' → 'Phường Sa Đéc'."
            ),
            OpenApiParameter(
                "type", str, description="Loại đơn vị (có thể nhiều, phân cách bằng dấu phẩy).", enum=UnitType.values
            ),
            OpenApiParameter("parent", str, description="Mã đơn vị cấp trên, ví dụ 82."),
        ],
    ),
    retrieve=extend_schema(summary="Chi tiết đơn vị, mã định danh và đơn vị kế thừa", responses=UnitDetailSerializer),
    create=extend_schema(
        summary="Thêm đơn vị (quản trị hệ thống)",
        request=UnitCreateSerializer,
        responses={201: UnitDetailSerializer},
        parameters=[IDEMPOTENCY_KEY],
    ),
    partial_update=extend_schema(
        summary="Sửa đơn vị (quản trị hệ thống)", request=UnitUpdateSerializer, responses=UnitDetailSerializer
    ),
)
class UnitViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet[Unit],
):
    permission_classes = [ReadAnyoneWriteAdmin]
    lookup_field = "code"
    lookup_value_regex = r"[0-9A-Za-z._-]+"
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self) -> QuerySet[Unit]:
        params = self.request.query_params
        units = list_units(
            search=params.get("search", ""), type=params.get("type", ""), parent=params.get("parent", "")
        )
        if self.action == "list":
            return units
        return units.prefetch_related(Prefetch("agency_identifiers", AgencyIdentifier.objects.order_by("-valid_from")))

    def get_serializer_class(self) -> type[serializers.BaseSerializer[Unit]]:
        return UnitSerializer if self.action == "list" else UnitDetailSerializer

    @idempotent
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = UnitCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        unit = services.create_unit(**data.validated_data)
        return Response(UnitDetailSerializer(self._annotated(unit)).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = UnitUpdateSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        unit = services.update_unit(self.get_object(), **data.validated_data)
        return Response(UnitDetailSerializer(self._annotated(unit)).data)

    def _annotated(self, unit: Unit) -> Unit:
        return list_units().get(pk=unit.pk)
