from django.urls import include, path
from rest_framework.routers import SimpleRouter

from .auth import ObtainTokenView
from .calendar import DueView, OffDaysView
from .units import UnitViewSet

router = SimpleRouter(trailing_slash=False)
router.register("units", UnitViewSet, basename="unit")

app_name = "api"
urlpatterns = [
    path("auth/token", ObtainTokenView.as_view(), name="token"),
    path("calendar/due", DueView.as_view(), name="calendar-due"),
    path("calendar/off-days", OffDaysView.as_view(), name="calendar-off-days"),
    path("", include(router.urls)),
]
