from django.apps import AppConfig


class CatalogueConfig(AppConfig):
    name = "motcua.catalogue"
    verbose_name = "Danh mục thủ tục hành chính"
