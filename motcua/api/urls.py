from django.urls import include, path, re_path
from rest_framework.routers import SimpleRouter

from .auth import ObtainTokenView
from .calendar import DueView, OffDaysView
from .dossiers import (
    DossierActionView,
    DossierDetailView,
    DossierEventsView,
    DossierFormView,
    DossierListView,
    DossierResultsView,
    MyQueueView,
    RegisterView,
    TrackingView,
    UnitQueueView,
)
from .procedures import ProcedureDetailView, ProcedureImportView, ProcedureListView
from .units import UnitViewSet

router = SimpleRouter(trailing_slash=False)
router.register("units", UnitViewSet, basename="unit")

app_name = "api"
urlpatterns = [
    path("auth/token", ObtainTokenView.as_view(), name="token"),
    path("calendar/due", DueView.as_view(), name="calendar-due"),
    path("calendar/off-days", OffDaysView.as_view(), name="calendar-off-days"),
    path("procedures", ProcedureListView.as_view(), name="procedures"),
    path("procedures/import", ProcedureImportView.as_view(), name="procedures-import"),
    path("procedures/<str:code>", ProcedureDetailView.as_view(), name="procedure"),
    path("dossiers", DossierListView.as_view(), name="dossiers"),
    path("dossiers/<str:code>", DossierDetailView.as_view(), name="dossier"),
    path("dossiers/<str:code>/events", DossierEventsView.as_view(), name="dossier-events"),
    path("dossiers/<str:code>/actions/<str:action>", DossierActionView.as_view(), name="dossier-action"),
    path("dossiers/<str:code>/forms/<str:number>.pdf", DossierFormView.as_view(), name="dossier-form"),
    path("dossiers/<str:code>/results", DossierResultsView.as_view(), name="dossier-results"),
    path("queues/mine", MyQueueView.as_view(), name="queue-mine"),
    path("queues/unit/<int:unit_id>", UnitQueueView.as_view(), name="queue-unit"),
    re_path(r"^registers/(?P<unit_id>\d+)\.(?P<kind>pdf|xlsx)$", RegisterView.as_view(), name="register"),
    path("tracking/<str:code>", TrackingView.as_view(), name="tracking"),
    path("", include(router.urls)),
]
