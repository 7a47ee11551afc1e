from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

from .forms import SubscriptionForm
from .models import OutboundMessage, State, Subscription
from .services import resend

FIELDS = (
    "message_id",
    "queue",
    "kind",
    "key",
    "sequence",
    "topic",
    "state",
    "created_at",
    "pending_since",
    "attempts",
    "next_attempt_at",
    "last_status",
    "answer",
    "delivered_at",
    "payload",
)


@admin.register(OutboundMessage)
class OutboundMessageAdmin(admin.ModelAdmin[OutboundMessage]):
    """What went to the national portal and the subscribers, with the receiver's answer; dead letters resent here."""

    list_display = ["created_at", "queue", "key", "sequence", "topic", "state", "attempts", "last_status", "answer"]
    list_filter = ["state", "queue", "kind"]
    search_fields = ["key", "=message_id"]
    date_hierarchy = "created_at"
    actions = ["resend_selected", "resend_all_dead"]
    fields = readonly_fields = FIELDS

    @admin.action(description="Gửi lại các thông điệp đã chọn", permissions=["change"])
    def resend_selected(self, request: HttpRequest, queryset: QuerySet[OutboundMessage]) -> None:
        self._report(request, resend(queryset, actor=request.user))

    @admin.action(description="Gửi lại tất cả thông điệp không gửi được", permissions=["change"])
    def resend_all_dead(self, request: HttpRequest, queryset: QuerySet[OutboundMessage]) -> None:
        self._report(request, resend(OutboundMessage.objects.filter(state=State.DEAD), actor=request.user))

    def _report(self, request: HttpRequest, count: int) -> None:
        if count:
            self.message_user(request, f"Đã đưa {count} thông điệp trở lại hàng chờ gửi.", messages.SUCCESS)
        else:
            self.message_user(request, "Không có thông điệp không gửi được nào trong số đã chọn.", messages.WARNING)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: OutboundMessage | None = None) -> bool:
        # A message is a record and is never edited; the list-level permission only gates the resend actions.
        return obj is None and super().has_change_permission(request)

    def has_delete_permission(self, request: HttpRequest, obj: OutboundMessage | None = None) -> bool:
        return False


@admin.register(Subscription)
class SubscriptionAdmin(admin.ModelAdmin[Subscription]):
    form = SubscriptionForm
    list_display = ["name", "url", "active", "created_at"]
    list_filter = ["active"]
    readonly_fields = ["secret", "created_at"]

    def has_delete_permission(self, request: HttpRequest, obj: Subscription | None = None) -> bool:
        # Its messages name it: a subscription that should stop is made inactive.
        return False
