from csp.decorators import csp_update
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from motcua.portal.signin import SignInView
from motcua.portal.views import after_login, healthz

# Under /api/ every error is problem+json, including those Django answers before (or without) a view.
handler400 = "motcua.api.problems.bad_request"
handler403 = "motcua.api.problems.permission_denied"
handler404 = "motcua.api.problems.page_not_found"
handler500 = "motcua.api.problems.server_error"

admin.site.site_header = "Quản trị hệ thống một cửa"
admin.site.site_title = "motcua"

# Patterns are tried in order, and the portal's sit under the empty prefix: the API goes first so that its requests
# (public tracking above all) do not walk the portal's list.
urlpatterns = [
    path("api/v1/", include("motcua.api.urls")),
    path("healthz", healthz, name="healthz"),
    path("", include("motcua.portal.urls")),
    path("can-bo/", include("motcua.office.urls")),
    path("dang-nhap/", SignInView.as_view(), name="login"),
    path("dang-xuat/", auth_views.LogoutView.as_view(), name="logout"),
    path("sau-dang-nhap/", after_login, name="after-login"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("quan-tri/", admin.site.urls),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    # Swagger UI's script comes from the same view (?script); its page keeps an inline <style> and style attributes.
    path(
        "api/docs/",
        csp_update({"style-src": ["'unsafe-inline'"]})(SpectacularSwaggerSplitView.as_view(url_name="schema")),
        name="api-docs",
    ),
]
