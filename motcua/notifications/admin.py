from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

from .models import OutgoingMessage
from .services import retry_failed

FIELDS = (
    "channel",
    "recipient",
    "subject",
    "body",
    "reference",
    "created_at",
    "status",
    "attempts",
    "next_attempt_at",
    "sent_at",
    "last_error",
)


@admin.register(OutgoingMessage)
class OutgoingMessageAdmin(admin.ModelAdmin[OutgoingMessage]):
    """Read-only record of what was sent, with a way to put failed messages back in the queue."""

    list_display = ["created_at", "channel", "recipient", "subject", "reference", "status", "attempts", "sent_at"]
    list_filter = ["status", "channel"]
    search_fields = ["recipient", "reference"]
    date_hierarchy = "created_at"
    actions = ["resend"]
    fields = readonly_fields = FIELDS

    @admin.action(description="Gửi lại", permissions=["change"])
    def resend(self, request: HttpRequest, queryset: QuerySet[OutgoingMessage]) -> None:
        """Reset the selected failed messages to pending so that the worker sends them again."""
        count = retry_failed(queryset)
        if count:
            self.message_user(request, f"Đã đưa {count} thư, tin nhắn trở lại hàng chờ gửi.", messages.SUCCESS)
        else:
            self.message_user(
                request, "Không có thư, tin nhắn gửi không thành công nào trong số đã chọn.", messages.WARNING
            )

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: OutgoingMessage | None = None) -> bool:
        # Messages are a record and are never edited; the list-level permission only gates the "Gửi lại" action.
        return obj is None and super().has_change_permission(request)

    def has_delete_permission(self, request: HttpRequest, obj: OutgoingMessage | None = None) -> bool:
        return False
