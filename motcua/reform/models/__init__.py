"""The reform app's models, one module per part."""

from .inspections import Finding, Inspection, InspectionEvent, InspectionPlan, Recommendation, SurpriseDraw
from .reports import ReportEvent, ReportOutline, ReportPeriod, UnitReport
from .tasks import CchcPlan, Directive, KpiSnapshot, Task, TaskEvent, TaskEvidence

__all__ = [
    "CchcPlan",
    "Directive",
    "Finding",
    "Inspection",
    "InspectionEvent",
    "InspectionPlan",
    "KpiSnapshot",
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
