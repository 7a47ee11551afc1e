"""Every API error as application/problem+json (RFC 9457) with a Vietnamese `detail` and a stable `code`."""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler

from motcua.core.errors import DomainError

PROBLEM_CONTENT_TYPE = "application/problem+json"

# DRF's own messages are translated by Django's Vietnamese catalogue; these give each case a stable code and title.
_TITLES = {
    400: "Dữ liệu không hợp lệ",
    401: "Chưa xác thực",
    403: "Không có quyền",
    404: "Không tìm thấy",
    405: "Phương thức không được hỗ trợ",
    406: "Định dạng không được hỗ trợ",
    409: "Xung đột dữ liệu",
    415: "Kiểu dữ liệu không được hỗ trợ",
    429: "Quá nhiều yêu cầu",
}
_DETAILS = {
    "not_authenticated": "Cần đăng nhập hoặc gửi token hợp lệ (Authorization: Token ...).",
    "authentication_failed": "Thông tin xác thực không đúng.",
    "permission_denied": "Tài khoản của bạn không có quyền thực hiện thao tác này.",
    "not_found": "Không tìm thấy tài nguyên được yêu cầu.",
    "method_not_allowed": "Phương thức HTTP này không được hỗ trợ tại địa chỉ này.",
    "parse_error": "Nội dung gửi lên không đọc được (JSON không hợp lệ).",
    "unsupported_media_type": "Kiểu nội dung gửi lên không được hỗ trợ.",
    "throttled": "Bạn đã gửi quá nhiều yêu cầu; vui lòng thử lại sau.",
}


def problem(status_code: int, code: str, detail: str, **extra: Any) -> Response:
    """Build a problem+json response."""
    body = {"type": "about:blank", "title": _TITLES.get(status_code, "Lỗi"), "status": status_code}
    body |= {"detail": detail, "code": code, **extra}
    return Response(body, status=status_code, content_type=PROBLEM_CONTENT_TYPE)


def problem_exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, DomainError):
        extra = {"errors": {exc.field: [exc.message]}} if exc.field else {}
        return problem(exc.status, exc.code, exc.message, **extra)
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(exc.message_dict if hasattr(exc, "error_dict") else exc.messages)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    if isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    response = exception_handler(exc, context)
    if response is None or not isinstance(exc, exceptions.APIException):
        return response
    if isinstance(exc, exceptions.ValidationError):
        return problem(
            status.HTTP_400_BAD_REQUEST,
            "invalid",
            "Dữ liệu gửi lên chưa hợp lệ; xem chi tiết từng trường trong `errors`.",
            errors=response.data,
        )
    code = exc.get_codes() if isinstance(exc.get_codes(), str) else exc.default_code
    detail = _DETAILS.get(str(code), str(exc.detail))
    result = problem(response.status_code, str(code), detail)
    for header in ("WWW-Authenticate", "Allow", "Retry-After"):
        if header in response:
            result[header] = response[header]
    return result
