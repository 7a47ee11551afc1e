from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from simple_history.admin import SimpleHistoryAdmin

from .models import AgencyIdentifier, Membership, Unit, UnitSuccession, User


class AgencyIdentifierInline(admin.TabularInline[AgencyIdentifier, Unit]):
    model = AgencyIdentifier
    extra = 0


class SuccessionInline(admin.TabularInline[UnitSuccession, Unit]):
    model = UnitSuccession
    fk_name = "predecessor"
    extra = 0
    autocomplete_fields = ["successor"]


@admin.register(Unit)
class UnitAdmin(SimpleHistoryAdmin):
    list_display = ["code", "name", "type", "parent", "valid_from", "valid_to"]
    list_filter = ["type", "province_code"]
    search_fields = ["code", "name", "search_name"]
    autocomplete_fields = ["parent"]
    inlines = [AgencyIdentifierInline, SuccessionInline]


class MembershipInline(admin.TabularInline[Membership, User]):
    model = Membership
    extra = 0
    autocomplete_fields = ["unit"]


@admin.register(User)
class UserAdmin(BaseUserAdmin[User]):
    list_display = ["username", "full_name", "kind", "phone", "email", "is_active"]
    list_filter = ["kind", "is_active", "is_superuser"]
    search_fields = ["username", "full_name", "phone", "email", "citizen_id"]
    fieldsets = (
        *(BaseUserAdmin.fieldsets or ()),
        ("Thông tin cá nhân (motcua)", {"fields": ("kind", "full_name", "phone", "citizen_id")}),
    )
    inlines = [MembershipInline]


@admin.register(Membership)
class MembershipAdmin(SimpleHistoryAdmin):
    list_display = ["user", "unit", "position", "role", "valid_from", "valid_to"]
    list_filter = ["role", "position"]
    search_fields = ["user__username", "user__full_name", "unit__name"]
    autocomplete_fields = ["user", "unit"]
