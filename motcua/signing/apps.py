from django.apps import AppConfig


class SigningConfig(AppConfig):
    name = "motcua.signing"
    verbose_name = "Thẩm quyền ký và chữ ký số"

    def ready(self) -> None:
        from motcua.dossiers.rules import use_signing

        from .dossier_results import RegisterSigning

        use_signing(RegisterSigning())
