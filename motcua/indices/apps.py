from django.apps import AppConfig


class IndicesConfig(AppConfig):
    name = "motcua.indices"
    verbose_name = "Chỉ số chất lượng phục vụ"

    def ready(self) -> None:
        # The counters sit below the indices: they read the 766 counting rules through this hook.
        from motcua.dossiers.counters import use_counting

        from .config import counting_on

        use_counting(counting_on)
