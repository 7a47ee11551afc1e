"""Access-scoped reads of the PAR index: the rounds, one unit's assessment with its items, a round's ranking."""

from django.db.models import QuerySet

from motcua.core.errors import NotFoundError
from motcua.organizations.models import User

from . import rules
from .lifecycle import RoundStatus
from .models import Assessment, Item, ParIndexSet, Round

HIDDEN = "Không tìm thấy kết quả đánh giá của đơn vị này trong phạm vi được xem."


def sets() -> QuerySet[ParIndexSet]:
    return ParIndexSet.objects.order_by("-year", "level", "-version")


def rounds() -> QuerySet[Round]:
    return Round.objects.select_related("index_set").order_by("-year", "-pk")


def assessment_for(user: User, round_id: int, unit_code: str) -> Assessment:
    """The unit's assessment if this person may read it; otherwise it looks like one that does not exist."""
    found = (
        Assessment.objects.select_related("round", "round__index_set", "unit")
        .filter(round_id=round_id, unit__code=unit_code)
        .first()
    )
    if found is None or not rules.may_read(user, found):
        raise NotFoundError(HIDDEN)
    return found


def items_of(assessment: Assessment) -> QuerySet[Item]:
    return (
        assessment.items.select_related("sub_criterion", "sub_criterion__criterion", "sub_criterion__criterion__field")
        .prefetch_related("evidence")
        .order_by("sub_criterion__order", "sub_criterion__pk")
    )


def ranking(user: User, round_id: int) -> tuple[Round, list[Assessment]]:
    """The units by rank once published (any official); before that, Sở Nội vụ and the monitor see the standings."""
    round_ = Round.objects.select_related("index_set").filter(pk=round_id).first()
    if round_ is None or not (
        rules.reads_all(user) or (round_.status == RoundStatus.PUBLISHED and not user.is_citizen)
    ):
        raise NotFoundError("Không tìm thấy đợt đánh giá.")
    rows = list(round_.assessments.select_related("unit"))
    rows.sort(key=lambda a: (a.rank or 10_000, -(a.appraised_total or a.self_total), a.unit.name))
    return round_, rows


def published_ranking(year: int, level: str | None = None) -> list[tuple[Round, list[Assessment]]]:
    """What anyone may see, signed in or not: each level's rounds of the year once their ranking is published,
    units by rank. Nothing of a round before its publication."""
    found = Round.objects.select_related("index_set").filter(year=year, status=RoundStatus.PUBLISHED)
    if level is not None:
        found = found.filter(index_set__level=level)
    out = []
    for round_ in found.order_by("index_set__level", "-published_at", "-pk"):
        rows = list(
            round_.assessments.select_related("unit").filter(rank__isnull=False).order_by("rank", "unit__name")
        )
        out.append((round_, rows))
    return out
