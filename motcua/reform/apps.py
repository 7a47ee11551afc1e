from django.apps import AppConfig


class ReformConfig(AppConfig):
    name = "motcua.reform"
    verbose_name = "Quản lý cải cách hành chính"
