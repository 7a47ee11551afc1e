"""The Idempotency-Key header on POST: a double click or a retried request never creates a second dossier."""

import hashlib
import json
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.db import IntegrityError, transaction
from rest_framework.request import Request
from rest_framework.response import Response

from .models import IdempotencyRecord
from .problems import problem

Handler = Callable[..., Response]


def idempotent(handler: Handler) -> Handler:
    """Replay the stored answer for a key already used by this caller; run the request once otherwise."""

    @wraps(handler)
    def wrapper(view: Any, request: Request, *args: Any, **kwargs: Any) -> Response:
        key = request.headers.get("Idempotency-Key", "").strip()
        if not key or not request.user.is_authenticated:
            return handler(view, request, *args, **kwargs)
        if len(key) > 100:
            return problem(400, "invalid_idempotency_key", "Idempotency-Key dài quá 100 ký tự.")
        body = json.dumps(request.data, sort_keys=True, default=str)
        fingerprint = hashlib.sha256(f"{request.method} {request.path} {body}".encode()).hexdigest()
        try:
            with transaction.atomic():
                record = IdempotencyRecord.objects.create(user=request.user, key=key, fingerprint=fingerprint)
        except IntegrityError:
            record = IdempotencyRecord.objects.get(user=request.user, key=key)
            if record.fingerprint != fingerprint:
                return problem(422, "idempotency_key_reused", "Idempotency-Key này đã dùng cho một yêu cầu khác.")
            if record.status_code is None:
                return problem(409, "request_in_progress", "Yêu cầu giống hệt đang được xử lý; vui lòng chờ.")
            return Response(record.body, status=record.status_code, headers={"Idempotent-Replayed": "true"})
        try:
            response = handler(view, request, *args, **kwargs)
        except Exception:
            record.delete()  # a failed attempt may be retried with the same key
            raise
        if response.status_code >= 300:
            record.delete()  # only successes are replayed; a refused request may be corrected and sent again
        else:
            record.status_code, record.body = response.status_code, response.data
            record.save(update_fields=["status_code", "body"])
        return response

    return wrapper
