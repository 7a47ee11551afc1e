"""Every API error as application/problem+json (RFC 9457) with a Vietnamese `detail` and a stable `code`."""

import json
from typing import Any

from django.core.exceptions import PermissionDenied, RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.views import defaults
from rest_framework import exceptions, serializers, status
from rest_framework.response import Response
from rest_framework.views import exception_handler

from motcua.core.errors import DomainError
from motcua.core.hostile import MAX_JSON_DEPTH, JsonTooDeep, UnreadableBody, UnstorableCharacter

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
    413: "Nội dung quá lớn",
    415: "Kiểu dữ liệu không được hỗ trợ",
    422: "Không xử lý được yêu cầu",
    429: "Quá nhiều yêu cầu",
    500: "Lỗi hệ thống",
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


def title_of(status_code: int) -> str:
    return _TITLES.get(status_code, "Lỗi")


def problem(status_code: int, code: str, detail: str, **extra: Any) -> Response:
    """Build a problem+json response."""
    body = {"type": "about:blank", "title": title_of(status_code), "status": status_code}
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


class ProblemSerializer(serializers.Serializer[None]):
    """Lỗi theo RFC 9457 (application/problem+json): `code` ổn định để máy đọc, `detail` bằng tiếng Việt."""

    type = serializers.CharField(default="about:blank")
    title = serializers.CharField()
    status = serializers.IntegerField()
    detail = serializers.CharField()
    code = serializers.CharField()
    errors = serializers.JSONField(  # type: ignore[assignment]  # the member name RFC 9457 clients read
        required=False, help_text="Lỗi của từng trường (tên trường → danh sách lỗi)."
    )


# Django's own error pages (no view answered, or the request was refused before one could), as problems under /api/.
_BAD_REQUESTS: list[tuple[type[Exception], int, str, str]] = [
    (
        UnstorableCharacter,
        400,
        "invalid_characters",
        "Dữ liệu gửi lên chứa ký tự không được phép (ký tự NUL hoặc mã Unicode không hợp lệ).",
    ),
    (JsonTooDeep, 400, "too_deep", f"Nội dung JSON lồng nhau quá sâu (tối đa {MAX_JSON_DEPTH} cấp)."),
    (UnreadableBody, 400, "parse_error", "Nội dung biểu mẫu gửi lên không đọc được."),
    (RequestDataTooBig, 413, "too_large", "Nội dung gửi lên vượt quá dung lượng cho phép."),
    (TooManyFieldsSent, 400, "too_many_fields", "Yêu cầu có quá nhiều trường dữ liệu."),
    (TooManyFilesSent, 400, "too_many_files", "Yêu cầu gửi lên quá nhiều tệp."),
]


def is_api(request: HttpRequest) -> bool:
    return request.path_info.startswith("/api/")


def problem_page(status_code: int, code: str, detail: str) -> HttpResponse:
    """Build a problem+json answer outside DRF, where no renderer has been negotiated."""
    body = {"type": "about:blank", "title": title_of(status_code), "status": status_code}
    body |= {"detail": detail, "code": code}
    content = json.dumps(body, ensure_ascii=False, separators=(",", ":"))
    return HttpResponse(content, status=status_code, content_type=PROBLEM_CONTENT_TYPE)


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    """Answer handler400: refused input, oversize bodies, too many fields."""
    if not is_api(request):
        return defaults.bad_request(request, exception)
    for kind, status_code, code, detail in _BAD_REQUESTS:
        if isinstance(exception, kind):
            return problem_page(status_code, code, detail)
    return problem_page(400, "bad_request", "Yêu cầu không hợp lệ.")


def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    """Answer handler403."""
    if not is_api(request):
        return defaults.permission_denied(request, exception)
    return problem_page(403, "permission_denied", _DETAILS["permission_denied"])


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    """Answer handler404: under /api/, a path that matches no operation."""
    if not is_api(request):
        return defaults.page_not_found(request, exception)
    return problem_page(404, "not_found", "Không có địa chỉ API này; xem danh sách tại /api/docs/.")


def server_error(request: HttpRequest) -> HttpResponse:
    """Answer handler500."""
    if not is_api(request):
        return defaults.server_error(request)
    return problem_page(500, "server_error", "Hệ thống gặp sự cố khi xử lý yêu cầu; vui lòng thử lại sau ít phút.")
