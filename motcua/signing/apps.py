from django.apps import AppConfig


class SigningConfig(AppConfig):
    name = "motcua.signing"
    verbose_name = "Thẩm quyền ký và chữ ký số"
