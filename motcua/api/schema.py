"""The OpenAPI description of each operation, with every problem (RFC 9457) it can answer.

The error statuses are derived from what the view declares (authentication, permissions, throttles, pagination,
path parameters, request body, Idempotency-Key), so a new operation is described truthfully without a list to keep
up; `test_no_server_error.py` holds each status actually answered to the schema.
"""

from typing import Any

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiResponse
from rest_framework.authentication import SessionAuthentication
from rest_framework.permissions import SAFE_METHODS, AllowAny, IsAuthenticatedOrReadOnly

from .idempotency import IDEMPOTENCY_KEY
from .permissions import ReadAnyoneWriteAdmin
from .problems import PROBLEM_CONTENT_TYPE, ProblemSerializer, title_of

_OPEN_TO_READERS = (IsAuthenticatedOrReadOnly, ReadAnyoneWriteAdmin)


def problem_responses(*status_codes: int) -> dict[tuple[int, str], OpenApiResponse]:
    """Describe problems an operation answers that its view's declarations do not show (for `responses=`)."""
    return {
        (code, PROBLEM_CONTENT_TYPE): OpenApiResponse(ProblemSerializer, description=title_of(code))
        for code in status_codes
    }


class ProblemAutoSchema(AutoSchema):
    def _get_response_bodies(self, direction: Any = "response") -> dict[str, Any]:
        responses: dict[str, Any] = super()._get_response_bodies(direction)
        component = self.resolve_serializer(ProblemSerializer, "response")
        for status_code in sorted(self.problem_statuses()):
            responses.setdefault(
                str(status_code),
                {"description": title_of(status_code), "content": {PROBLEM_CONTENT_TYPE: {"schema": component.ref}}},
            )
        return responses

    def problem_statuses(self) -> set[int]:
        """Give the error statuses this operation can answer; 500 is never intended, so never described."""
        # 400: a value refused anywhere (a NUL byte in a header, say) or invalid; 406: an Accept it cannot serve.
        statuses = {400, 406}
        is_write = self.method not in SAFE_METHODS
        authenticators = list(self.view.authentication_classes)
        if authenticators:
            statuses.add(401)  # a wrong or expired token is refused even where no sign-in is needed
        if not self._open_to_everyone():
            statuses |= {403, 409} if is_write else {403}
        elif is_write and SessionAuthentication in authenticators:
            statuses.add(403)  # a session without its CSRF token
        paginated = self._is_list_view() and self._get_paginator() is not None  # type: ignore[no-untyped-call]
        if "{" in self.path or paginated:
            statuses.add(404)  # an unknown code, or a page past the last
        if is_write:
            statuses |= {413, 415}
        if IDEMPOTENCY_KEY in self.get_override_parameters():
            statuses.add(422)  # the key was used for another request
        if self.view.throttle_classes:
            statuses.add(429)
        return statuses

    def _open_to_everyone(self) -> bool:
        for permission in self.view.permission_classes:
            if permission is AllowAny:
                continue
            if permission in _OPEN_TO_READERS and self.method in SAFE_METHODS:
                continue
            return False
        return True
