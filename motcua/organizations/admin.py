from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.http import HttpRequest
from django_otp.plugins.otp_totp.models import TOTPDevice
from knox.models import AuthToken as KnoxAuthToken
from simple_history.admin import SimpleHistoryAdmin

from .models import AgencyIdentifier, Membership, Unit, UnitSuccession, User

# No page lists or mints API tokens: django-rest-knox's own page issues a token for any account and shows it, so an
# administrator could act as any officer, and the dossier events would name the officer. Tokens come only from
# POST /api/v1/auth/token with the holder's own password.
if admin.site.is_registered(KnoxAuthToken):
    admin.site.unregister(KnoxAuthToken)


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
        ("VNeID", {"fields": ("vneid_verified_at", "vneid_subject")}),
    )
    # Written by the VNeID sign-in alone: a link typed by hand would let someone else's VNeID open the account.
    readonly_fields = ("vneid_verified_at", "vneid_subject")
    inlines = [MembershipInline]


@admin.register(Membership)
class MembershipAdmin(SimpleHistoryAdmin):
    list_display = ["user", "unit", "position", "role", "valid_from", "valid_to"]
    list_filter = ["role", "position"]
    search_fields = ["user__username", "user__full_name", "unit__name"]
    autocomplete_fields = ["user", "unit"]


# An administrator removes a lost authenticator, and its holder sets a new one up at the next sign-in. The secret key
# and its QR code are never shown here: with them an administrator could pass any official's second factor.
if admin.site.is_registered(TOTPDevice):
    admin.site.unregister(TOTPDevice)


@admin.register(TOTPDevice)
class AuthenticatorAdmin(admin.ModelAdmin[TOTPDevice]):
    list_display = ["user", "name", "confirmed", "created_at", "last_used_at"]
    list_filter = ["confirmed"]
    search_fields = ["user__username", "user__full_name"]
    fields = readonly_fields = ("user", "name", "confirmed", "created_at", "last_used_at")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: TOTPDevice | None = None) -> bool:
        return False
