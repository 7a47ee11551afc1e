"""Review meetings over HTTP: the scoped list, scheduling (leaders of UBND tỉnh, Văn phòng UBND tỉnh), one meeting with
its bridge points and what the caller may do now (`actions`), and each action. Every rule is the reform app's
(`meetings.rules.available_actions`)."""

from typing import Any

from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.generics import GenericAPIView
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from motcua.core.errors import DomainError, NotFoundError, NotPermittedError
from motcua.organizations.models import Unit, User
from motcua.reform.meetings import rules, selectors, services
from motcua.reform.meetings.lifecycle import ACTION_LABELS, FORM_LABELS, KIND_CHOICES, Action
from motcua.reform.models import AgendaItem, BridgePoint, ConclusionNotice, Meeting

from .idempotency import IDEMPOTENCY_KEY, idempotent
from .offers import LifecycleOfferSerializer, staff_only
from .problems import problem
from .schema import problem_responses

ACTIONS = {action.value: action for action in Action if action != Action.CREATE}


def _staff(request: Request) -> User:
    return staff_only(request, "Chỉ cán bộ, công chức theo dõi các cuộc họp.")


class BridgePointSerializer(serializers.ModelSerializer[BridgePoint]):
    unit = serializers.CharField(source="unit.code", help_text="Mã đơn vị")
    host = serializers.CharField(source="host.username", help_text="Người phụ trách điểm cầu")

    class Meta:
        model = BridgePoint
        fields = ["id", "unit", "place", "host", "invited", "present", "entered_at"]


class AgendaItemSerializer(serializers.ModelSerializer[AgendaItem]):
    presenter_unit = serializers.CharField(source="presenter_unit.code", help_text="Mã đơn vị trình bày")

    class Meta:
        model = AgendaItem
        fields = ["id", "position", "title", "presenter_unit"]


class NoticeSerializer(serializers.ModelSerializer[ConclusionNotice]):
    tasks = serializers.SerializerMethodField(help_text="Mã số các nhiệm vụ, theo số thứ tự kết luận")

    class Meta:
        model = ConclusionNotice
        fields = ["number", "issued_on", "signer_name", "form_citation", "directive", "tasks"]

    def get_tasks(self, notice: ConclusionNotice) -> list[int]:
        return list(notice.directive.tasks.order_by("position").values_list("pk", flat=True))


class MeetingSerializer(serializers.ModelSerializer[Meeting]):
    status_label = serializers.CharField(read_only=True)
    chair = serializers.CharField(source="chair.username")
    agenda = AgendaItemSerializer(many=True, read_only=True)
    bridge_points = BridgePointSerializer(many=True, read_only=True)
    notice = serializers.SerializerMethodField()
    actions = serializers.SerializerMethodField(help_text="Các thao tác của trạng thái hiện tại đối với người gọi")

    class Meta:
        model = Meeting
        fields = [
            *("id", "kind", "title", "chair", "form", "starts_at", "ends_at", "video_link", "status", "status_label"),
            *("attendance_locks_at", "minutes", "minutes_approved_at", "agenda", "bridge_points", "notice", "actions"),
        ]

    @extend_schema_field(NoticeSerializer(allow_null=True))
    def get_notice(self, meeting: Meeting) -> dict[str, Any] | None:
        notice = ConclusionNotice.objects.filter(meeting=meeting).first()
        return None if notice is None else dict(NoticeSerializer(notice).data)

    @extend_schema_field(LifecycleOfferSerializer(many=True))
    def get_actions(self, meeting: Meeting) -> list[dict[str, Any]]:
        offers = rules.available_actions(meeting, self.context["request"].user)
        return list(LifecycleOfferSerializer(offers, many=True).data)


class AgendaInput(serializers.Serializer[None]):
    title = serializers.CharField(max_length=500)
    presenter_unit = serializers.CharField(max_length=40, help_text="Mã đơn vị trình bày")


class BridgePointInput(serializers.Serializer[None]):
    unit = serializers.CharField(max_length=40, help_text="Mã đơn vị")
    place = serializers.CharField(max_length=300)
    host = serializers.CharField(max_length=150, help_text="Tên đăng nhập của người phụ trách")


class MeetingInput(serializers.Serializer[None]):
    kind = serializers.ChoiceField(choices=KIND_CHOICES)
    title = serializers.CharField(max_length=300)
    chair = serializers.CharField(max_length=150, help_text="Tên đăng nhập của người chủ trì")
    form = serializers.ChoiceField(choices=list(FORM_LABELS.items()))
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    video_link = serializers.CharField(required=False, allow_blank=True, default="", max_length=500)
    agenda = AgendaInput(many=True, required=False, default=list, max_length=services.MAX_ROWS)  # type: ignore[call-arg]
    bridge_points = BridgePointInput(many=True, required=False, default=list, max_length=services.MAX_ROWS)  # type: ignore[call-arg]


class ConclusionInput(serializers.Serializer[None]):
    content = serializers.CharField(max_length=4000)
    lead_unit = serializers.CharField(max_length=40, help_text="Mã đơn vị chủ trì")
    co_units = serializers.ListField(
        child=serializers.CharField(max_length=40), required=False, default=list, max_length=50
    )
    deadline = serializers.DateField(required=False, allow_null=True, default=None, help_text="Trống: không hạn")


class MeetingActionInput(serializers.Serializer[None]):
    reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)
    bridge_point = serializers.IntegerField(required=False, allow_null=True, default=None, min_value=1,
                                            max_value=2**31 - 1, help_text="attendance: mã điểm cầu")  # fmt: skip
    invited = serializers.IntegerField(required=False, allow_null=True, default=None, min_value=0,
                                       max_value=services.MAX_HEADCOUNT, help_text="số được mời")  # fmt: skip
    present = serializers.IntegerField(required=False, allow_null=True, default=None, min_value=0,
                                       max_value=services.MAX_HEADCOUNT, help_text="số có mặt")  # fmt: skip
    minutes = serializers.CharField(required=False, allow_blank=True, default="", max_length=50_000)
    number = serializers.CharField(required=False, allow_blank=True, default="", max_length=100)
    issued_on = serializers.DateField(required=False, allow_null=True, default=None)
    signer_name = serializers.CharField(required=False, allow_blank=True, default="", max_length=150)
    conclusions = ConclusionInput(many=True, required=False, default=list, max_length=services.MAX_ROWS)  # type: ignore[call-arg]
    file = serializers.FileField(required=False, allow_null=True, default=None, help_text="attach: tệp")
    agenda_item = serializers.IntegerField(required=False, allow_null=True, default=None, min_value=1,
                                           max_value=2**31 - 1, help_text="attach: nội dung tham luận")  # fmt: skip
    new_agenda_item = AgendaInput(required=False, allow_null=True, default=None, help_text="add-agenda")
    new_bridge_point = BridgePointInput(required=False, allow_null=True, default=None, help_text="add-bridge-point")


def _unit(code: str, key: str) -> Unit:
    found = Unit.objects.filter(code=code).first()
    if found is None:
        raise DomainError("Không có đơn vị với mã đã nhập.", field=key)
    return found


def _person(username: str, key: str) -> User:
    found = User.objects.filter(username=username).first()
    if found is None:
        raise DomainError("Không có cán bộ với tên đăng nhập đã nhập.", field=key)
    return found


class MeetingListView(GenericAPIView[Meeting]):
    permission_classes = [IsAuthenticated]
    serializer_class = MeetingSerializer

    @extend_schema(
        operation_id="meetings_list", summary="Cuộc họp trong phạm vi người gọi, mới nhất trước",
        responses=MeetingSerializer(many=True),
    )  # fmt: skip
    def get(self, request: Request) -> Response:
        meetings = selectors.meetings_for(_staff(request)).prefetch_related("agenda", "bridge_points")
        page = self.paginate_queryset(meetings)
        return self.get_paginated_response(MeetingSerializer(page, many=True, context={"request": request}).data)

    @extend_schema(
        summary="Lên lịch một cuộc họp (lãnh đạo UBND tỉnh, Văn phòng UBND tỉnh)",
        request={"application/json": MeetingInput},
        responses={201: MeetingSerializer, **problem_responses(403)},
        parameters=[IDEMPOTENCY_KEY],
    )
    @idempotent
    def post(self, request: Request) -> Response:
        user = _staff(request)
        if not selectors.is_organiser(user):
            raise NotPermittedError(rules.NOT_ORGANISER)
        data = MeetingInput(data=request.data)
        data.is_valid(raise_exception=True)
        typed = dict(data.validated_data)
        agenda = [
            services.AgendaDraft(row["title"], _unit(row["presenter_unit"], f"agenda[{i}].presenter_unit"))
            for i, row in enumerate(typed.pop("agenda"))
        ]
        points = [
            services.BridgePointDraft(_unit(row["unit"], f"bridge_points[{i}].unit"), row["place"],
                                      _person(row["host"], f"bridge_points[{i}].host"))
            for i, row in enumerate(typed.pop("bridge_points"))
        ]  # fmt: skip
        chair = _person(typed.pop("chair"), "chair")
        meeting = services.create_meeting(by=user, chair=chair, agenda=agenda, bridge_points=points, **typed)
        return Response(MeetingSerializer(meeting, context={"request": request}).data, status=status.HTTP_201_CREATED)


def readable(request: Request, meeting_id: int) -> Meeting:
    """A meeting the caller sees; any other answers as one that does not exist."""
    found = selectors.get_meeting_for(_staff(request), meeting_id)
    if found is None:
        raise NotFoundError("Không tìm thấy cuộc họp trong phạm vi của bạn.")
    return found


class MeetingDetailView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(summary="Một cuộc họp, các điểm cầu và các thao tác người gọi được làm lúc này",
                   responses=MeetingSerializer)  # fmt: skip
    def get(self, request: Request, meeting_id: int) -> Response:
        return Response(MeetingSerializer(readable(request, meeting_id), context={"request": request}).data)


class MeetingActionView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        summary="Thực hiện một thao tác trên cuộc họp",
        description="Thao tác: " + ", ".join(f"{a} ({ACTION_LABELS[ACTIONS[a]]})" for a in sorted(ACTIONS)) + ". "
        "`attendance`: chỉ người phụ trách điểm cầu, đến hết 1 ngày làm việc sau cuộc họp. "
        "`issue-notice`: các kết luận thành nhiệm vụ (nguồn: kết luận cuộc họp).",
        request={"application/json": MeetingActionInput, "multipart/form-data": MeetingActionInput},
        responses={200: MeetingSerializer, **problem_responses(403, 409)},
        parameters=[IDEMPOTENCY_KEY, OpenApiParameter("action", str, OpenApiParameter.PATH, enum=sorted(ACTIONS))],
    )
    @idempotent
    def post(self, request: Request, meeting_id: int, action: str) -> Response:
        if action not in ACTIONS:
            return problem(404, "unknown_action", f"Không có thao tác «{action[:40]}».")
        user = _staff(request)
        meeting = readable(request, meeting_id)
        data = MeetingActionInput(data=request.data)
        data.is_valid(raise_exception=True)
        typed = dict(data.validated_data)
        if ACTIONS[action] == Action.ATTENDANCE:
            point = meeting.bridge_points.filter(pk=typed["bridge_point"]).first() if typed["bridge_point"] else None
            if point is None:
                raise DomainError("Chọn một điểm cầu của cuộc họp này.", field="bridge_point")
            services.enter_attendance(point, by=user, invited=typed["invited"], present=typed["present"])
            meeting.refresh_from_db()
            return Response(MeetingSerializer(meeting, context={"request": request}).data)
        upload = typed["file"]
        conclusions = [
            services.Conclusion(
                row["content"], _unit(row["lead_unit"], f"conclusions[{i}].lead_unit"),
                tuple(_unit(code, f"conclusions[{i}].co_units") for code in row["co_units"]), row["deadline"],
            )
            for i, row in enumerate(typed["conclusions"])
        ]  # fmt: skip
        added, point = typed["new_agenda_item"], typed["new_bridge_point"]
        presenter = _unit(added["presenter_unit"], "new_agenda_item.presenter_unit") if added else None
        inputs = services.Inputs(
            reason=typed["reason"], minutes=typed["minutes"], number=typed["number"], issued_on=typed["issued_on"],
            signer_name=typed["signer_name"], conclusions=conclusions, agenda_item=typed["agenda_item"],
            file_name=upload.name if upload else "", file_content=upload.read() if upload else None,
            agenda=services.AgendaDraft(added["title"], presenter) if added and presenter else None,
            bridge_point=services.BridgePointDraft(
                _unit(point["unit"], "new_bridge_point.unit"), point["place"],
                _person(point["host"], "new_bridge_point.host"),
            ) if point else None,
        )  # fmt: skip
        meeting = services.act(meeting, ACTIONS[action], actor=user, inputs=inputs)
        return Response(MeetingSerializer(meeting, context={"request": request}).data)
