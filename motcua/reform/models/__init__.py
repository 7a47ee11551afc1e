from .reports import ReportEvent, ReportOutline, ReportPeriod, UnitReport

__all__ = ["ReportEvent", "ReportOutline", "ReportPeriod", "UnitReport"]
