"""The QĐ 766 index over HTTP: scores per unit and period, the dossiers behind each number, report exports.

Leaders see their unit and the units below it, the province monitor and the system administrator the whole province;
everyone else gets 403. A unit outside the caller's scope answers 404, like one that does not exist.
"""

from typing import Any

from django.core.paginator import Paginator
from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from motcua.core.errors import DomainError
from motcua.dossiers.models import Dossier
from motcua.indices import drilldown, reports
from motcua.indices.engine import STANDING_LABELS, Evaluation, Score
from motcua.indices.figures import Figures
from motcua.indices.periods import Period, period_from
from motcua.indices.scope import Scope, scope_for
from motcua.indices.selectors import Board, board
from motcua.organizations.models import Unit

from .schema import problem_responses

PERIOD = [
    OpenApiParameter("unit", str, description="Mã đơn vị; mặc định đơn vị gốc trong phạm vi được xem."),
    OpenApiParameter("from", OpenApiTypes.DATE, description="Ngày đầu kỳ (YYYY-MM-DD); mặc định 6 tháng hiện tại."),
    OpenApiParameter("to", OpenApiTypes.DATE, description="Ngày cuối kỳ (YYYY-MM-DD)."),
]


# The index answer, described for clients (OpenAPI 3.0: `nullable` rather than a "null" type).
_STRING, _DATE, _INTEGER, _NUMBER = (
    {"type": "string"},
    {"type": "string", "format": "date"},
    {"type": "integer"},
    {"type": "number"},
)


def _nullable(schema: dict[str, Any]) -> dict[str, Any]:
    return {**schema, "nullable": True}


def _object(description: str = "", /, **properties: dict[str, Any]) -> dict[str, Any]:
    schema = {"type": "object", "properties": properties, "required": list(properties)}
    return {**schema, "description": description} if description else schema


def _array(items: dict[str, Any]) -> dict[str, Any]:
    return {"type": "array", "items": items}


_UNIT = _object(code=_STRING, name=_STRING)
_FIGURES = {
    "type": "object",
    "description": "Số liệu của kỳ theo tên: tiếp nhận, đã giải quyết, tồn, kết quả điện tử, đánh giá không hài lòng…",
    "additionalProperties": _INTEGER,
}
_BAND = {**_STRING, "description": "Xếp loại theo điểm quy đổi thang 100; chuỗi rỗng khi chưa chỉ tiêu nào có điểm."}
INDEX_SCHEMA = _object(
    unit=_UNIT,
    period=_object(**{"from": _DATE, "to": _DATE, "as_of": _DATE}),
    version=_object(
        "Phiên bản cấu hình Bộ chỉ số áp dụng cho kỳ (chọn theo ngày cuối kỳ).",
        code=_STRING,
        effective_from=_DATE,
        effective_to=_nullable(_DATE),
        legal_source=_STRING,
        bands_source={**_STRING, "description": "Căn cứ các ngưỡng xếp loại."},
        ranking_note={
            **_STRING,
            "description": "Điểm quy đổi thang 100 (`percent`), dùng để xếp hạng và xếp loại, là cách chuẩn hóa "
            "riêng của hệ thống; ghi chú này đi kèm mọi xếp hạng, xếp loại.",
        },
    ),
    points=_NUMBER,
    scored_max={**_NUMBER, "description": "Tổng điểm tối đa của các chỉ tiêu có dữ liệu."},
    percent=_nullable({**_NUMBER, "description": "points / scored_max × 100: chuẩn hóa riêng (xem ranking_note)."}),
    band=_BAND,
    groups=_array(
        _object(
            number=_INTEGER,
            name=_STRING,
            max_points=_NUMBER,
            points=_NUMBER,
            scored_max=_NUMBER,
            indicators=_array(
                _object(
                    code=_STRING,
                    name=_STRING,
                    max_points=_NUMBER,
                    threshold_pct=_nullable(_NUMBER),
                    standing={**_STRING, "enum": list(STANDING_LABELS)},
                    standing_label=_STRING,
                    numerator=_nullable(_INTEGER),
                    denominator=_nullable(_INTEGER),
                    ratio_pct=_nullable(_NUMBER),
                    points=_nullable(_NUMBER),
                    source=_STRING,
                    missing_data=_STRING,
                    note=_STRING,
                )
            ),
        )
    ),
    figures=_FIGURES,
    evaluation=_object(
        "Đánh giá 9 tiêu chí theo phiên bản bộ tiêu chí có hiệu lực vào ngày cuối kỳ.",
        version=_object(code=_STRING, effective_from=_DATE, effective_to=_nullable(_DATE), legal_source=_STRING),
        points=_NUMBER,
        scored_max=_INTEGER,
        band=_STRING,
        items=_array(_object(number=_INTEGER, wording=_STRING, points=_nullable(_NUMBER), basis=_STRING)),
    ),
    ranking=_array(
        _object(
            rank=_INTEGER,
            unit=_UNIT,
            block=_STRING,
            points=_NUMBER,
            scored_max=_NUMBER,
            percent=_nullable(_NUMBER),
            band=_BAND,
            figures=_FIGURES,
        )
    ),
    trend=_array(
        _object(month=_STRING, figures=_FIGURES, progress_pct=_nullable(_NUMBER), **{"from": _DATE, "to": _DATE})
    ),
)


def _resolve(request: Request) -> tuple[Scope, Unit, Period]:
    scope = scope_for(request.user)  # type: ignore[arg-type]
    unit = scope.unit(request.query_params.get("unit", ""))
    return scope, unit, period_from(request.query_params)


def _figures(figures: Figures) -> dict[str, int]:
    names = [*drilldown.FIGURES, "refused", "ended_late_online"]
    return {name: getattr(figures, name) for name in names}


def _score(score: Score) -> dict[str, Any]:
    return {
        "version": {
            "code": score.version.code,
            "effective_from": score.version.effective_from,
            "effective_to": score.version.effective_to,
            "legal_source": score.version.legal_source,
            "bands_source": score.version.bands_source,
            "ranking_note": score.version.ranking_note,
        },
        "points": score.points,
        "scored_max": score.scored_max,
        "percent": score.percent,
        "band": score.band,
        "groups": [
            {
                "number": g.group.number,
                "name": g.group.name,
                "max_points": g.group.max_points,
                "points": g.points,
                "scored_max": g.scored_max,
                "indicators": [
                    {
                        "code": r.indicator.code,
                        "name": r.indicator.name,
                        "max_points": r.indicator.max_points,
                        "threshold_pct": r.indicator.threshold_pct,
                        "standing": r.standing,
                        "standing_label": r.standing_label,
                        "numerator": r.numerator,
                        "denominator": r.denominator,
                        "ratio_pct": r.ratio,
                        "points": r.points,
                        "source": r.indicator.source,
                        "missing_data": r.indicator.missing,
                        "note": r.indicator.note,
                    }
                    for r in g.results
                ],
            }
            for g in score.groups
        ],
    }


def _evaluation(evaluation: Evaluation) -> dict[str, Any]:
    version = evaluation.version
    return {
        "version": {
            "code": version.code,
            "effective_from": version.effective_from,
            "effective_to": version.effective_to,
            "legal_source": version.legal_source,
        },
        "points": evaluation.points,
        "scored_max": evaluation.scored_max,
        "band": evaluation.band,
        "items": [
            {"number": i.number, "wording": i.wording, "points": i.points, "basis": i.basis} for i in evaluation.items
        ],
    }


def _board(result: Board) -> dict[str, Any]:
    return {
        "unit": {"code": result.unit.unit.code, "name": result.unit.unit.name},
        "period": {"from": result.period.start, "to": result.period.end, "as_of": result.period.as_of},
        **_score(result.unit.score),
        "figures": _figures(result.unit.figures),
        "evaluation": _evaluation(result.unit.evaluation),
        "ranking": [
            {
                "rank": r.rank,
                "unit": {"code": r.unit.code, "name": r.unit.name},
                "block": r.block,
                "points": r.score.points,
                "scored_max": r.score.scored_max,
                "percent": r.score.percent,
                "band": r.score.band,
                "figures": _figures(r.figures),
            }
            for r in result.ranking
        ],
        "trend": [
            {"month": m.label, "from": m.start, "to": m.end, "figures": _figures(f), "progress_pct": ratio}
            for m, f, ratio in result.trend
        ],
    }


class Index766View(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        summary="Chỉ số QĐ 766 của một đơn vị trong kỳ",
        description="Các nhóm, chỉ tiêu (tử số, mẫu số, tỷ lệ, điểm, phiên bản cấu hình), số liệu, xếp hạng đơn vị "
        "trực thuộc, diễn biến theo tháng, đánh giá 9 tiêu chí với phiên bản bộ tiêu chí áp dụng. Chỉ tiêu chưa có dữ "
        "liệu có `standing = no_data` và không tính điểm. `percent` và xếp hạng là cách chuẩn hóa riêng của hệ thống, "
        "nói rõ trong `version.ranking_note`.",
        parameters=PERIOD,
        responses={200: INDEX_SCHEMA, **problem_responses(404)},  # 404: a unit outside the caller's scope
    )
    def get(self, request: Request) -> Response:
        scope, unit, period = _resolve(request)
        return Response(_board(board(scope, unit, period)))


class DrilldownView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        summary="Danh sách hồ sơ (hoặc thủ tục) sau tử số, mẫu số của một chỉ tiêu, hoặc sau một số liệu",
        description="`kind = dossiers`: các hồ sơ được đếm, đúng bằng con số; `kind = procedures`: các thủ tục (3.1, "
        "3.2); `kind = cases`: các phản ánh, kiến nghị (5.1–5.3); `kind = terms`: con số là hiệu của các số liệu "
        "(tử số 5.4), mỗi số hạng kèm số liệu (`figure`) để xem "
        "danh sách riêng.",
        parameters=[
            *PERIOD,
            OpenApiParameter("indicator", str, description="Mã chỉ tiêu, ví dụ 2.1"),
            OpenApiParameter("part", str, enum=["numerator", "denominator"]),
            OpenApiParameter("figure", str, enum=list(drilldown.FIGURES), description="Thay cho indicator/part."),
            OpenApiParameter("page", int),
        ],
        responses={200: OpenApiTypes.OBJECT, **problem_responses(404)},  # a unit outside the caller's scope
    )
    def get(self, request: Request) -> Response:
        scope, unit, period = _resolve(request)
        params = request.query_params
        figure = params.get("figure")
        if figure:
            if figure not in drilldown.FIGURES:
                raise DomainError(f"Không có số liệu «{figure}».", field="figure")
            what: tuple[str, ...] | str | drilldown.Difference | drilldown.CaseFigure = (figure,)
        else:
            what = drilldown.part_figures(params.get("indicator", ""), params.get("part", ""))
        header = {"unit": unit.code, "from": period.start, "to": period.end, "as_of": period.as_of}
        if isinstance(what, drilldown.Difference):
            terms, value = drilldown.terms(scope, unit, period, what)
            listed = [{"figure": t.figure, "label": t.label, "sign": t.sign, "count": t.count} for t in terms]
            return Response({**header, "kind": "terms", "value": value, "note": what.note, "results": listed})
        if isinstance(what, drilldown.CaseFigure):  # group 5 counts feedback cases: no sender's data here
            cases = [
                {"code": c.code, "unit": c.handling_unit.code, "topic": c.topic, "status": c.status,
                 "status_label": c.status_label, "received_at": c.received_at, "due_at": c.due_at,
                 "closed_at": c.closed_at, "rating": c.rating}
                for c in drilldown.cases_behind(scope, unit, period, what)
            ]  # fmt: skip
            return Response({**header, "kind": "cases", "count": len(cases), "results": cases})
        if isinstance(what, str):
            rows = drilldown.procedures_behind(scope, unit, period, what)
            procedures = [
                {"unit": u.code, "procedure": v.procedure.code, "name": v.name, "online_level": v.online_level}
                for u, v in rows
            ]
            return Response({**header, "kind": "procedures", "count": len(procedures), "results": procedures})
        ids = drilldown.dossier_ids(scope, unit, period, what)
        page = Paginator(ids, 50).get_page(params.get("page"))
        dossiers = Dossier.objects.filter(pk__in=list(page)).select_related(
            "version__procedure", "competent_unit", "receiving_unit"
        )
        results: list[dict[str, Any]] = [
            {
                "code": d.code,
                "procedure": d.version.procedure.code,
                "competent_unit": d.competent_unit.code,
                "channel": d.channel,
                "status": d.status,
                "status_label": d.get_status_display(),
                "received_at": d.received_at,
                "due_at": d.due_at,
            }
            for d in sorted(dossiers.defer("version__record", "version__search_text"), key=lambda d: d.code)
        ]
        return Response(
            {
                **header,
                "kind": "dossiers",
                "figures": list(what),
                "count": len(ids),
                "page": page.number,
                "pages": page.paginator.num_pages,
                "results": results,
            }
        )


class ReportView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        summary="Báo cáo sơ kết (Excel hoặc PDF) của đơn vị trong kỳ",
        parameters=[*PERIOD, OpenApiParameter("fmt", str, OpenApiParameter.PATH, enum=["xlsx", "pdf"])],
        responses={
            (200, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"): OpenApiTypes.BINARY,
            (200, "application/pdf"): OpenApiTypes.BINARY,
        },
    )
    def get(self, request: Request, fmt: str) -> HttpResponse:
        if fmt not in {"xlsx", "pdf"}:
            raise DomainError("Định dạng báo cáo là xlsx hoặc pdf.", field="format")
        scope, unit, period = _resolve(request)
        result = board(scope, unit, period)
        if fmt == "xlsx":
            mime = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            response = HttpResponse(reports.excel(result), content_type=mime)
        else:
            response = HttpResponse(reports.pdf(result), content_type="application/pdf")
        name = f"so-ket-{unit.code}-{period.start:%Y%m%d}-{period.end:%Y%m%d}.{fmt}"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response
