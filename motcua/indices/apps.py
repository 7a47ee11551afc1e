from django.apps import AppConfig


class IndicesConfig(AppConfig):
    name = "motcua.indices"
    verbose_name = "Chỉ số chất lượng phục vụ"
