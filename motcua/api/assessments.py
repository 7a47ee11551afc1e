"""Competency tests over HTTP: the candidate's attempt (form without keys, autosave, submit) and the question bank.

The key of an item never leaves the server: the attempt's form names option ids and texts only, scoring is done by
`motcua.assessments.services`.
"""

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from motcua.assessments import bank, rules, selectors, services
from motcua.assessments.lifecycle import ItemAction
from motcua.assessments.models import Attempt, Campaign, Candidate, ItemVersion
from motcua.core import clock
from motcua.core.errors import DomainError, NotFoundError
from motcua.organizations.models import Unit, User

from .problems import problem

DEVICE_HEADER = "X-Device-Id"  # the browser's own random id, so a second device is told apart


def _device(request: Request) -> str:
    device = str(request.headers.get(DEVICE_HEADER, "") or request.session.session_key or "")[:64]
    return device if device.isprintable() else ""


attempt_body = selectors.attempt_view  # the candidate's view: the form without keys


def _own_attempt(request: Request, attempt_id: int) -> Attempt:
    attempt = Attempt.objects.select_related("candidate__campaign").filter(pk=attempt_id).first()
    if attempt is None or not rules.may_take(request.user, attempt):  # type: ignore[arg-type]
        raise NotFoundError("Không tìm thấy bài làm.")
    return attempt


class AttemptStartView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(summary="Bắt đầu hoặc làm tiếp bài kiểm tra của đợt", request=None, responses={200: dict})
    def post(self, request: Request, campaign_id: int) -> Response:
        candidate = (
            Candidate.objects.select_related("campaign")
            .filter(campaign_id=campaign_id, user_id=int(request.user.pk or 0), is_active=True)
            .first()
        )
        if candidate is None:
            raise NotFoundError("Ông/bà không có tên trong danh sách dự kiểm tra của đợt này.")
        attempt = services.start_attempt(candidate, device=_device(request), by=request.user)  # type: ignore[arg-type]
        return Response(attempt_body(attempt))


class AttemptView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(summary="Đề của bài làm (không có đáp án), câu đã trả lời và thời gian còn lại", responses=dict)
    def get(self, request: Request, attempt_id: int) -> Response:
        return Response(attempt_body(_own_attempt(request, attempt_id)))


class AnswerInput(serializers.Serializer[Any]):
    chosen = serializers.ListField(child=serializers.CharField(max_length=8), max_length=8, allow_empty=True)
    sequence = serializers.IntegerField(min_value=1, max_value=2**31 - 1)


class AnswerView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(summary="Lưu một câu trả lời (tự động lưu, theo số thứ tự)", request=AnswerInput, responses=dict)
    def put(self, request: Request, attempt_id: int, item_id: int) -> Response:
        attempt = _own_attempt(request, attempt_id)
        data = AnswerInput(data=request.data)
        data.is_valid(raise_exception=True)
        saved, applied = services.save_answer(
            attempt, item_id, data.validated_data["chosen"], sequence=data.validated_data["sequence"],
            device=_device(request), address=request.META.get("REMOTE_ADDR"), by=request.user,  # type: ignore[arg-type]
        )  # fmt: skip
        return Response({"applied": applied, "sequence": saved.sequence, "server_now": clock.now().isoformat()})


class SubmitView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(summary="Nộp bài", request=None, responses=dict)
    def post(self, request: Request, attempt_id: int) -> Response:
        attempt = services.submit_attempt(_own_attempt(request, attempt_id), by=request.user)  # type: ignore[arg-type]
        return Response(attempt_body(attempt))


class ItemListView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(summary="Soạn câu hỏi mới (dự thảo)", request=dict, responses=dict)
    def post(self, request: Request) -> Response:
        if not isinstance(request.data, dict):
            raise DomainError("Nội dung gửi lên phải là một đối tượng JSON.")
        version = bank.create_item(request.data, by=request.user)  # type: ignore[arg-type]
        return Response(item_body(version, request), status=201)


def item_body(version: ItemVersion, request: Request) -> dict[str, Any]:
    """An item version for the bank's staff (key included: only organisers reach this)."""
    return {
        "id": version.pk, "code": version.item.code, "number": version.number, "status": version.status,
        "domain": version.domain, "difficulty": version.difficulty, "type": version.type, "stem": version.stem,
        "options": version.options, "key": version.key, "legal_source": version.legal_source,
        "actions": [{"action": o.action.value, "label": o.label, "allowed": o.allowed, "reason": o.refusal}
                    for o in rules.item_actions(version, request.user)],  # type: ignore[arg-type]
    }  # fmt: skip


class ItemActionView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(summary="Gửi thẩm định, duyệt, trả lại hoặc ngừng sử dụng câu hỏi", request=dict, responses=dict)
    def post(self, request: Request, version_id: int, action: str) -> Response:
        if action not in {a.value for a in ItemAction}:
            return problem(404, "unknown_action", f"Không có thao tác «{action[:40]}».")
        version = ItemVersion.objects.select_related("item").filter(pk=version_id).first()
        if version is None or not rules.is_organiser(request.user):  # type: ignore[arg-type]
            raise NotFoundError("Không tìm thấy câu hỏi.")
        reason = request.data.get("reason", "") if isinstance(request.data, dict) else ""
        version = bank.act_on_item(version, ItemAction(action), by=request.user, reason=reason)  # type: ignore[arg-type]
        return Response(item_body(version, request))


def _body(request: Request) -> dict[str, Any]:
    if not isinstance(request.data, dict):
        raise DomainError("Nội dung gửi lên phải là một đối tượng JSON.")
    return request.data


def _organised_campaign(request: Request, campaign_id: int) -> Campaign:
    campaign = Campaign.objects.filter(pk=campaign_id).first()
    if campaign is None or not rules.is_organiser(request.user):  # type: ignore[arg-type]
        raise NotFoundError("Không tìm thấy đợt kiểm tra.")
    return campaign


def campaign_body(campaign: Campaign) -> dict[str, Any]:
    return {
        "id": campaign.pk, "name": campaign.name, "status": campaign.status, "basis_number": campaign.basis_number,
        "opens_at": campaign.opens_at.isoformat(), "closes_at": campaign.closes_at.isoformat(),
        "publish_on": campaign.publish_on.isoformat(), "blueprint": campaign.blueprint,
        "sittings": [{"id": s.pk, "room": s.room, "starts_at": s.starts_at.isoformat(), "capacity": s.capacity}
                     for s in campaign.sittings.order_by("starts_at")],
        "candidates": campaign.candidates.filter(is_active=True).count(),
    }  # fmt: skip


class CampaignListView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(summary="Lập đợt kiểm tra năng lực (Sở Nội vụ)", request=dict, responses=dict)
    def post(self, request: Request) -> Response:
        campaign = services.create_campaign(_body(request), by=request.user)  # type: ignore[arg-type]
        return Response(campaign_body(campaign), status=201)


class CampaignSittingView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(summary="Thêm ca thi (phòng, giờ bắt đầu, số chỗ, giám thị)", request=dict, responses=dict)
    def post(self, request: Request, campaign_id: int) -> Response:
        campaign = _organised_campaign(request, campaign_id)
        services.add_sitting(campaign, _body(request), by=request.user)  # type: ignore[arg-type]
        return Response(campaign_body(campaign), status=201)


class CampaignCallView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(summary="Gọi danh sách dự kiểm tra theo đơn vị vào ngày chốt", request=None, responses=dict)
    def post(self, request: Request, campaign_id: int) -> Response:
        campaign = _organised_campaign(request, campaign_id)
        called = services.call_candidates(campaign, by=request.user)  # type: ignore[arg-type]
        return Response({"called": called} | campaign_body(campaign))


class CampaignCandidateView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(summary="Bổ sung một người vào danh sách, có lý do", request=dict, responses=dict)
    def post(self, request: Request, campaign_id: int) -> Response:
        campaign = _organised_campaign(request, campaign_id)
        data = _body(request)
        username, unit_code = data.get("username"), data.get("unit")
        user = User.objects.filter(username=username).first() if isinstance(username, str) else None
        unit = Unit.objects.filter(code=unit_code).first() if isinstance(unit_code, str) else None
        if user is None or unit is None:
            raise DomainError("Không tìm thấy cán bộ hoặc đơn vị.", field="username")
        candidate = services.add_candidate(campaign, user, unit, reason=data.get("reason", ""), by=request.user)  # type: ignore[arg-type]
        return Response({"id": candidate.pk, "campaign": campaign.pk, "user": user.username}, status=201)


class CandidateActionView(APIView):
    """Remove a candidate (Sở Nội vụ) or let them move to a second device (their sitting's invigilator)."""

    permission_classes = [IsAuthenticated]

    @extend_schema(summary="Rút khỏi danh sách hoặc cho phép chuyển thiết bị, có lý do", request=dict, responses=dict)
    def post(self, request: Request, candidate_id: int, action: str) -> Response:
        if action not in {"remove", "second-device"}:
            return problem(404, "unknown_action", f"Không có thao tác «{action[:40]}».")
        candidate = Candidate.objects.select_related("campaign", "sitting").filter(pk=candidate_id).first()
        user: User = request.user  # type: ignore[assignment]
        may = (
            rules.is_organiser(user)
            if action == "remove"
            else bool(candidate and candidate.sitting and rules.is_invigilator(user, candidate.sitting))
        )
        if candidate is None or not may:
            raise NotFoundError("Không tìm thấy người dự kiểm tra.")
        reason = _body(request).get("reason", "")
        if action == "remove":
            services.remove_candidate(candidate, reason=reason, by=user)
        else:
            services.allow_second_device(candidate, reason=reason, by=user)
        candidate.refresh_from_db()
        return Response({"id": candidate.pk, "is_active": candidate.is_active,
                         "second_device_allowed": candidate.second_device_allowed})  # fmt: skip


class AttemptExtendView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(summary="Giám thị cộng thêm giờ cho một người, có lý do", request=dict, responses=dict)
    def post(self, request: Request, attempt_id: int) -> Response:
        attempt = Attempt.objects.select_related("candidate__sitting").filter(pk=attempt_id).first()
        sitting = attempt.candidate.sitting if attempt else None
        if sitting is None or not rules.is_invigilator(request.user, sitting):  # type: ignore[arg-type]
            raise NotFoundError("Không tìm thấy bài làm.")
        data = _body(request)
        user: User = request.user  # type: ignore[assignment]
        assert attempt is not None  # a sitting was found through it
        attempt = services.grant_extra_time(attempt, data.get("minutes"), reason=data.get("reason", ""), by=user)
        return Response({"id": attempt.pk, "deadline_at": attempt.deadline_at.isoformat(),
                         "extra_minutes": attempt.extra_minutes})  # fmt: skip
