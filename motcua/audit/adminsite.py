"""The admin site: whatever ModelAdmin is registered (ours, auth's Group, third parties'), its edits are audited."""

from typing import Any

from django.contrib.admin import AdminSite, ModelAdmin
from django.db.models import Model, QuerySet
from django.http import HttpRequest

from .models import Kind
from .services import record_request


class AuditedAdminMixin:
    """Append an audit row wherever Django's admin writes its own LogEntry."""

    def log_addition(self, request: HttpRequest, obj: Model, message: Any) -> Any:
        entry = super().log_addition(request, obj, message)  # type: ignore[misc]
        _record(request, Kind.ADMIN_ADDITION, obj, {"change": message})
        return entry

    def log_change(self, request: HttpRequest, obj: Model, message: Any) -> Any:
        entry = super().log_change(request, obj, message)  # type: ignore[misc]
        _record(request, Kind.ADMIN_CHANGE, obj, {"change": message})
        return entry

    def log_deletions(self, request: HttpRequest, queryset: QuerySet[Model]) -> Any:
        entries = super().log_deletions(request, queryset)  # type: ignore[misc]
        objects = list(queryset)
        if objects:  # one row for a bulk deletion: at most one audit insert per request
            first = objects[0]
            deleted = [{"id": str(o.pk), "repr": str(o)[:200]} for o in objects]
            record_request(
                request,
                Kind.ADMIN_DELETION,
                object_type=first._meta.label,
                object_id=first.pk if len(objects) == 1 else "",
                details={"deleted": deleted},
            )
        return entries


def _record(request: HttpRequest, kind: Kind, obj: Model, details: dict[str, Any]) -> None:
    details = {"repr": str(obj)[:200], **details}
    record_request(request, kind, object_type=obj._meta.label, object_id=obj.pk, details=details)


class AuditedAdminSite(AdminSite):
    def register(self, model_or_iterable: Any, admin_class: Any = None, **options: Any) -> None:
        admin_class = admin_class or ModelAdmin
        if not issubclass(admin_class, AuditedAdminMixin):
            # Subclassed here rather than in every admin module, so that no registration can forget it.
            namespace = {"__module__": admin_class.__module__}
            admin_class = type(admin_class.__name__, (AuditedAdminMixin, admin_class), namespace)
        super().register(model_or_iterable, admin_class, **options)
