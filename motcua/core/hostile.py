"""Refuse, before any view reads them, values no database column can store and JSON nested beyond any real document.

PostgreSQL's text and jsonb types cannot hold U+0000, and a lone surrogate (which JSON's `\\ud800` escape can carry)
cannot be encoded to UTF-8 at all: either one turned into a server error wherever it reached a query. SQLite stores
both, which is why the tests of this module run on PostgreSQL. The refusal is a `SuspiciousOperation`, so Django
answers it through `handler400`: problem+json under /api/, the Vietnamese 400 page elsewhere.
"""

import json
import re
from collections.abc import Callable, Iterable
from typing import Any

from django.core.exceptions import SuspiciousOperation
from django.http import HttpRequest, HttpResponse
from django.http.multipartparser import MultiPartParserError

# U+0000, and the surrogate code points that only a broken encoder or a JSON escape produces.
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")
# The deepest document the API takes (a catalogue record: procedures → cases → components → papers) nests
# about eight levels; Python's own parser gives up near a thousand, with a RecursionError.
MAX_JSON_DEPTH = 32


class UnstorableCharacter(SuspiciousOperation):
    """A path, query, header, cookie or body value holds a character no text column can store."""


class JsonTooDeep(SuspiciousOperation):
    """A JSON body nests deeper than MAX_JSON_DEPTH."""


class UnreadableBody(SuspiciousOperation):
    """A form body that cannot be parsed (a multipart body without its boundary, for one)."""


class HostileInputMiddleware:
    """Check every value of the request once, so that no view, form or serializer has to."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        check_request(request)
        return self.get_response(request)


def check_request(request: HttpRequest) -> None:
    """Raise a SuspiciousOperation if any value of the request cannot be stored or parsed safely."""
    _refuse_unstorable("đường dẫn", [request.path_info])
    for key, values in request.GET.lists():
        _refuse_unstorable("tham số", [key, *values])
    headers = [value for name, value in request.META.items() if name.startswith("HTTP_") and isinstance(value, str)]
    _refuse_unstorable("tiêu đề", headers)
    _refuse_unstorable("cookie", [*request.COOKIES, *request.COOKIES.values()])
    if request.method in {"GET", "HEAD", "OPTIONS"}:
        return
    content_type = request.content_type or ""
    if content_type == "application/json" or content_type.endswith("+json"):
        _check_json(request.body)
    elif content_type in {"application/x-www-form-urlencoded", "multipart/form-data"}:
        _check_form(request)


def _refuse_unstorable(where: str, values: Iterable[str]) -> None:
    for value in values:
        if _UNSTORABLE.search(value):
            raise UnstorableCharacter(f"Ký tự không lưu được trong {where}.")


def _check_form(request: HttpRequest) -> None:
    # File names need no check: Django's multipart parser drops the characters that cannot be printed.
    try:
        fields = request.POST
    except MultiPartParserError as error:
        raise UnreadableBody(str(error)) from error
    for key, values in fields.lists():
        _refuse_unstorable("biểu mẫu", [key, *values])


def _check_json(body: bytes) -> None:
    try:
        document = json.loads(body)
    except RecursionError as error:
        raise JsonTooDeep(f"JSON lồng quá {MAX_JSON_DEPTH} cấp.") from error
    except ValueError:
        return  # not JSON at all: the parser of the view that reads it answers with its own parse error
    # Walked with a list rather than recursion, so that the walk itself has no depth limit to hit.
    pending: list[tuple[Any, int]] = [(document, 1)]
    while pending:
        value, depth = pending.pop()
        if isinstance(value, str):
            _refuse_unstorable("JSON", [value])
        elif isinstance(value, (dict, list)):
            if depth > MAX_JSON_DEPTH:
                raise JsonTooDeep(f"JSON lồng quá {MAX_JSON_DEPTH} cấp.")
            if isinstance(value, dict):
                _refuse_unstorable("JSON", value.keys())
                value = value.values()
            pending.extend((item, depth + 1) for item in value)
