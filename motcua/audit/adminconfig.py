"""Django's admin app with a site that audits every edit; INSTALLED_APPS names it instead of django.contrib.admin."""

from django.contrib.admin.apps import AdminConfig


class AuditedAdminConfig(AdminConfig):
    default_site = "motcua.audit.adminsite.AuditedAdminSite"
