"""Directives and their tasks over HTTP: entry by Văn phòng UBND tỉnh, the scoped lists, one task with what the
caller may do now (`actions`), and each action. Every rule is the reform app's (`rules.available_actions`)."""

from typing import Any

from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.generics import GenericAPIView
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from motcua.core import clock
from motcua.core.errors import DomainError, NotFoundError, NotPermittedError
from motcua.organizations.models import Unit, User
from motcua.reform.models import Directive, Task, TaskEvent
from motcua.reform.tasks import rules, selectors, services
from motcua.reform.tasks.clocks import time_state
from motcua.reform.tasks.lifecycle import (
    ACTION_LABELS,
    LEADER_POSITION_LABELS,
    SOURCE_LABELS,
    STATUS_CHOICES,
    TIME_STATE_LABELS,
    URGENCY_LABELS,
    Action,
    Status,
)
from motcua.worktime.selectors import calendars_for

from .idempotency import IDEMPOTENCY_KEY, idempotent
from .offers import LifecycleOfferSerializer, staff_only
from .problems import problem
from .schema import problem_responses

ACTIONS = {action.value: action for action in Action if action != Action.CREATE}
TIME_STATE_CHOICES = list(TIME_STATE_LABELS.items())


def _staff(request: Request) -> User:
    return staff_only(request, "Chỉ cán bộ, công chức theo dõi nhiệm vụ chỉ đạo.")


class TaskSerializer(serializers.ModelSerializer[Task]):
    status_label = serializers.CharField(read_only=True)
    lead_unit = serializers.CharField(source="lead_unit.code", help_text="Mã đơn vị chủ trì")
    co_units = serializers.SerializerMethodField(help_text="Mã các đơn vị phối hợp")
    time_state = serializers.SerializerMethodField(help_text="Trong hạn, sắp đến hạn, quá hạn, không hạn; đúng hạn…")
    actions = serializers.SerializerMethodField(help_text="Các thao tác của trạng thái hiện tại đối với người gọi")

    class Meta:
        model = Task
        fields = [
            *("id", "directive", "plan", "position", "content", "lead_unit", "co_units", "expected_product"),
            *("target", "deadline_on", "extended_on", "due_at", "status", "status_label", "time_state", "percent"),
            *("document_number", "has_product", "assigned_at", "accepted_at", "completion_asked_at", "confirmed_at"),
            *("returned_count", "extension_asked_on", "extension_reason", "actions"),
        ]

    def get_co_units(self, task: Task) -> list[str]:
        return [u.code for u in task.co_units.all()]

    @extend_schema_field(serializers.ChoiceField(choices=TIME_STATE_CHOICES, allow_null=True))
    def get_time_state(self, task: Task) -> str | None:
        calendars = self.context.get("calendars") or calendars_for({task.lead_unit_id})
        state = time_state(
            calendars[task.lead_unit_id], Status(task.status), task.due_at, clock.now(), task.completion_asked_at
        )
        return None if state is None else state.value

    @extend_schema_field(LifecycleOfferSerializer(many=True))
    def get_actions(self, task: Task) -> list[dict[str, Any]]:
        offers = rules.available_actions(task, self.context["request"].user)
        return list(LifecycleOfferSerializer(offers, many=True).data)


class TaskEventSerializer(serializers.ModelSerializer[TaskEvent]):
    actor = serializers.CharField(source="actor.username", default=None, allow_null=True, read_only=True)

    class Meta:
        model = TaskEvent
        fields = ["sequence", "action", "status_after", "actor", "at", "reason", "details"]


class DirectiveSerializer(serializers.ModelSerializer[Directive]):
    is_entered_late = serializers.BooleanField(read_only=True, help_text="Cập nhật chậm so với thời hạn")
    tasks = serializers.PrimaryKeyRelatedField(  # type: ignore[var-annotated]
        many=True, read_only=True, help_text="Mã số các nhiệm vụ"
    )

    class Meta:
        model = Directive
        fields = [
            *("id", "source_kind", "source_number", "source_date", "leader_name", "leader_position", "urgency"),
            *("summary", "entered_at", "entry_due_at", "is_entered_late", "tasks"),
        ]


class TaskDraftInput(serializers.Serializer[None]):
    content = serializers.CharField(max_length=4000)
    lead_unit = serializers.CharField(max_length=40, help_text="Mã đơn vị chủ trì")
    co_units = serializers.ListField(
        child=serializers.CharField(max_length=40), required=False, default=list, max_length=50
    )
    deadline = serializers.DateField(required=False, allow_null=True, default=None, help_text="Trống: không hạn")
    expected_product = serializers.CharField(required=False, allow_blank=True, default="", max_length=500)


class DirectiveInput(serializers.Serializer[None]):
    source_kind = serializers.ChoiceField(choices=list(SOURCE_LABELS.items()))
    source_number = serializers.CharField(required=False, allow_blank=True, default="", max_length=100)
    source_date = serializers.DateField()
    leader_name = serializers.CharField(max_length=150)
    leader_position = serializers.ChoiceField(
        choices=list(LEADER_POSITION_LABELS.items()), required=False, allow_blank=True, default=""
    )
    urgency = serializers.ChoiceField(choices=list(URGENCY_LABELS.items()))
    summary = serializers.CharField(required=False, allow_blank=True, default="", max_length=500)
    tasks = TaskDraftInput(many=True, max_length=services.MAX_TASKS)  # type: ignore[call-arg]


class TaskQuery(serializers.Serializer[None]):
    status = serializers.ChoiceField(choices=STATUS_CHOICES, required=False)
    unit = serializers.CharField(required=False, max_length=40, help_text="Mã đơn vị chủ trì")
    time_state = serializers.ChoiceField(choices=TIME_STATE_CHOICES, required=False)
    directive = serializers.IntegerField(required=False, min_value=1, max_value=2**31 - 1)


class TaskActionInput(serializers.Serializer[None]):
    reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)
    percent = serializers.IntegerField(required=False, allow_null=True, default=None, min_value=0, max_value=100)
    text = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=4000, help_text="report: nội dung"
    )
    document_number = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=100, help_text="report: số văn bản báo cáo"
    )
    product = serializers.FileField(required=False, allow_null=True, default=None, help_text="report: tệp sản phẩm")
    evidence = serializers.FileField(required=False, allow_null=True, default=None, help_text="report: tệp minh chứng")
    new_deadline = serializers.DateField(required=False, allow_null=True, default=None, help_text="extend: hạn mới")
    approve = serializers.BooleanField(
        required=False, allow_null=True, default=None, help_text="decide-extension: đồng ý?"
    )


def _unit(code: str, key: str) -> Unit:
    found = Unit.objects.filter(code=code).first()
    if found is None:
        raise DomainError("Không có đơn vị với mã đã nhập.", field=key)
    return found


def _drafts(rows: list[dict[str, Any]]) -> list[services.TaskDraft]:
    return [
        services.TaskDraft(
            row["content"], _unit(row["lead_unit"], f"tasks[{i}].lead_unit"),
            tuple(_unit(code, f"tasks[{i}].co_units") for code in row["co_units"]), row["deadline"],
            row["expected_product"],
        )
        for i, row in enumerate(rows)
    ]  # fmt: skip


class DirectiveListView(GenericAPIView[Directive]):
    permission_classes = [IsAuthenticated]
    serializer_class = DirectiveSerializer

    @extend_schema(
        operation_id="directives_list",
        summary="Chỉ đạo có nhiệm vụ trong phạm vi người gọi, mới nhất trước",
        responses=DirectiveSerializer(many=True),
    )
    def get(self, request: Request) -> Response:
        directives = selectors.directives_for(_staff(request)).prefetch_related("tasks")
        page = self.paginate_queryset(directives)
        return self.get_paginated_response(DirectiveSerializer(page, many=True).data)

    @extend_schema(
        summary="Cập nhật một chỉ đạo và các nhiệm vụ (Văn phòng UBND tỉnh)",
        description="Thời hạn cập nhật tính từ ngày văn bản theo lịch làm việc: hỏa tốc, khẩn trong ngày; thường 1 "
        "ngày làm việc; nhiều nhiệm vụ 2 ngày làm việc (`is_entered_late`).",
        request={"application/json": DirectiveInput},
        responses={201: DirectiveSerializer, **problem_responses(403)},
        parameters=[IDEMPOTENCY_KEY],
    )
    @idempotent
    def post(self, request: Request) -> Response:
        user = _staff(request)
        if not selectors.is_tracker(user):
            raise NotPermittedError(rules.NOT_TRACKER)
        data = DirectiveInput(data=request.data)
        data.is_valid(raise_exception=True)
        typed = dict(data.validated_data)
        drafts = _drafts(typed.pop("tasks"))
        directive = services.create_directive(**typed, by=user, tasks=drafts)
        return Response(DirectiveSerializer(directive).data, status=status.HTTP_201_CREATED)


class DirectiveDetailView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(summary="Một chỉ đạo và các nhiệm vụ của nó", responses=DirectiveSerializer)
    def get(self, request: Request, directive_id: int) -> Response:
        found = selectors.directives_for(_staff(request)).filter(pk=directive_id).first()
        if found is None:
            raise NotFoundError("Không tìm thấy chỉ đạo trong phạm vi của bạn.")
        return Response(DirectiveSerializer(found).data)


class TaskListView(GenericAPIView[Task]):
    permission_classes = [IsAuthenticated]
    serializer_class = TaskSerializer

    @extend_schema(
        operation_id="tasks_list",
        summary="Nhiệm vụ trong phạm vi người gọi (đơn vị mình và cấp dưới), hạn sớm nhất trước",
        parameters=[TaskQuery],
        responses=TaskSerializer(many=True),
    )
    def get(self, request: Request) -> Response:
        query = TaskQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        params = query.validated_data
        tasks = selectors.tasks_for(_staff(request)).prefetch_related("co_units")
        if "status" in params:
            tasks = tasks.filter(status=params["status"])
        if "unit" in params:
            tasks = tasks.filter(lead_unit__code=params["unit"])
        if "directive" in params:
            tasks = tasks.filter(directive_id=params["directive"])
        if "time_state" in params:
            tasks = selectors.with_time_state(tasks, params["time_state"], clock.now())
        page = self.paginate_queryset(tasks)
        context = {"request": request, "calendars": calendars_for({t.lead_unit_id for t in page or []})}
        return self.get_paginated_response(TaskSerializer(page, many=True, context=context).data)


def readable(request: Request, task_id: int) -> Task:
    """A task the caller sees; any other answers as one that does not exist."""
    found = selectors.get_task_for(_staff(request), task_id)
    if found is None:
        raise NotFoundError("Không tìm thấy nhiệm vụ trong phạm vi của bạn.")
    return found


class TaskDetailView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(summary="Một nhiệm vụ, kèm các thao tác người gọi được làm lúc này", responses=TaskSerializer)
    def get(self, request: Request, task_id: int) -> Response:
        return Response(TaskSerializer(readable(request, task_id), context={"request": request}).data)


class TaskEventsView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(summary="Lịch sử nhiệm vụ (không sửa, không xóa)", responses=TaskEventSerializer(many=True))
    def get(self, request: Request, task_id: int) -> Response:
        events = readable(request, task_id).events.select_related("actor").order_by("sequence")
        return Response(TaskEventSerializer(events, many=True).data)


class TaskActionView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        summary="Thực hiện một thao tác trên nhiệm vụ",
        description="Thao tác: " + ", ".join(f"{a} ({ACTION_LABELS[ACTIONS[a]]})" for a in sorted(ACTIONS)) + ". "
        "Báo cáo tiến độ gửi kèm tệp bằng multipart/form-data (`product`, `evidence`).",
        request={"application/json": TaskActionInput, "multipart/form-data": TaskActionInput},
        responses={200: TaskSerializer, **problem_responses(403, 409)},
        parameters=[IDEMPOTENCY_KEY, OpenApiParameter("action", str, OpenApiParameter.PATH, enum=sorted(ACTIONS))],
    )
    @idempotent
    def post(self, request: Request, task_id: int, action: str) -> Response:
        if action not in ACTIONS:
            return problem(404, "unknown_action", f"Không có thao tác «{action[:40]}».")
        task = readable(request, task_id)
        data = TaskActionInput(data=request.data)
        data.is_valid(raise_exception=True)
        typed = dict(data.validated_data)
        files = [
            services.Evidence(upload.name, upload.read(), is_product=key == "product")
            for key in ("product", "evidence")
            if (upload := typed.pop(key)) is not None
        ]
        task = services.act(task, ACTIONS[action], actor=request.user, inputs=services.Inputs(**typed, files=files))  # type: ignore[arg-type]
        return Response(TaskSerializer(task, context={"request": request}).data)
