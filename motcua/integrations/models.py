"""What the integrations keep: online payment orders, each callback the platform sent, and the daily reconciliation.

Only `payment.services` and `payment.reconciliation` write these tables.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.dossiers.models import Dossier


class OrderStatus(models.TextChoices):
    PENDING = "pending", _("Chờ xác nhận")  # the citizen was sent to the platform; no confirmation yet
    PAID = "paid", _("Đã thanh toán")
    REFUSED = "refused", _("Không thanh toán")  # refused or cancelled on the platform


class Settlement(models.TextChoices):
    CALLBACK = "callback", _("Thông báo của nền tảng thanh toán")
    RECONCILIATION = "reconciliation", _("Đối soát hằng ngày")


class PaymentOrder(models.Model):
    """One payment order sent to the platform for a dossier's fee lines, and how it was settled."""

    reference = models.CharField(_("mã đơn thanh toán"), max_length=40, unique=True)
    dossier = models.ForeignKey(Dossier, on_delete=models.PROTECT, related_name="payment_orders")
    amount = models.PositiveBigIntegerField(_("số tiền (đồng)"))
    status = models.CharField(_("trạng thái"), max_length=10, choices=OrderStatus.choices, default=OrderStatus.PENDING)
    # The dossier's status when the order was made: 6 resumes the dossier when paid (CONFIRM_PAYMENT).
    for_status = models.PositiveSmallIntegerField()
    payment_url = models.URLField(_("địa chỉ trang thanh toán"), max_length=500)
    created_at = models.DateTimeField(_("tạo lúc"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    transaction_id = models.CharField(_("mã giao dịch của nền tảng"), max_length=64, blank=True)
    settled_at = models.DateTimeField(_("xác nhận lúc"), null=True, blank=True)
    settled_by = models.CharField(_("xác nhận qua"), max_length=16, choices=Settlement.choices, blank=True)

    class Meta:
        verbose_name = _("đơn thanh toán trực tuyến")
        verbose_name_plural = _("đơn thanh toán trực tuyến")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["dossier", "status"]), models.Index(fields=["created_at"])]

    def __str__(self) -> str:
        return self.reference


class PaymentLine(models.Model):
    """A fee line of an order: a fee of the dossier's pinned procedure version, marked paid when the order is."""

    order = models.ForeignKey(PaymentOrder, on_delete=models.CASCADE, related_name="lines")
    code = models.CharField(_("mã phí, lệ phí"), max_length=40, blank=True)
    description = models.TextField(_("nội dung"))
    amount = models.PositiveBigIntegerField(_("số tiền (đồng)"))
    paid_at = models.DateTimeField(_("đã nộp lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("khoản phí, lệ phí thanh toán")
        verbose_name_plural = _("khoản phí, lệ phí thanh toán")
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return f"{self.code} {self.amount}"


class CallbackOutcome(models.TextChoices):
    APPLIED = "applied", _("Đã ghi nhận")
    INVALID = "invalid", _("Không đọc được")
    SIGNATURE = "payment_signature_invalid", _("Sai chữ ký")
    UNKNOWN = "payment_order_unknown", _("Không có đơn thanh toán")
    AMOUNT = "payment_amount_mismatch", _("Sai số tiền")
    REPLAYED = "payment_replayed", _("Gửi lại thông báo đã xử lý")


class PaymentCallback(models.Model):
    """Every callback the platform (or anyone) sent, with what became of it: refused ones are kept for inspection."""

    received_at = models.DateTimeField(_("nhận lúc"))
    reference = models.CharField(_("mã đơn thanh toán"), max_length=40, blank=True, db_index=True)
    outcome = models.CharField(_("kết quả"), max_length=32, choices=CallbackOutcome.choices)
    body = models.TextField(_("nội dung nhận được"), blank=True)
    remote_addr = models.CharField(max_length=45, blank=True)

    class Meta:
        verbose_name = _("thông báo kết quả thanh toán")
        verbose_name_plural = _("thông báo kết quả thanh toán")
        ordering = ["-received_at"]

    def __str__(self) -> str:
        return f"{self.reference} {self.outcome}"


class ReconciliationRun(models.Model):
    """One comparison of the platform's list of a day's transactions with our orders."""

    day = models.DateField(_("ngày đối soát"), db_index=True)
    ran_at = models.DateTimeField(_("chạy lúc"))
    platform_rows = models.PositiveIntegerField(_("số giao dịch của nền tảng"), default=0)
    settled = models.PositiveIntegerField(_("số đơn được xác nhận qua đối soát"), default=0)
    error = models.TextField(_("lỗi"), blank=True)  # the list could not be fetched or read

    class Meta:
        verbose_name = _("lần đối soát thanh toán")
        verbose_name_plural = _("lần đối soát thanh toán")
        ordering = ["-ran_at"]

    def __str__(self) -> str:
        return f"{self.day} ({self.ran_at})"


class MismatchKind(models.TextChoices):
    MISSING_HERE = "missing_here", _("Nền tảng có giao dịch, hệ thống không có đơn")
    MISSING_THERE = "missing_there", _("Hệ thống ghi đã thanh toán, nền tảng không có giao dịch")
    AMOUNT = "amount", _("Số tiền khác nhau")
    STATUS = "status", _("Trạng thái khác nhau")


class ReconciliationMismatch(models.Model):
    """A difference the reconciliation found and could not settle: for the province monitor to look into."""

    run = models.ForeignKey(ReconciliationRun, on_delete=models.CASCADE, related_name="mismatches")
    kind = models.CharField(_("loại chênh lệch"), max_length=16, choices=MismatchKind.choices)
    reference = models.CharField(_("mã đơn thanh toán"), max_length=40)
    transaction_id = models.CharField(_("mã giao dịch"), max_length=64, blank=True)
    ours = models.CharField(_("theo hệ thống"), max_length=200, blank=True)
    theirs = models.CharField(_("theo nền tảng"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("chênh lệch đối soát")
        verbose_name_plural = _("chênh lệch đối soát")
        ordering = ["run", "pk"]

    def __str__(self) -> str:
        return f"{self.reference}: {self.kind}"
