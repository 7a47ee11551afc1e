from django.apps import AppConfig


class OfficeConfig(AppConfig):
    name = "motcua.office"
    verbose_name = "Trang làm việc của cán bộ"
