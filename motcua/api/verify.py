"""Public verification of signed documents over HTTP: by the id in the QR code, or by uploading the PDF."""

from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.parsers import MultiPartParser
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from motcua.api.throttling import ScopedRateThrottle
from motcua.core.errors import NotFoundError
from motcua.signing.models import SignedDocument
from motcua.signing.selectors import get_signed_document
from motcua.signing.services import Verification, verify_record, verify_upload

from .idempotency import IDEMPOTENCY_KEY, idempotent


class EntrySerializer(serializers.Serializer[None]):
    mode = serializers.CharField(help_text="head, kt, q, tl, tuq")
    title = serializers.CharField()
    decision_number = serializers.CharField()
    decision_date = serializers.DateField()
    valid_from = serializers.DateField()
    valid_to = serializers.DateField(allow_null=True)


class SignedDocumentSerializer(serializers.ModelSerializer[SignedDocument]):
    id = serializers.UUIDField(source="public_id")
    document_type = serializers.CharField(source="document_type.name")
    issuing_body = serializers.CharField(source="body.unit.name")
    signer = serializers.CharField(source="official.__str__")
    entry = EntrySerializer()
    verification_url = serializers.CharField()
    superseded_by = serializers.SerializerMethodField(help_text="Văn bản đính chính thay thế văn bản này (mã, số)")
    supersedes = serializers.UUIDField(source="supersedes.public_id", allow_null=True, default=None)
    correction = serializers.CharField(help_text="Lý do đính chính, khi văn bản này thay thế văn bản khác")

    class Meta:
        model = SignedDocument
        fields = [
            "id", "notation", "document_type", "summary", "issuing_body", "issued_on", "signer", "block", "entry",
            "signed_at", "certificate_subject", "sha256", "verification_url", "superseded_by", "supersedes",
            "correction",
        ]  # fmt: skip

    @extend_schema_field(
        {"type": "object", "nullable": True, "properties": {"id": {"type": "string"}, "notation": {"type": "string"}}}
    )
    def get_superseded_by(self, document: SignedDocument) -> dict[str, str] | None:
        successor = document.successor()
        return None if successor is None else {"id": str(successor.public_id), "notation": successor.notation}


class VerificationSerializer(serializers.Serializer[Verification]):
    valid = serializers.BooleanField(source="is_valid", help_text="Chữ ký hợp lệ và tệp nguyên vẹn")
    reason = serializers.CharField()
    sha256 = serializers.CharField(help_text="Mã băm SHA-256 của tệp đã kiểm tra")
    matches_record = serializers.BooleanField(help_text="Tệp trùng khớp với văn bản hệ thống đã ban hành")
    timestamped_at = serializers.DateTimeField(allow_null=True, help_text="Dấu thời gian RFC 3161, nếu có")
    document = SignedDocumentSerializer(allow_null=True)


class UploadSerializer(serializers.Serializer[None]):
    file = serializers.FileField(help_text="Văn bản điện tử (PDF) cần kiểm tra")


class PublicVerification(APIView):
    permission_classes = [AllowAny]
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "verify"


class VerifyDocumentView(PublicVerification):
    @extend_schema(summary="Xác thực văn bản đã ký số theo mã trong QR (công khai)", responses=VerificationSerializer)
    def get(self, request: Request, public_id: str) -> Response:
        document = get_signed_document(public_id)
        if document is None:
            raise NotFoundError("Không có văn bản với mã xác thực này.")
        return Response(VerificationSerializer(verify_record(document)).data)


class VerifyUploadView(PublicVerification):
    parser_classes = [MultiPartParser]

    @extend_schema(
        summary="Kiểm tra một tệp PDF tải lên: chữ ký số và đối chiếu với văn bản đã ban hành (công khai)",
        request=UploadSerializer,
        responses=VerificationSerializer,
        parameters=[IDEMPOTENCY_KEY],
    )
    @idempotent
    def post(self, request: Request) -> Response:
        data = UploadSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        upload = data.validated_data["file"]
        return Response(VerificationSerializer(verify_upload(upload.read())).data)
