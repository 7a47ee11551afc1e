"""The reform app's models, one module per part."""

from .tasks import CchcPlan, Directive, KpiSnapshot, Task, TaskEvent, TaskEvidence

__all__ = ["CchcPlan", "Directive", "KpiSnapshot", "Task", "TaskEvent", "TaskEvidence"]
