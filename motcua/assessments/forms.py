"""Each candidate's own form, drawn from the campaign's frozen pool with a recorded seed, and its scoring. Pure.

The same seed and pool give the same form, so a form is rebuilt exactly to check a complaint; options are shuffled
per candidate, and the key stays on the server (the form names option ids, never which is right).
"""

import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal


@dataclass(frozen=True)
class PoolItem:
    version_id: int
    domain: str
    difficulty: str
    option_ids: tuple[str, ...]


@dataclass(frozen=True)
class Shortage:
    part: str
    domain: str
    difficulty: str
    wanted: int
    available: int


def shortages(blueprint: Sequence[Mapping[str, object]], pool: Sequence[PoolItem]) -> list[Shortage]:
    """List the blueprint's cells the pool cannot fill (an item serves one cell of one form only)."""
    available: dict[tuple[str, str], int] = {}
    for item in pool:
        available[(item.domain, item.difficulty)] = available.get((item.domain, item.difficulty), 0) + 1
    wanted: dict[tuple[str, str], int] = {}
    first_part: dict[tuple[str, str], str] = {}
    for part in blueprint:
        for cell in part["cells"]:  # type: ignore[attr-defined]
            key = (str(cell["domain"]), str(cell["difficulty"]))
            wanted[key] = wanted.get(key, 0) + int(cell["count"])
            first_part.setdefault(key, str(part["name"]))
    return [
        Shortage(first_part[key], key[0], key[1], count, available.get(key, 0))
        for key, count in wanted.items()
        if available.get(key, 0) < count
    ]


def draw(seed: int, blueprint: Sequence[Mapping[str, object]], pool: Sequence[PoolItem]) -> list[dict[str, object]]:
    """Draw a form: per part, the blueprint's count of items of each cell, in a shuffled order, options shuffled."""
    rng = random.Random(seed)  # noqa: S311  # reproducible on purpose; the seed itself is secret
    by_cell: dict[tuple[str, str], list[PoolItem]] = {}
    for item in sorted(pool, key=lambda item: item.version_id):  # the pool's order must not depend on the query
        by_cell.setdefault((item.domain, item.difficulty), []).append(item)
    form = []
    for part in blueprint:
        chosen: list[PoolItem] = []
        for cell in part["cells"]:  # type: ignore[attr-defined]
            cell_pool = by_cell.get((str(cell["domain"]), str(cell["difficulty"])), [])
            picked = rng.sample(cell_pool, int(cell["count"]))
            by_cell[(str(cell["domain"]), str(cell["difficulty"]))] = [i for i in cell_pool if i not in picked]
            chosen.extend(picked)
        rng.shuffle(chosen)
        items = []
        for item in chosen:
            options = list(item.option_ids)
            rng.shuffle(options)
            items.append({"version": item.version_id, "options": options})
        form.append({"name": part["name"], "items": items})
    return form


@dataclass(frozen=True)
class PartScore:
    name: str
    correct: int
    total: int
    score: Decimal  # on 100
    passed: bool


def is_correct(chosen: Sequence[str], key: Sequence[str]) -> bool:
    """All or nothing: the chosen options are exactly the key (a multiple-choice item has no partial credit)."""
    return bool(chosen) and set(chosen) == set(key)


def score(
    form: Sequence[Mapping[str, object]],
    answers: Mapping[int, Sequence[str]],
    keys: Mapping[int, Sequence[str]],
    pass_marks: Mapping[str, object],
) -> tuple[list[PartScore], Decimal, bool]:
    """Score a form: per part on 100 and pass/fail; overall the weighted mean, passed only if every part passes.

    Reference rule (Huế 2025, TT 06/2020/TT-BNV): ≥ 50 % in every part. The marks and weights are the campaign's.
    """
    part_mark = Decimal(str(pass_marks.get("part", 50)))
    overall_mark = Decimal(str(pass_marks.get("overall", 50)))
    weights: Mapping[str, object] = pass_marks.get("weights", {}) or {}  # type: ignore[assignment]
    parts = []
    weighted = Decimal(0)
    weight_sum = Decimal(0)
    for part in form:
        items: Sequence[Mapping[str, object]] = part["items"]  # type: ignore[assignment]
        versions = [int(str(item["version"])) for item in items]
        correct = sum(1 for version in versions if is_correct(answers.get(version, ()), keys[version]))
        total = len(items)
        value = (Decimal(100) * correct / total).quantize(Decimal("0.01"), ROUND_HALF_UP) if total else Decimal(0)
        parts.append(PartScore(str(part["name"]), correct, total, value, value >= part_mark))
        weight = Decimal(str(weights.get(str(part["name"]), 1)))
        weighted += value * weight
        weight_sum += weight
    overall = (weighted / weight_sum).quantize(Decimal("0.01"), ROUND_HALF_UP) if weight_sum else Decimal(0)
    return parts, overall, overall >= overall_mark and all(part.passed for part in parts)
