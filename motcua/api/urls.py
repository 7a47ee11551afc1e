from django.urls import converters, include, path, re_path, register_converter
from rest_framework.routers import SimpleRouter

from . import assessments, par, par_manage
from .actions import DossierActionView, DossierDetailView
from .assessments import AnswerView, AttemptStartView, AttemptView, ItemActionView, ItemListView, SubmitView
from .auth import LogoutView, ObtainTokenView
from .calendar import DueView, OffDaysView, ProposalsView
from .dossiers import (
    DossierEventsView,
    DossierFilledFormView,
    DossierFormView,
    DossierListView,
    DossierResultsView,
    MyQueueView,
    RegisterView,
    TrackingView,
    UnitQueueView,
)
from .eoffice_documents import (
    IncomingActionView,
    IncomingDetailView,
    IncomingListView,
    OutgoingActionView,
    OutgoingDetailView,
    OutgoingListView,
)
from .feedback import (
    FeedbackActionView,
    FeedbackAnswersView,
    FeedbackDetailView,
    FeedbackEventsView,
    FeedbackListView,
    FeedbackTrackingView,
)
from .indices import DrilldownView, Index766View, ReportView
from .inspections import InspectionActionView, InspectionDetailView, InspectionListView
from .meetings import MeetingActionView, MeetingDetailView, MeetingListView
from .national import NationalRecordView
from .national_inbound import NationalDossierView
from .payments import PaymentCallbackView
from .procedures import ProcedureDetailView, ProcedureImportView, ProcedureListView
from .reform_overview import PlanListView, UnitOverviewView
from .reform_reports import (
    ReformConsolidationView,
    ReformReportActionView,
    ReformReportFileView,
    ReformReportView,
)
from .reform_tasks import (
    DirectiveDetailView,
    DirectiveListView,
    TaskActionView,
    TaskDetailView,
    TaskEventsView,
    TaskListView,
)
from .units import UnitViewSet
from .verify import VerifyDocumentView, VerifyUploadView


class RowIdConverter(converters.IntConverter):
    """A row id: ASCII digits that fit a database integer; a longer number could only fail inside the query."""

    regex = "[0-9]{1,18}"


register_converter(RowIdConverter, "rowid")
router = SimpleRouter(trailing_slash=False)
router.register("units", UnitViewSet, basename="unit")

app_name = "api"
urlpatterns = [
    path("tracking/<str:code>", TrackingView.as_view(), name="tracking"),  # the busiest: matched first
    path("auth/token", ObtainTokenView.as_view(), name="token"),
    path("auth/logout", LogoutView.as_view(), name="logout"),
    path("calendar/due", DueView.as_view(), name="calendar-due"),
    path("calendar/off-days", OffDaysView.as_view(), name="calendar-off-days"),
    path("calendar/proposals", ProposalsView.as_view(), name="calendar-proposals"),
    path("procedures", ProcedureListView.as_view(), name="procedures"),
    path("procedures/import", ProcedureImportView.as_view(), name="procedures-import"),
    path("procedures/<str:code>", ProcedureDetailView.as_view(), name="procedure"),
    path("dossiers", DossierListView.as_view(), name="dossiers"),
    path("dossiers/<str:code>", DossierDetailView.as_view(), name="dossier"),
    path("dossiers/<str:code>/events", DossierEventsView.as_view(), name="dossier-events"),
    path("dossiers/<str:code>/actions/<str:action>", DossierActionView.as_view(), name="dossier-action"),
    path("dossiers/<str:code>/form", DossierFilledFormView.as_view(), name="dossier-filled-form"),
    path("dossiers/<str:code>/forms/<str:number>.pdf", DossierFormView.as_view(), name="dossier-form"),
    path("dossiers/<str:code>/national-record", NationalRecordView.as_view(), name="dossier-national-record"),
    path("dossiers/<str:code>/results", DossierResultsView.as_view(), name="dossier-results"),
    path("national/dossiers", NationalDossierView.as_view(), name="national-dossiers"),
    path("queues/mine", MyQueueView.as_view(), name="queue-mine"),
    path("queues/unit/<rowid:unit_id>", UnitQueueView.as_view(), name="queue-unit"),
    re_path(r"^registers/(?P<unit_id>[0-9]{1,18})\.(?P<kind>pdf|xlsx)$", RegisterView.as_view(), name="register"),
    path("verify", VerifyUploadView.as_view(), name="verify-upload"),
    path("verify/<str:public_id>", VerifyDocumentView.as_view(), name="verify"),
    path("feedback", FeedbackListView.as_view(), name="feedback"),
    path("feedback/tracking/<str:code>", FeedbackTrackingView.as_view(), name="feedback-tracking"),
    path("feedback/answers", FeedbackAnswersView.as_view(), name="feedback-answers"),
    path("feedback/<str:code>", FeedbackDetailView.as_view(), name="feedback-detail"),
    path("feedback/<str:code>/events", FeedbackEventsView.as_view(), name="feedback-events"),
    path("feedback/<str:code>/actions/<str:action>", FeedbackActionView.as_view(), name="feedback-action"),
    # Competency tests (motcua.assessments)
    path("assessments/campaigns/<rowid:campaign_id>/start", AttemptStartView.as_view(), name="assessment-start"),
    path("assessments/attempts/<rowid:attempt_id>", AttemptView.as_view(), name="assessment-attempt"),
    path(
        "assessments/attempts/<rowid:attempt_id>/answers/<rowid:item_id>",
        AnswerView.as_view(),
        name="assessment-answer",
    ),
    path("assessments/attempts/<rowid:attempt_id>/submit", SubmitView.as_view(), name="assessment-submit"),
    path("assessments/items", ItemListView.as_view(), name="assessment-items"),
    path("assessments/campaigns", assessments.CampaignListView.as_view(), name="assessment-campaigns"),
    path(
        "assessments/campaigns/<rowid:campaign_id>/sittings",
        assessments.CampaignSittingView.as_view(),
        name="assessment-sittings",
    ),
    path(
        "assessments/campaigns/<rowid:campaign_id>/call",
        assessments.CampaignCallView.as_view(),
        name="assessment-call",
    ),
    path(
        "assessments/campaigns/<rowid:campaign_id>/candidates",
        assessments.CampaignCandidateView.as_view(),
        name="assessment-candidates",
    ),
    path(
        "assessments/candidates/<rowid:candidate_id>/actions/<str:action>",
        assessments.CandidateActionView.as_view(),
        name="assessment-candidate-action",
    ),
    path(
        "assessments/attempts/<rowid:attempt_id>/extend",
        assessments.AttemptExtendView.as_view(),
        name="assessment-extend",
    ),
    path(
        "assessments/items/<rowid:version_id>/actions/<str:action>",
        ItemActionView.as_view(),
        name="assessment-item-action",
    ),
    path("indices/766", Index766View.as_view(), name="indices-766"),
    path("indices/766/drilldown", DrilldownView.as_view(), name="indices-766-drilldown"),
    path("indices/766/report.<str:fmt>", ReportView.as_view(), name="indices-766-report"),
    path("directives", DirectiveListView.as_view(), name="directives"),
    path("directives/<rowid:directive_id>", DirectiveDetailView.as_view(), name="directive"),
    path("tasks", TaskListView.as_view(), name="tasks"),
    path("tasks/<rowid:task_id>", TaskDetailView.as_view(), name="task"),
    path("tasks/<rowid:task_id>/events", TaskEventsView.as_view(), name="task-events"),
    path("tasks/<rowid:task_id>/actions/<str:action>", TaskActionView.as_view(), name="task-action"),
    re_path(
        r"^reform-reports/(?P<period>[0-9]{4}-[a-z0-9-]{1,10})/(?P<unit>[A-Za-z0-9._-]{1,40})\.(?P<fmt>odt|pdf|xlsx)$",
        ReformReportFileView.as_view(),
        name="reform-report-file",
    ),
    path("reform-reports/<str:period>", ReformConsolidationView.as_view(), name="reform-consolidation"),
    path("reform-reports/<str:period>/<str:unit>", ReformReportView.as_view(), name="reform-report"),
    path(
        "reform-reports/<str:period>/<str:unit>/actions/<str:action>",
        ReformReportActionView.as_view(),
        name="reform-report-action",
    ),
    path("meetings", MeetingListView.as_view(), name="meetings"),
    path("meetings/<rowid:meeting_id>", MeetingDetailView.as_view(), name="meeting"),
    path("meetings/<rowid:meeting_id>/actions/<str:action>", MeetingActionView.as_view(), name="meeting-action"),
    # CCHC inspections (motcua.reform.inspections)
    path("inspections", InspectionListView.as_view(), name="inspections"),
    path("inspections/<rowid:inspection_id>", InspectionDetailView.as_view(), name="inspection"),
    path(
        "inspections/<rowid:inspection_id>/actions/<str:action>",
        InspectionActionView.as_view(),
        name="inspection-action",
    ),
    path("units/<str:code>/overview", UnitOverviewView.as_view(), name="unit-overview"),
    path("plans", PlanListView.as_view(), name="plans"),
    path("payments/callback", PaymentCallbackView.as_view(), name="payment-callback"),
    # eOffice: official documents (ND 30/2020/NĐ-CP)
    path("documents/incoming", IncomingListView.as_view(), name="documents-incoming"),
    path("documents/incoming/<rowid:document_id>", IncomingDetailView.as_view(), name="documents-incoming-detail"),
    path(
        "documents/incoming/<rowid:document_id>/actions/<str:action>",
        IncomingActionView.as_view(),
        name="documents-incoming-action",
    ),
    path("documents/outgoing", OutgoingListView.as_view(), name="documents-outgoing"),
    path("documents/outgoing/<rowid:document_id>", OutgoingDetailView.as_view(), name="documents-outgoing-detail"),
    path(
        "documents/outgoing/<rowid:document_id>/actions/<str:action>",
        OutgoingActionView.as_view(),
        name="documents-outgoing-action",
    ),
    # The PAR index of departments and communes (motcua.par).
    path("par/sets", par.ParSetListView.as_view(), name="par-sets"),
    path("par/rounds", par_manage.RoundCreateView.as_view(), name="par-rounds"),
    path("par/rounds/<rowid:round_id>/ranking", par.RankingView.as_view(), name="par-ranking"),
    path("par/rounds/<rowid:round_id>/units/<str:unit>", par.AssessmentView.as_view(), name="par-assessment"),
    path("par/rounds/<rowid:round_id>/units/<str:unit>/items/<str:code>", par.ItemView.as_view(), name="par-item"),
    path(
        "par/rounds/<rowid:round_id>/units/<str:unit>/actions/<str:action>",
        par.AssessmentActionView.as_view(),
        name="par-action",
    ),
    path("par/sets/<rowid:set_id>/publish", par_manage.PublishSetView.as_view(), name="par-set-publish"),
    path("par/rounds/<rowid:round_id>/steps/<str:step>", par_manage.RoundStepView.as_view(), name="par-round-step"),
    path(
        "par/rounds/<rowid:round_id>/units/<str:unit>/items/<str:code>/evidence",
        par_manage.EvidenceView.as_view(),
        name="par-evidence",
    ),
    path("", include(router.urls)),
]
