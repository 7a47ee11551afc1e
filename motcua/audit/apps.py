from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "motcua.audit"
    verbose_name = "Nhật ký kiểm toán"

    def ready(self) -> None:
        # Sign-in, sign-out and failed sign-in are only announced through django.contrib.auth's signals.
        from . import signins  # noqa: F401
