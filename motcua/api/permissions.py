from typing import Any

from rest_framework.permissions import SAFE_METHODS, BasePermission
from rest_framework.request import Request

from motcua.organizations.selectors import is_system_admin


class ReadAnyoneWriteAdmin(BasePermission):
    """Public reference data: anyone reads, only a system admin writes."""

    def has_permission(self, request: Request, view: Any) -> bool:
        if request.method in SAFE_METHODS:
            return True
        return bool(request.user and request.user.is_authenticated and is_system_admin(request.user))
