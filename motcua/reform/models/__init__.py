"""The reform app's models, one module per part."""

from .meetings import AgendaItem, BridgePoint, ConclusionNotice, Meeting, MeetingEvent, MeetingFile
from .reports import ReportEvent, ReportOutline, ReportPeriod, UnitReport
from .tasks import CchcPlan, Directive, KpiSnapshot, Task, TaskEvent, TaskEvidence

__all__ = [
    "AgendaItem",
    "BridgePoint",
    "CchcPlan",
    "ConclusionNotice",
    "Directive",
    "KpiSnapshot",
    "Meeting",
    "MeetingEvent",
    "MeetingFile",
    "ReportEvent",
    "ReportOutline",
    "ReportPeriod",
    "Task",
    "TaskEvent",
    "TaskEvidence",
    "UnitReport",
]
