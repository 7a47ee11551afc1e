"""Periodic CCHC reports (báo cáo cải cách hành chính định kỳ): periods with their data windows, each unit's draft
with figures from the QĐ 766 counters locked at the cut-off, submission and review, consolidation, exports."""
