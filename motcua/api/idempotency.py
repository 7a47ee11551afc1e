"""The Idempotency-Key header on POST: a double click or a retried request never creates a second dossier.

A stored answer holds the dossier it answered with (names, ID numbers, addresses), so it is kept for
MOTCUA_IDEMPOTENCY_HOURS only: then `motcua purge_expired` erases it and keeps the bare key, and a replay of that key
is refused (409 `idempotency_key_expired`) rather than run again as a new request, which could create a second
dossier. The bare key is forgotten after MOTCUA_IDEMPOTENCY_KEY_DAYS.
"""

import hashlib
import json
from collections.abc import Callable
from datetime import timedelta
from functools import wraps
from typing import Any

from django.conf import settings
from django.db import transaction
from drf_spectacular.utils import OpenApiParameter
from rest_framework.request import Request
from rest_framework.response import Response

from motcua.core import clock
from motcua.organizations.models import User

from .models import IdempotencyRecord
from .problems import problem

Handler = Callable[..., Response]
# For the OpenAPI description of every POST that takes the header.
IDEMPOTENCY_KEY = OpenApiParameter(
    "Idempotency-Key",
    str,
    OpenApiParameter.HEADER,
    required=False,
    description=(
        "Khóa do máy khách chọn (tối đa 100 ký tự). Gửi lại cùng khóa và cùng nội dung: nhận lại câu trả lời đầu "
        "(`Idempotent-Replayed: true`), không tạo gì thêm. Câu trả lời chỉ giữ trong MOTCUA_IDEMPOTENCY_HOURS giờ "
        "(mặc định 24); sau đó gửi lại khóa ấy bị từ chối (409 `idempotency_key_expired`), không chạy như yêu cầu mới."
    ),
)
ERASED = ""  # the fingerprint of an erased answer: the request it answered is no longer known either


def idempotent(handler: Handler) -> Handler:
    """Replay the stored answer for a key already used by this caller; run the request once otherwise.

    The answer is recorded in the transaction of the work it answers for: both are kept, or neither (a crash leaves
    the key free for the retry). The same request sent twice at once waits for the first, then gets its answer.
    """

    @wraps(handler)
    def wrapper(view: Any, request: Request, *args: Any, **kwargs: Any) -> Response:
        key = request.headers.get("Idempotency-Key", "").strip()
        if not key or not request.user.is_authenticated:
            return handler(view, request, *args, **kwargs)
        if len(key) > 100:
            return problem(400, "invalid_idempotency_key", "Idempotency-Key dài quá 100 ký tự.")
        body = json.dumps(request.data, sort_keys=True, default=str)
        fingerprint = hashlib.sha256(f"{request.method} {request.path} {body}".encode()).hexdigest()
        user: User = request.user  # authenticated, checked above
        if (stored := _stored(user, key, fingerprint)) is not None:
            return stored
        try:
            with transaction.atomic():
                response = handler(view, request, *args, **kwargs)
                if response.status_code < 300:  # only successes are replayed: a refused request may be corrected
                    answer = {"status_code": response.status_code, "body": response.data}
                    IdempotencyRecord.objects.create(user=user, key=key, fingerprint=fingerprint, **answer)
        except Exception:
            # Rolled back. If the same request ran alongside and committed first (this one then met its record, or
            # a state it had already changed), answer as it did; otherwise the error stands.
            if (stored := _stored(user, key, fingerprint)) is not None:
                return stored
            raise
        return response

    return wrapper


def purge_expired_answers() -> tuple[int, int]:
    """Erase the answers kept longer than allowed and forget old keys; return how many of each."""
    now = clock.now()
    forgotten, _ = IdempotencyRecord.objects.filter(created_at__lte=now - _key_lifetime()).delete()
    erased = (
        IdempotencyRecord.objects.filter(created_at__lte=now - _answer_lifetime())
        .exclude(fingerprint=ERASED)
        .update(body=None, fingerprint=ERASED)
    )
    return erased, forgotten


def _answer_lifetime() -> timedelta:
    return timedelta(hours=settings.MOTCUA_IDEMPOTENCY_HOURS)


def _key_lifetime() -> timedelta:
    return timedelta(days=settings.MOTCUA_IDEMPOTENCY_KEY_DAYS)


def _stored(user: User, key: str, fingerprint: str) -> Response | None:
    record = IdempotencyRecord.objects.filter(user=user, key=key).first()
    if record is None:
        return None
    if record.fingerprint == ERASED or record.created_at <= clock.now() - _answer_lifetime():
        # Not yet purged but already too old counts as erased: the answer is never given after its time.
        return problem(
            409,
            "idempotency_key_expired",
            f"Idempotency-Key này đã dùng quá {settings.MOTCUA_IDEMPOTENCY_HOURS:g} giờ trước; câu trả lời đã bị xóa "
            "nên yêu cầu không được thực hiện lại. Nếu đây là một yêu cầu mới, hãy gửi với một khóa mới.",
        )
    if record.fingerprint != fingerprint:
        return problem(422, "idempotency_key_reused", "Idempotency-Key này đã dùng cho một yêu cầu khác.")
    return Response(record.body, status=record.status_code, headers={"Idempotent-Replayed": "true"})
