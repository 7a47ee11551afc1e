"""The reform app's models, one module per part."""

from .inspections import Finding, Inspection, InspectionEvent, InspectionPlan, Recommendation, SurpriseDraw
from .meetings import AgendaItem, BridgePoint, ConclusionNotice, Meeting, MeetingEvent, MeetingFile
from .reports import ReportEvent, ReportOutline, ReportPeriod, UnitReport
from .tasks import CchcPlan, Directive, KpiSnapshot, Task, TaskEvent, TaskEvidence

__all__ = [
    "AgendaItem",
    "BridgePoint",
    "CchcPlan",
    "ConclusionNotice",
    "Directive",
    "Finding",
    "Inspection",
    "InspectionEvent",
    "InspectionPlan",
    "KpiSnapshot",
    "Meeting",
    "MeetingEvent",
    "MeetingFile",
    "Recommendation",
    "ReportEvent",
    "ReportOutline",
    "ReportPeriod",
    "SurpriseDraw",
    "Task",
    "TaskEvent",
    "TaskEvidence",
    "UnitReport",
]
