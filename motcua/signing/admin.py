from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import DocumentType, IssuingBody, Refusal, RegisterEntry, ResultSigning, SignedDocument


@admin.register(DocumentType)
class DocumentTypeAdmin(admin.ModelAdmin[DocumentType]):
    list_display = ["name", "abbreviation", "code", "legal_basis"]
    search_fields = ["name", "code"]


class EntryInline(admin.TabularInline[RegisterEntry, IssuingBody]):
    model = RegisterEntry
    extra = 0
    fields = ["official", "mode", "title", "valid_from", "valid_to", "decision_number", "decision_date"]
    autocomplete_fields = ["official"]
    show_change_link = True


@admin.register(IssuingBody)
class IssuingBodyAdmin(SimpleHistoryAdmin):
    list_display = ["unit", "regime", "head_title", "symbol"]
    search_fields = ["unit__name", "unit__code"]
    autocomplete_fields = ["unit"]
    inlines = [EntryInline]


@admin.register(RegisterEntry)
class RegisterEntryAdmin(SimpleHistoryAdmin):
    list_display = ["official", "mode", "title", "body", "valid_from", "valid_to", "decision_number"]
    list_filter = ["mode"]
    search_fields = ["official__full_name", "official__username", "body__unit__name", "decision_number"]
    autocomplete_fields = ["official", "body", "delegated_from"]
    filter_horizontal = ["fields", "document_types"]


@admin.register(ResultSigning)
class ResultSigningAdmin(admin.ModelAdmin[ResultSigning]):
    list_display = ["version", "document_type", "body"]
    autocomplete_fields = ["body"]
    raw_id_fields = ["version"]


class ReadOnlyAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Append-only records: shown, never added, changed or deleted by hand."""

    def has_add_permission(self, request: object, obj: object = None) -> bool:
        return False

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: object, obj: object = None) -> bool:
        return False


@admin.register(Refusal)
class RefusalAdmin(ReadOnlyAdmin):
    list_display = ["at", "official", "unit", "document_type", "reason"]
    list_filter = ["unit"]


@admin.register(SignedDocument)
class SignedDocumentAdmin(ReadOnlyAdmin):
    list_display = ["notation", "summary", "official", "body", "signed_at"]
    search_fields = ["notation", "summary", "sha256"]
