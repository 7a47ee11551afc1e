"""Leaders' screens: the QĐ 766 dashboard per unit and period, drill-down to the dossiers behind each number, and the
six-month review as Excel or PDF."""

from collections.abc import Callable
from decimal import Decimal
from functools import wraps
from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from motcua.core.errors import DomainError, NotFoundError, NotPermittedError
from motcua.dossiers.lifecycle import STATUS_LABELS
from motcua.dossiers.models import Dossier
from motcua.indices import drilldown, reports
from motcua.indices.config import Band, Formula
from motcua.indices.engine import IndicatorResult, Score
from motcua.indices.periods import KINDS, Period, period_from
from motcua.indices.scope import SCORED_TYPES, Scope, scope_for
from motcua.indices.selectors import board, deadline_lists
from motcua.organizations.models import Unit, User

from .views import staff_only

PERIOD_KEYS = ("ky", "nam", "so", "tu", "den")


def _scoped(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Resolve who may see what, the unit and the period; refusals and bad input answer before any work."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        user: User = staff_only(request)
        try:
            scope = scope_for(user)
        except NotPermittedError as error:
            raise PermissionDenied(error.message) from error
        try:
            unit = scope.unit(request.GET.get("don-vi", ""))
        except NotFoundError as error:
            raise Http404(error.message) from error
        try:
            period = period_from(request.GET)
            return view(request, scope, unit, period, *args, **kwargs)
        except DomainError as error:
            context = {"error": error.message, "kinds": KINDS, "query": _query(request, unit, period=None)}
            return render(request, "office/indices_error.html", context, status=error.status)

    return login_required(wrapper)


def _query(request: HttpRequest, unit: Unit, period: Period | None, **extra: str) -> str:
    params = {key: request.GET[key] for key in PERIOD_KEYS if request.GET.get(key)}
    return urlencode({"don-vi": unit.code, **params, **extra})


def _band_scale(bands: tuple[Band, ...]) -> list[tuple[str, Decimal | None, Decimal | None]]:
    """Each band with the points it starts from; the last one with the points it stays below."""
    if len(bands) < 2:
        return []
    return [(b.name, b.above, None) for b in bands[:-1]] + [(bands[-1].name, None, bands[-2].above)]


def _satisfaction(score: Score) -> IndicatorResult | None:
    """The satisfaction indicator (5.4) of the version in force, if it has one."""
    return next((r for r in score.results if r.indicator.formula == Formula.SATISFACTION), None)


def _units_for_choice(scope: Scope) -> list[Unit]:
    units = list(scope.roots)
    for root in scope.roots:
        units += [u for u in scope.tree.scored_below(root.pk) if u not in units]
    return units


@_scoped
def dashboard(request: HttpRequest, scope: Scope, unit: Unit, period: Period) -> HttpResponse:
    """Scores, ranking of the units below, monthly trend beside its table, and the deadline lists."""
    result = board(scope, unit, period)
    overdue, near = deadline_lists(scope, unit)
    context = {
        "board": result,
        "unit": unit,
        "period": period,
        "units": _units_for_choice(scope),
        "kinds": KINDS,
        "params": request.GET,
        "query": _query(request, unit, period),
        "chart": reports.trend_svg(result),
        "band_scale": _band_scale(result.unit.score.version.bands),
        "figures": drilldown.FIGURES,
        "satisfaction": _satisfaction(result.unit.score),
        "drillable": drilldown.drillable(),
        "overdue": overdue,
        "near": near,
        "scored_types": SCORED_TYPES,
    }
    return render(request, "office/indices.html", context)


@_scoped
def drill(request: HttpRequest, scope: Scope, unit: Unit, period: Period) -> HttpResponse:
    """The dossiers (or procedures) behind one number: an indicator's numerator or denominator, or a figure."""
    indicator, part, figure = request.GET.get("chi-tieu", ""), request.GET.get("phan", ""), request.GET.get("so-lieu")
    if figure:
        if figure not in drilldown.FIGURES:
            raise DomainError(_("Không có số liệu này."), field="figure")
        what: tuple[str, ...] | str | drilldown.Difference | drilldown.CaseFigure = (figure,)
        title = drilldown.FIGURES[figure]
    else:
        what = drilldown.part_figures(indicator, part)
        title = _("Chỉ tiêu %(code)s – %(part)s") % {
            "code": indicator,
            "part": _("tử số") if part == "numerator" else _("mẫu số"),
        }
    context: dict[str, Any] = {"unit": unit, "period": period, "title": title, "back": _query(request, unit, period)}
    if isinstance(what, drilldown.Difference):
        context["terms"], context["value"] = drilldown.terms(scope, unit, period, what)
        context["note"] = what.note
    elif isinstance(what, drilldown.CaseFigure):
        context["cases"] = drilldown.cases_behind(scope, unit, period, what)
        context["count"] = len(context["cases"])
    elif isinstance(what, str):
        context["procedures"] = drilldown.procedures_behind(scope, unit, period, what)
        context["count"] = len(context["procedures"])
    else:
        ids = drilldown.dossier_ids(scope, unit, period, what)
        page = Paginator(ids, 50).get_page(request.GET.get("trang"))
        rows = Dossier.objects.filter(pk__in=list(page)).select_related("version", "competent_unit")
        context.update(
            count=len(ids),
            page=page,
            dossiers=sorted(rows.defer("version__record", "version__search_text"), key=lambda d: d.code),
            statuses={s.value: label for s, label in STATUS_LABELS.items()},
            parts=[drilldown.FIGURES[f] for f in what],
            page_query=_query(
                request,
                unit,
                period,
                **{k: request.GET[k] for k in ("chi-tieu", "phan", "so-lieu") if request.GET.get(k)},
            ),
        )
    return render(request, "office/indices_drill.html", context)


@_scoped
def report(request: HttpRequest, scope: Scope, unit: Unit, period: Period, fmt: str) -> HttpResponse:
    """The six-month review (or any period) as Excel or PDF."""
    if fmt not in {"xlsx", "pdf"}:
        raise Http404
    result = board(scope, unit, period)
    name = f"so-ket-{unit.code}-{period.start:%Y%m%d}-{period.end:%Y%m%d}.{fmt}"
    if fmt == "xlsx":
        content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        response = HttpResponse(reports.excel(result), content_type=content_type)
    else:
        response = HttpResponse(reports.pdf(result), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
