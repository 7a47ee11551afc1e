from django.urls import include, path
from rest_framework.routers import SimpleRouter

from .auth import ObtainTokenView
from .units import UnitViewSet

router = SimpleRouter(trailing_slash=False)
router.register("units", UnitViewSet, basename="unit")

app_name = "api"
urlpatterns = [
    path("auth/token", ObtainTokenView.as_view(), name="token"),
    path("", include(router.urls)),
]
