"""Official documents over HTTP (ND 30/2020/NĐ-CP): the incoming and outgoing registers of the caller's bodies and
their actions. Every rule is the eoffice app's; answers carry what the caller may do now (`actions`)."""

import base64
import binascii
from typing import Any

from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from motcua.core.errors import DomainError, NotFoundError, NotPermittedError
from motcua.eoffice import incoming, outgoing, rules, selectors
from motcua.eoffice.lifecycle import Action
from motcua.eoffice.models import IncomingDocument, OutgoingDocument
from motcua.organizations.models import Unit, User

from .offers import LifecycleOfferSerializer
from .problems import problem
from .schema import problem_responses

INCOMING_ACTIONS = {"present": Action.PRESENT, "assign": Action.ASSIGN}
OUTGOING_ACTIONS = {
    a.value: a
    for a in (
        Action.EDIT,
        Action.COMMENT,
        Action.SUBMIT,
        Action.REVIEW,
        Action.APPROVE,
        Action.RETURN,
        Action.SIGN,
        Action.ISSUE,
    )
}
PAGE = 100


def _offers(serializer: serializers.Serializer[Any], document: Any) -> list[dict[str, Any]]:
    offers = rules.available_actions(document, serializer.context["request"].user)
    return list(LifecycleOfferSerializer(offers, many=True).data)


class IncomingSerializer(serializers.ModelSerializer[IncomingDocument]):
    status_label = serializers.CharField(read_only=True)
    urgency = serializers.CharField(help_text="thuong | khan | thuong_khan | hoa_toc")
    unit = serializers.CharField(source="unit.code", help_text="Mã cơ quan nhận")
    document_type = serializers.CharField(source="document_type.code")
    assignee = serializers.CharField(source="assignee.username", default=None, allow_null=True)
    directive = serializers.IntegerField(source="directive_id", allow_null=True, help_text="Chỉ đạo tạo ra khi giao")
    files = serializers.SerializerMethodField()
    actions = serializers.SerializerMethodField()

    class Meta:
        model = IncomingDocument
        fields = [
            *("id", "unit", "year", "number", "channel", "sender", "sender_notation", "sender_date", "document_type"),
            *("summary", "urgency", "pages", "integrity", "integrity_reason", "status", "status_label"),
            *("registered_at", "receipt_confirmed_at", "copies_received", "presentation_due_at", "presented_at"),
            *("assignee", "instruction", "deadline", "directive", "files", "actions"),
        ]

    @extend_schema_field(serializers.ListField(child=serializers.DictField()))
    def get_files(self, document: IncomingDocument) -> list[dict[str, Any]]:
        return [
            {"name": f.name, "size": f.size, "sha256": f.sha256, "signature_valid": f.signature_valid}
            for f in document.files.all()
        ]

    @extend_schema_field(LifecycleOfferSerializer(many=True))
    def get_actions(self, document: IncomingDocument) -> list[dict[str, Any]]:
        return _offers(self, document)


class OutgoingSerializer(serializers.ModelSerializer[OutgoingDocument]):
    status_label = serializers.CharField(read_only=True)
    urgency = serializers.CharField(help_text="thuong | khan | thuong_khan | hoa_toc")
    unit = serializers.CharField(source="unit.code", help_text="Mã cơ quan ban hành")
    document_type = serializers.CharField(source="document_type.code")
    drafter = serializers.CharField(source="drafter.username")
    actions = serializers.SerializerMethodField()

    class Meta:
        model = OutgoingDocument
        fields = [
            *("id", "unit", "drafter", "document_type", "summary", "body", "recipients", "urgency", "status"),
            *("status_label", "version", "notation", "issued_at", "original", "relation", "marked", "marked_by"),
            *("reply_to", "actions"),
        ]

    @extend_schema_field(LifecycleOfferSerializer(many=True))
    def get_actions(self, document: OutgoingDocument) -> list[dict[str, Any]]:
        return _offers(self, document)


class FileInput(serializers.Serializer[None]):
    name = serializers.CharField(max_length=255)
    content = serializers.CharField(help_text="Nội dung tệp, mã hóa base64")


class IncomingInput(serializers.Serializer[None]):
    unit = serializers.CharField(max_length=40, help_text="Mã cơ quan nhận")
    channel = serializers.CharField(max_length=16, help_text="email | paper | upload")
    sender = serializers.CharField(allow_blank=True)
    sender_notation = serializers.CharField(allow_blank=True)
    sender_date = serializers.CharField(max_length=10, help_text="yyyy-mm-dd")
    document_type = serializers.CharField(max_length=40)
    summary = serializers.CharField(allow_blank=True)
    urgency = serializers.CharField(max_length=16, default="thuong")
    pages = serializers.IntegerField(min_value=1, max_value=10_000)
    files = FileInput(many=True, required=False, default=list)


class OutgoingInput(serializers.Serializer[None]):
    unit = serializers.CharField(max_length=40, help_text="Mã cơ quan ban hành")
    document_type = serializers.CharField(max_length=40)
    summary = serializers.CharField(allow_blank=True)
    body = serializers.CharField(allow_blank=True)
    recipients = serializers.CharField(allow_blank=True, help_text="Nơi nhận, mỗi dòng một nơi")
    urgency = serializers.CharField(max_length=16, default="thuong")
    original = serializers.IntegerField(required=False, allow_null=True, default=None)
    relation = serializers.CharField(max_length=16, required=False, allow_blank=True, default="")
    reply_to = serializers.IntegerField(required=False, allow_null=True, default=None)


class DocumentActionInput(serializers.Serializer[None]):
    to = serializers.CharField(max_length=150, required=False, allow_blank=True, help_text="present: lãnh đạo")
    assignee = serializers.CharField(max_length=150, required=False, allow_blank=True)
    co_handlers = serializers.ListField(child=serializers.CharField(max_length=150), required=False, default=list)
    instruction = serializers.CharField(required=False, allow_blank=True, default="")
    deadline = serializers.CharField(max_length=10, required=False, allow_blank=True, default="")
    reason = serializers.CharField(required=False, allow_blank=True, default="")
    text = serializers.CharField(required=False, allow_blank=True, default="")
    summary = serializers.CharField(required=False, allow_blank=True, default="")
    body = serializers.CharField(required=False, allow_blank=True, default="")
    recipients = serializers.CharField(required=False, allow_blank=True, default="")


def _unit(code: str) -> Unit:
    found = Unit.objects.filter(code=code).first()
    if found is None:
        raise DomainError(f"Không có đơn vị mã «{code}».", field="unit")
    return found


def _person(username: str, field: str) -> User | None:
    if not username:
        return None
    found = User.objects.filter(username=username).first()
    if found is None:
        raise DomainError(f"Không có cán bộ có tên đăng nhập «{username}».", field=field)
    return found


def _decoded(files: list[dict[str, str]]) -> list[incoming.Received]:
    try:
        return [incoming.Received(f["name"], base64.b64decode(f["content"], validate=True)) for f in files]
    except (binascii.Error, ValueError):
        raise DomainError("Nội dung tệp không phải base64 hợp lệ.", field="files") from None


class IncomingListView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        responses=IncomingSerializer(many=True), summary="Sổ văn bản đến của các cơ quan người gọi công tác"
    )
    def get(self, request: Request) -> Response:
        rows = selectors.incoming_for(request.user).prefetch_related("files")[:PAGE]  # type: ignore[arg-type]
        return Response(IncomingSerializer(rows, many=True, context={"request": request}).data)

    @extend_schema(
        request=IncomingInput,
        responses={201: IncomingSerializer, 200: IncomingSerializer},
        summary="Vào sổ văn bản đến (văn thư); bản trùng trỏ về lần vào sổ đầu",
    )
    def post(self, request: Request) -> Response:
        if not any(rules.may_register(request.user, unit) for unit in rules.body_units(request.user)):  # type: ignore[arg-type]
            raise NotPermittedError(rules.NOT_CLERK)
        data = IncomingInput(data=request.data)
        data.is_valid(raise_exception=True)
        typed = dict(data.validated_data)
        unit, files = _unit(typed.pop("unit")), _decoded(typed.pop("files"))
        done = incoming.register(by=request.user, unit=unit, files=files, **typed)  # type: ignore[arg-type]
        body = IncomingSerializer(done.document, context={"request": request}).data
        return Response(body, status=status.HTTP_201_CREATED if done.created else status.HTTP_200_OK)


def _readable_incoming(request: Request, pk: int) -> IncomingDocument:
    found = selectors.incoming_for(request.user).filter(pk=pk).first()  # type: ignore[arg-type]
    if found is None:
        raise NotFoundError("Không tìm thấy văn bản đến.")
    return found


def _readable_outgoing(request: Request, pk: int) -> OutgoingDocument:
    found = selectors.outgoing_for(request.user).filter(pk=pk).first()  # type: ignore[arg-type]
    if found is None:
        raise NotFoundError("Không tìm thấy văn bản đi.")
    return found


class IncomingDetailView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses={200: IncomingSerializer, **problem_responses(404)})
    def get(self, request: Request, document_id: int) -> Response:
        return Response(
            IncomingSerializer(_readable_incoming(request, document_id), context={"request": request}).data
        )


class IncomingActionView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        request=DocumentActionInput,
        responses={200: IncomingSerializer, **problem_responses(403, 404, 409)},
        parameters=[OpenApiParameter("action", str, OpenApiParameter.PATH, enum=sorted(INCOMING_ACTIONS))],
    )
    def post(self, request: Request, document_id: int, action: str) -> Response:
        if action not in INCOMING_ACTIONS:
            return problem(404, "unknown_action", f"Không có thao tác «{action}».")
        document = _readable_incoming(request, document_id)
        data = DocumentActionInput(data=request.data)
        data.is_valid(raise_exception=True)
        typed = data.validated_data
        user: User = request.user  # type: ignore[assignment]
        if action == "present":
            document = incoming.present(document, by=user, to=_person(typed.get("to", ""), "to"))
        else:
            helpers = [p for name in typed["co_handlers"] if (p := _person(name, "co_handlers")) is not None]
            document = incoming.assign(
                document,
                by=user,
                assignee=_person(typed.get("assignee", ""), "assignee"),
                co_handlers=helpers,
                instruction=typed["instruction"],
                deadline=typed["deadline"] or None,
            )
        return Response(IncomingSerializer(document, context={"request": request}).data)


class OutgoingListView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses=OutgoingSerializer(many=True), summary="Sổ văn bản đi và dự thảo của các cơ quan")
    def get(self, request: Request) -> Response:
        rows = selectors.outgoing_for(request.user)[:PAGE]  # type: ignore[arg-type]
        return Response(OutgoingSerializer(rows, many=True, context={"request": request}).data)

    @extend_schema(request=OutgoingInput, responses={201: OutgoingSerializer}, summary="Soạn dự thảo văn bản đi")
    def post(self, request: Request) -> Response:
        if not any(rules.may_draft(request.user, unit) for unit in rules.body_units(request.user)):  # type: ignore[arg-type]
            raise NotPermittedError(rules.NOT_DRAFTING)
        data = OutgoingInput(data=request.data)
        data.is_valid(raise_exception=True)
        typed = dict(data.validated_data)
        unit = _unit(typed.pop("unit"))
        original_id, reply_id = typed.pop("original"), typed.pop("reply_to")
        original = _readable_outgoing(request, original_id) if original_id else None
        reply_to = _readable_incoming(request, reply_id) if reply_id else None
        document = outgoing.draft(by=request.user, unit=unit, original=original, reply_to=reply_to, **typed)  # type: ignore[arg-type]
        return Response(OutgoingSerializer(document, context={"request": request}).data, status=201)


class OutgoingDetailView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses={200: OutgoingSerializer, **problem_responses(404)})
    def get(self, request: Request, document_id: int) -> Response:
        return Response(
            OutgoingSerializer(_readable_outgoing(request, document_id), context={"request": request}).data
        )


class OutgoingActionView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        request=DocumentActionInput,
        responses={200: OutgoingSerializer, **problem_responses(403, 404, 409)},
        parameters=[OpenApiParameter("action", str, OpenApiParameter.PATH, enum=sorted(OUTGOING_ACTIONS))],
    )
    def post(self, request: Request, document_id: int, action: str) -> Response:
        if action not in OUTGOING_ACTIONS:
            return problem(404, "unknown_action", f"Không có thao tác «{action}».")
        document = _readable_outgoing(request, document_id)
        data = DocumentActionInput(data=request.data)
        data.is_valid(raise_exception=True)
        typed = data.validated_data
        user: User = request.user  # type: ignore[assignment]
        chosen = OUTGOING_ACTIONS[action]
        if chosen == Action.EDIT:
            document = outgoing.edit(
                document, by=user, summary=typed["summary"], body=typed["body"], recipients=typed["recipients"]
            )
        elif chosen == Action.COMMENT:
            outgoing.comment(document, by=user, text=typed["text"])
        elif chosen == Action.SIGN:
            document = outgoing.sign(document, by=user)
        elif chosen == Action.ISSUE:
            document = outgoing.issue(document, by=user)
        else:
            document = outgoing.act(document, chosen, by=user, reason=typed["reason"])
        document.refresh_from_db()
        return Response(OutgoingSerializer(document, context={"request": request}).data)
