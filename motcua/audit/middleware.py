"""One audit row for every page, file or export that shows a citizen's personal data to someone."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from motcua.core.clientip import client_ip

from .models import Kind
from .services import record_request, request_address

# URL name → (what was done, the kind of object its `code`/id names). Actions (POST) are audited as dossier events.
PERSONAL_DATA_VIEWS: dict[str, tuple[Kind, str]] = {
    "office:dossier": (Kind.PERSONAL_DATA_VIEW, "dossier"),
    "office:dossier-result": (Kind.PERSONAL_DATA_VIEW, "dossier"),
    "office:sign-result": (Kind.PERSONAL_DATA_VIEW, "dossier"),
    "office:dossier-file": (Kind.PERSONAL_DATA_DOWNLOAD, "dossier"),
    "office:dossier-form": (Kind.PERSONAL_DATA_DOWNLOAD, "dossier"),
    "office:result-pdf": (Kind.PERSONAL_DATA_DOWNLOAD, "dossier"),
    "office:signed-pdf": (Kind.PERSONAL_DATA_DOWNLOAD, "document"),
    "office:register": (Kind.PERSONAL_DATA_EXPORT, "unit"),
    "api:dossier": (Kind.PERSONAL_DATA_VIEW, "dossier"),
    "api:dossier-events": (Kind.PERSONAL_DATA_VIEW, "dossier"),
    "api:dossier-filled-form": (Kind.PERSONAL_DATA_VIEW, "dossier"),
    "office:dossier-declaration": (Kind.PERSONAL_DATA_DOWNLOAD, "dossier"),
    "api:dossier-national-record": (Kind.PERSONAL_DATA_VIEW, "dossier"),
    "api:dossier-results": (Kind.PERSONAL_DATA_VIEW, "dossier"),
    "api:dossier-form": (Kind.PERSONAL_DATA_DOWNLOAD, "dossier"),
    "api:register": (Kind.PERSONAL_DATA_EXPORT, "unit"),
}
_OBJECT_KEYS = ("code", "public_id", "unit_id")
_READS = {"GET", "HEAD"}


class PersonalDataAuditMiddleware:
    """Record who was shown which dossier's personal data; give domain code's rows the request's address."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = request_address.set(client_ip(request))
        try:
            response = self.get_response(request)
        finally:
            request_address.reset(token)
        match = request.resolver_match
        if match is None or request.method not in _READS or response.status_code >= 400:
            return response
        audited = PERSONAL_DATA_VIEWS.get(match.view_name)
        if audited is not None:
            kind, object_type = audited
            object_id = next((match.kwargs[key] for key in _OBJECT_KEYS if key in match.kwargs), "")
            shown = {key: str(value) for key, value in match.kwargs.items() if key not in _OBJECT_KEYS}
            details = {"view": match.view_name, "path": request.path, **shown}
            if request.GET:  # the period or filter of an export says which people were in it
                details["query"] = request.GET.urlencode()
            record_request(request, kind, object_type=object_type, object_id=object_id, details=details)
        return response
