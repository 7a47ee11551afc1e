from django.apps import AppConfig


class ParConfig(AppConfig):
    name = "motcua.par"
    verbose_name = "Chỉ số cải cách hành chính (PAR index) của sở, ngành và xã"
