from argparse import ArgumentParser
from calendar import monthrange
from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from motcua.catalogue.models import ProcedureVersion
from motcua.dossiers import counters
from motcua.dossiers.counters import METRIC_COLUMNS, METRIC_LABELS, RESULT_METRIC_LABELS, Metric
from motcua.dossiers.models import Span
from motcua.organizations.models import Unit


class Command(BaseCommand):
    help = "Chỉ số phục vụ (QĐ 766): tính lại bộ đếm từ sự kiện hồ sơ và báo mọi chênh lệch."

    def add_arguments(self, parser: ArgumentParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        rebuild = actions.add_parser(
            "rebuild", help="Tính lại bộ đếm từ sự kiện, so với bộ đếm đang lưu, in từng chênh lệch (phải bằng 0)."
        )
        rebuild.add_argument("--write", action="store_true", help="Ghi bộ đếm tính lại thay cho bộ đếm đang lưu.")
        rebuild.add_argument("--show", type=int, default=50, help="Số chênh lệch in ra tối đa.")

    def handle(self, *args: Any, **options: Any) -> None:
        with transaction.atomic():
            # One snapshot: no event may slip in between the replay and the comparison (or the rewrite).
            replayed = counters.replay()
            detail, units = counters.bucketed(replayed)
            stored_detail, stored_units = counters.stored()
            by_procedure = counters.differences(detail, stored_detail)
            by_unit = counters.differences(units, stored_units)
            problems = len(by_procedure) + len(by_unit)
            shown = options["show"]
            names = _Names({k[0] for k, _, _ in by_procedure + by_unit}, {k[1] for k, _, _ in by_procedure})
            # Per unit, then per procedure (the unit's totals first), then in time order: the way an operator checks.
            rows = [
                (names.unit(u), names.procedure(p), s, d, m, expected, actual)
                for (u, p, s, d, m), expected, actual in by_procedure
            ] + [(names.unit(u), "", s, d, m, expected, actual) for (u, s, d, m), expected, actual in by_unit]
            rows.sort(key=lambda r: (r[0], r[1], r[3], SPANS.index(r[2]), ORDER.get(r[4], len(ORDER))))
            for unit, procedure, span, start, metric, expected, actual in rows[:shown]:
                where = f"thủ tục {procedure}" if procedure else "mọi thủ tục"
                self.stdout.write(
                    f"{unit}; {where}; {_period(span, start)}; {_figure(metric)}: "
                    f"tính lại {expected}, đang lưu {actual}"
                )
            self.stdout.write(
                f"{len(replayed):,} bộ đếm theo ngày từ sự kiện; {problems} chênh lệch.".replace(",", ".")
            )
            if options["write"]:
                counters.rewrite(replayed)
                self.stdout.write("Đã ghi bộ đếm tính lại.")
            elif problems:
                raise CommandError(f"Bộ đếm lệch với sự kiện ở {problems} chỗ; chạy lại với --write để sửa.")


SPANS = (Span.YEAR, Span.MONTH, Span.DAY)
ORDER = {metric: position for position, metric in enumerate(METRIC_COLUMNS)}


class _Names:
    """The units' and procedures' codes and names, read once for every difference printed."""

    def __init__(self, unit_ids: set[int], procedure_ids: set[int]) -> None:
        self.units = {
            pk: f"{code} – {name}"
            for pk, code, name in Unit.objects.filter(pk__in=unit_ids).values_list("pk", "code", "name")
        }
        # A procedure is named by its latest version (ordered by effective date: the last one wins).
        versions = ProcedureVersion.objects.filter(procedure_id__in=procedure_ids).order_by("effective_from", "pk")
        self.procedures = {
            pk: f"{code} – {name}"
            for pk, code, name in versions.values_list("procedure_id", "procedure__code", "name")
        }

    def unit(self, pk: int) -> str:
        return "Đơn vị " + self.units.get(pk, f"đã xóa (mã nội bộ {pk})")

    def procedure(self, pk: int) -> str:
        return self.procedures.get(pk, f"đã xóa (mã nội bộ {pk})")


def _period(span: str, start: date) -> str:
    if span == Span.DAY:
        return f"ngày {start:%d/%m/%Y}"
    end = date(start.year, 12, 31) if span == Span.YEAR else start.replace(day=monthrange(start.year, start.month)[1])
    return f"từ {start:%d/%m/%Y} đến {end:%d/%m/%Y}"


def _figure(metric: str) -> str:
    if metric in METRIC_COLUMNS:
        return METRIC_LABELS.get(Metric(metric), metric)
    labels = {result.value: label for result, label in RESULT_METRIC_LABELS.items()}
    return labels.get(metric, metric)
