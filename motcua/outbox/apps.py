from django.apps import AppConfig


class OutboxConfig(AppConfig):
    name = "motcua.outbox"
    verbose_name = "Hộp thư đi liên thông"
