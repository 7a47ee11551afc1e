from django.apps import AppConfig


class AssessmentsConfig(AppConfig):
    name = "motcua.assessments"
    verbose_name = "Kiểm tra năng lực công chức"
