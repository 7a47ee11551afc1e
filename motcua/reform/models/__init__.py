"""The reform app's models, one module per part."""

from .reports import ReportEvent, ReportOutline, ReportPeriod, UnitReport
from .tasks import CchcPlan, Directive, KpiSnapshot, Task, TaskEvent, TaskEvidence

__all__ = [
    "CchcPlan",
    "Directive",
    "KpiSnapshot",
    "ReportEvent",
    "ReportOutline",
    "ReportPeriod",
    "Task",
    "TaskEvent",
    "TaskEvidence",
    "UnitReport",
]
