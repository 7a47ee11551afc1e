"""The public PAR index results, `/chi-so-cchc/{year}/`: each level's published ranking, for anyone, no sign-in."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from motcua.par import selectors
from motcua.par.lifecycle import LEVEL_LABELS, Level

BAD_LEVEL = "Cấp đánh giá không hợp lệ: chọn «so_nganh» (cơ quan thuộc UBND tỉnh) hoặc «xa» (UBND xã, phường)."


@require_GET
def published(request: HttpRequest, year: int) -> HttpResponse:
    if not 2000 <= year <= 2100:
        raise Http404
    raw = request.GET.get("cap", "")
    level = None
    if raw:
        if raw not in {lv.value for lv in Level}:
            return render(request, "portal/par_ranking.html", {"year": year, "error": BAD_LEVEL}, status=400)
        level = raw
    rounds = [
        (round_, LEVEL_LABELS[Level(round_.index_set.level)], rows)
        for round_, rows in selectors.published_ranking(year, level)
    ]
    context = {"year": year, "rounds": rounds, "levels": list(LEVEL_LABELS.items()), "level": level}
    return render(request, "portal/par_ranking.html", context)
