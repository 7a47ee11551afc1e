"""Reads of the catalogue: the version in force on a day, search, and comparisons between versions."""

import json
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Any, NamedTuple

from django.db.models import F, Q, QuerySet

from motcua.core import clock

from .models import Case, Channel, ChannelLimit, Component, Fee, ProcedureVersion, VersionStatus
from .search import correct_tokens, rank, search_fold


def versions_in_force(on: date | None = None) -> QuerySet[ProcedureVersion]:
    """Return the published versions in force on a day (today by default)."""
    day = on or clock.today()
    return ProcedureVersion.objects.filter(status=VersionStatus.PUBLISHED, effective_from__lte=day).filter(
        Q(effective_to__isnull=True) | Q(effective_to__gte=day)
    )


def get_version_on(code: str, on: date | None = None) -> ProcedureVersion | None:
    """Return the version of a procedure in force on a day, the one a dossier received that day pins."""
    return versions_in_force(on).filter(procedure__code=code).select_related("procedure").first()


@dataclass(frozen=True)
class CaseTerms:
    """What the catalogue lets a dossier of one case ask for: its papers, and per channel its time limit and fees.

    Shared and read-only: the catalogue's rows are written once with their version and never changed (the
    triggers of migration 0002_catalogue_immutable refuse it), so the terms of a version can be kept for the life
    of the process.
    """

    case: Case
    components: tuple[Component, ...]
    limits: dict[int, ChannelLimit]  # by channel, fees prefetched

    def limit(self, channel: int) -> ChannelLimit | None:
        # A channel the record does not list takes the counter's: the national record leaves the online and postal
        # limits out when they equal the counter's.
        return self.limits.get(channel) or self.limits.get(Channel.COUNTER)


@lru_cache(maxsize=4096)
def terms_of(version_id: int) -> tuple[CaseTerms, ...]:
    """Return the terms of every case of a version, in the record's order (kept for the process: see CaseTerms)."""
    cases = Case.objects.filter(version_id=version_id).order_by("position").prefetch_related("components")
    # The case's own limits come before those shared by all cases, and the first listed before later ones.
    limits = ChannelLimit.objects.filter(version_id=version_id).order_by(F("case").asc(nulls_last=True), "id")
    limits = limits.prefetch_related("fees")
    return tuple(CaseTerms(case, tuple(case.components.all()), _limits_of(case, limits)) for case in cases)


def _limits_of(case: Case, limits: QuerySet[ChannelLimit]) -> dict[int, ChannelLimit]:
    chosen: dict[int, ChannelLimit] = {}
    for limit in limits:
        if limit.case_id in {case.pk, None}:
            chosen.setdefault(limit.channel, limit)
    return chosen


def case_terms(version_id: int, case_id: int) -> CaseTerms:
    """Return the terms of one case of a version."""
    return next(terms for terms in terms_of(version_id) if terms.case.pk == case_id)


def limit_for(case: Case, channel: int) -> ChannelLimit | None:
    """Return the time limit and fees of a case through a channel, its fees prefetched."""
    return case_terms(case.version_id, case.pk).limit(channel)


def listed_fees(case: Case, channel: int) -> list[Fee]:
    """Return the fees the catalogue lists for a case through a channel, in the record's order."""
    limit = limit_for(case, channel)
    return sorted(limit.fees.all(), key=lambda fee: fee.position) if limit else []


class ProcedureHit(NamedTuple):
    """A search result: enough to list it; fetch the version by `pk` for the rest."""

    pk: int
    code: str
    name: str
    search_name: str


def search_procedures(
    query: str = "",
    *,
    level: int | None = None,
    field: str = "",
    agency: str = "",
    online: bool | None = None,
    on: date | None = None,
) -> list[ProcedureHit]:
    """Find procedures in force, best match first; diacritics, i/y spelling and small typos do not matter."""
    versions = versions_in_force(on)
    if level is not None:
        versions = versions.filter(level_codes__contains=f",{level},")
    if field:
        versions = versions.filter(fields__code=field)
    if agency:
        versions = versions.filter(Q(competent_unit__code=agency) | Q(competent_unit_type=agency))
    if online is not None:
        versions = versions.exclude(online_level="") if online else versions.filter(online_level="")
    folded = search_fold(query)
    if not folded:
        return _hits(versions.order_by("name"))
    tokens = folded.split()
    found = _matching(versions, tokens)
    if not found:
        tokens = correct_tokens(tokens, _vocabulary(versions_in_force(on).count()))
        found = _matching(versions, tokens)
    phrase = " ".join(tokens)
    return sorted(found, key=lambda hit: (*rank(phrase, hit.search_name), hit.code))


def _matching(versions: QuerySet[ProcedureVersion], tokens: list[str]) -> list[ProcedureHit]:
    for token in tokens:
        versions = versions.filter(search_text__contains=token)
    return _hits(versions)


def _hits(versions: QuerySet[ProcedureVersion]) -> list[ProcedureHit]:
    # Plain tuples: a broad query matches most of the catalogue, and model instances would cost more than the query.
    return [ProcedureHit(*row) for row in versions.values_list("pk", "procedure__code", "name", "search_name")]


@lru_cache(maxsize=4)
def _vocabulary(size_key: int) -> set[str]:
    # Keyed by the catalogue's size so that an import refreshes it; words are few (thousands), so this stays cheap.
    words: set[str] = set()
    for text in versions_in_force().values_list("search_text", flat=True):
        words.update(text.split())
    return words


def diff_versions(old: ProcedureVersion, new: ProcedureVersion) -> list[tuple[str, str, str]]:
    """Return what changed between two versions as (field, before, after), field paths in the national format."""
    before, after = _flatten(old.record), _flatten(new.record)
    return [
        (path, before.get(path, "—"), after.get(path, "—"))
        for path in sorted(before.keys() | after.keys())
        if before.get(path) != after.get(path)
    ]


def _flatten(value: Any, prefix: str = "") -> dict[str, str]:
    if isinstance(value, dict):
        return {
            k: v
            for key, item in value.items()
            for k, v in _flatten(item, f"{prefix}.{key}" if prefix else key).items()
        }
    if isinstance(value, list):
        return {k: v for i, item in enumerate(value) for k, v in _flatten(item, f"{prefix}[{i}]").items()}
    return {prefix: json.dumps(value, ensure_ascii=False) if not isinstance(value, str) else value}
