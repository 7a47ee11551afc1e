from django.apps import AppConfig


class OrganizationsConfig(AppConfig):
    name = "motcua.organizations"
    verbose_name = "Tổ chức, đơn vị và cán bộ"
