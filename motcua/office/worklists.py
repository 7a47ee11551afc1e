"""The rows of the officers' long work lists, built with format_html_join.

A page holds 25 rows of ten cells each; the template engine took longer to fill them than the database took to find
them. Everything shown is escaped, by format_html or escape.
"""

from collections.abc import Iterable
from datetime import datetime

from django.utils.html import escape, format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.timezone import localtime
from django.utils.translation import gettext as _

from motcua.dossiers.lifecycle import Status
from motcua.dossiers.selectors import StepRow
from motcua.dossiers.worklist import QueueRow
from motcua.organizations.models import position_label

DOSSIER_ROW = '<tr class="{}"><td><a href="{}{}/">{}</a></td><td>{}</td><td>{}</td><td>{}{}</td><td>{}{}</td></tr>'
STEP_ROW = (
    '<tr class="{}"><td><a href="{}{}/">{}</a></td><td>{}</td><td>{}. {}{} — {}</td><td>{}</td><td>{}{}</td>'
    "<td>{}</td></tr>"
)


def dossier_rows(rows: Iterable[tuple[QueueRow, str]], dossier_url: str) -> SafeString:
    """Rows of the dossier list: code (a link), procedure, applicant, status, appointment date with its warning.

    Online dossiers not yet accepted are marked: they wait for the one-stop officer, and have no appointment yet.
    """
    waiting = format_html(" <strong>{}</strong>", _("Chờ tiếp nhận"))
    return format_html_join(
        "\n",
        DOSSIER_ROW,
        (
            (
                *("waiting" if row.status == Status.SUBMITTED else urgency, dossier_url, row.code, row.code),
                *(row.procedure, row.applicant_name, row.status.label),
                waiting if row.status == Status.SUBMITTED else "",
                *(when(row.due_at), warning(urgency)),
            )
            for row, urgency in rows
        ),
    )


def procedure_options(procedures: list[tuple[str, str]], chosen: str) -> SafeString:
    """Options of the procedure filter: all, then the units' procedures; a chosen code not among them is kept."""
    if chosen and chosen not in {code for code, _name in procedures}:
        procedures = [*procedures, (chosen, chosen)]
    # escape() and one join: format_html per option cost more than the rest of the form.
    options = [("", _("Tất cả thủ tục")), *((code, _label(code, name)) for code, name in procedures)]
    return mark_safe(  # noqa: S308 - every value is escaped here
        "".join(
            f'<option value="{escape(code)}"{" selected" if code == chosen else ""}>{escape(label)}</option>'
            for code, label in options
        )
    )


def _label(code: str, name: str) -> str:
    return f"{name} ({code})" if name != code else code


def step_rows(rows: Iterable[tuple[StepRow, str]], dossier_url: str, *, history: bool) -> SafeString:
    """Rows of a step queue: dossier, procedure, step, assignee, the step's deadline (or completion), appointment.

    A unit's history shows when each step was finished, without deadline warnings.
    """
    return format_html_join(
        "\n",
        STEP_ROW,
        (
            (
                *("" if history else urgency, dossier_url, row.code, row.code, row.procedure),
                *(
                    row.position + 1,
                    row.name,
                    f" ({position_label(row.staff_position)})" if row.staff_position else "",
                ),
                *(row.unit_name, row.assignee or "—"),
                *(when(row.completed_at if history else row.due_at), "" if history else warning(urgency)),
                when(row.dossier_due_at),
            )
            for row, urgency in rows
        ),
    )


def when(moment: datetime | None) -> str:
    return localtime(moment).strftime("%H:%M %d/%m/%Y") if moment else ""


def warning(urgency: str) -> SafeString | str:
    if urgency == "overdue":
        return format_html(" <strong>{}</strong>", _("Quá hạn"))
    if urgency == "near-due":
        return format_html(" <strong>{}</strong>", _("Sắp đến hạn"))
    return ""
