"""The Idempotency-Key header on POST: a double click or a retried request never creates a second dossier."""

import hashlib
import json
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.db import transaction
from drf_spectacular.utils import OpenApiParameter
from rest_framework.request import Request
from rest_framework.response import Response

from motcua.organizations.models import User

from .models import IdempotencyRecord
from .problems import problem

Handler = Callable[..., Response]
# For the OpenAPI description of every POST that takes the header.
IDEMPOTENCY_KEY = OpenApiParameter("Idempotency-Key", str, OpenApiParameter.HEADER, required=False)


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


def _stored(user: User, key: str, fingerprint: str) -> Response | None:
    record = IdempotencyRecord.objects.filter(user=user, key=key).first()
    if record is None:
        return None
    if record.fingerprint != fingerprint:
        return problem(422, "idempotency_key_reused", "Idempotency-Key này đã dùng cho một yêu cầu khác.")
    return Response(record.body, status=record.status_code, headers={"Idempotent-Replayed": "true"})
