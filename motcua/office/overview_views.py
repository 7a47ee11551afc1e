"""The head-of-unit page (/can-bo/don-vi/{code}/tong-quan/) and the rows behind each of its numbers; every read is
`motcua.reform.overview`'s, which also decides who may look."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from motcua.core.errors import NotFoundError, NotPermittedError
from motcua.indices.scope import UnitTree
from motcua.organizations.models import Unit, User
from motcua.reform import overview
from motcua.reform.overview import Drill

from .views import staff_only

PAGE_SIZE = 100


def _unit(request: HttpRequest, code: str) -> tuple[User, Unit, UnitTree]:
    user = staff_only(request)
    try:
        unit, tree = overview.unit_for(user, code)
    except NotPermittedError as refused:
        raise PermissionDenied(refused.message) from refused
    except NotFoundError as missing:
        raise Http404(missing.message) from missing
    return user, unit, tree


@login_required
def unit_overview(request: HttpRequest, code: str) -> HttpResponse:
    _user, unit, tree = _unit(request, code)
    context = {"o": overview.overview(unit, tree), "drill": Drill, "no_data": overview.NO_DATA}
    return render(request, "office/unit_overview.html", context)


@login_required
def unit_overview_rows(request: HttpRequest, code: str, key: str) -> HttpResponse:
    _user, unit, tree = _unit(request, code)
    if key not in Drill.LABELS:
        raise Http404
    page = Paginator(overview.drill_rows(unit, tree, key), PAGE_SIZE).get_page(request.GET.get("trang", "1")[:9])
    context = {"unit": unit, "key": key, "title": Drill.LABELS[key], "page": page, "drill": Drill}
    return render(request, "office/unit_overview_rows.html", context)
