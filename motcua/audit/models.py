"""The audit log: one append-only, hash-chained row per thing worth answering for later."""

from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history import register
from simple_history.models import HistoricalRecords

from motcua.core.errors import ConflictError
from motcua.organizations.models import User


class Kind(models.TextChoices):
    DOSSIER_EVENT = "dossier.event", _("Sự kiện hồ sơ")
    SIGN_IN = "auth.sign_in", _("Đăng nhập")
    SIGN_IN_FAILED = "auth.sign_in_failed", _("Đăng nhập không thành công")
    SIGN_OUT = "auth.sign_out", _("Đăng xuất")
    ADMIN_ADDITION = "admin.addition", _("Quản trị: thêm")
    ADMIN_CHANGE = "admin.change", _("Quản trị: sửa")
    ADMIN_DELETION = "admin.deletion", _("Quản trị: xóa")
    PERSONAL_DATA_VIEW = "personal_data.view", _("Xem dữ liệu cá nhân")
    PERSONAL_DATA_DOWNLOAD = "personal_data.download", _("Tải tệp chứa dữ liệu cá nhân")
    PERSONAL_DATA_EXPORT = "personal_data.export", _("Xuất dữ liệu cá nhân")
    OUTBOX_RESEND = "outbox.resend", _("Gửi lại thông điệp liên thông")


class AuditRecord(models.Model):
    """Who did or saw what, when, from where; `hash` covers the row and the previous row's hash."""

    # The chain's order is its own: a gap, a repeat or a swap is what `motcua audit verify` looks for.
    sequence = models.BigIntegerField(_("số thứ tự"), primary_key=True)
    at = models.DateTimeField(_("lúc"))
    kind = models.CharField(_("loại"), max_length=32, choices=Kind.choices)
    # No foreign key: the row must outlive the account and must never be rewritten by an ON DELETE rule.
    actor_id = models.BigIntegerField(_("mã tài khoản"), null=True, blank=True)
    actor = models.CharField(_("tài khoản"), max_length=150, blank=True)
    object_type = models.CharField(_("đối tượng"), max_length=64, blank=True)
    object_id = models.CharField(_("mã đối tượng"), max_length=64, blank=True)
    client_address = models.CharField(_("địa chỉ máy khách"), max_length=64, blank=True)
    details = models.JSONField(default=dict, blank=True)
    previous_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("bản ghi kiểm toán")
        verbose_name_plural = _("nhật ký kiểm toán")
        ordering = ["sequence"]

    def __str__(self) -> str:
        return f"#{self.sequence} {self.kind} {self.actor} {self.object_type}:{self.object_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise ConflictError("Nhật ký kiểm toán không được sửa.")
        super().save(*args, force_insert=True, **{k: v for k, v in kwargs.items() if k != "force_insert"})

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise ConflictError("Nhật ký kiểm toán không được xóa.")

    def chained_fields(self) -> dict[str, Any]:
        """Return what the hash covers: everything but the sequence and the hashes."""
        # The sequence is left out: a row moved to another place still matches its own hash, so `verify` can tell a
        # reordering (the link to the row before breaks) from an edit (the row's own hash breaks).
        return {
            "at": self.at,
            "kind": self.kind,
            "actor_id": self.actor_id,
            "actor": self.actor,
            "object_type": self.object_type,
            "object_id": self.object_id,
            "client_address": self.client_address,
            "details": self.details,
        }


class AuditDigest(models.Model):
    """The chain's head at the end of a day: printed or sent elsewhere, it shows that no earlier row was rewritten."""

    day = models.DateField(_("ngày"), primary_key=True)
    first_sequence = models.BigIntegerField(null=True, blank=True)
    last_sequence = models.BigIntegerField(null=True, blank=True)
    rows = models.PositiveIntegerField(_("số bản ghi"))
    head_hash = models.CharField(max_length=64)
    made_at = models.DateTimeField(_("lập lúc"))

    class Meta:
        verbose_name = _("bản tóm lược kiểm toán trong ngày")
        verbose_name_plural = _("bản tóm lược kiểm toán trong ngày")
        ordering = ["day"]

    def __str__(self) -> str:
        return f"{self.day.isoformat()} {self.rows} {self.head_hash}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise ConflictError("Bản tóm lược kiểm toán không được sửa.")
        super().save(*args, force_insert=True, **{k: v for k, v in kwargs.items() if k != "force_insert"})


class AccountHistory(HistoricalRecords):
    """Keep a version of an account whenever something other than its last sign-in time changed."""

    def post_save(self, instance: Any, created: bool, using: str | None = None, **kwargs: Any) -> None:
        changed = kwargs.get("update_fields")
        if changed is not None and set(changed) <= {"last_login"}:
            return  # a sign-in, which the audit log records
        super().post_save(instance, created, using=using, **kwargs)


# Accounts keep their history like memberships do (organizations' Membership has HistoricalRecords); kept here so
# that the history table is this app's. Password hashes and sign-in times stay out of it.
register(User, app="motcua.audit", records_class=AccountHistory, excluded_fields=["password", "last_login"])
