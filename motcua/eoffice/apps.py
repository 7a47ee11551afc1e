from django.apps import AppConfig


class EofficeConfig(AppConfig):
    name = "motcua.eoffice"
    verbose_name = "Văn bản đến, văn bản đi (Nghị định 30/2020/NĐ-CP)"
