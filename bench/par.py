"""The PAR index: the ranking of all units of a round and the data feed for a round, each beside a naive per-unit
computation of the same figures, in the same run and on the same database (DATABASE_URL).

    DATABASE_URL=postgres://... .venv/bin/python bench/par.py

Makes (once) a published set of BENCH_PAR_SUBS sub-criteria (one in ten fed from a QĐ 766 indicator) for the
communes, opens a round for every commune with self-scores entered, then times:
- the ranking read (`selectors.ranking`, as the page and API) beside recomputing each unit's total from its items and
  ranking them (one query per unit);
- the feed (`services.feed_data`: one province indices board for all units) beside one board per unit
  (`feed.indicator_ratios`), the path the feed took before.
Prints one tab-separated line per figure: figure, value, reference, reference value.
"""

import os
import statistics
import sys
import time
from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.settings.base")

import django

django.setup()

from django.core.management import call_command  # noqa: E402

from motcua.core import clock  # noqa: E402
from motcua.demo.seed import seed  # noqa: E402
from motcua.organizations.models import Membership, Position, Role, Unit, User, UserKind  # noqa: E402
from motcua.par import feed, selectors, services, totals  # noqa: E402
from motcua.par.models import Assessment, Criterion, Field, Item, ParIndexSet, Round, SubCriterion  # noqa: E402

SUBS = int(os.environ.get("BENCH_PAR_SUBS", "100"))
RUNS = 30
YEAR = 2026
NAME = f"Bộ chỉ số đo hiệu năng ({SUBS} tiêu chí thành phần)"
INDICATORS = ("2.1", "3.3", "4.2", "5.4")


def vn(month: int, day: int, year: int = YEAR + 1) -> datetime:
    return datetime(year, month, day, 9, tzinfo=clock.VIETNAM)


def officer() -> User:
    user, _ = User.objects.get_or_create(username="bench.snv", defaults={"kind": UserKind.STAFF})
    Membership.objects.get_or_create(
        user=user, unit=Unit.objects.get(code="82.SNV"), role=Role.REFORM_OFFICER, valid_from=date(2020, 1, 1),
        defaults={"position": Position.SPECIALIST},
    )  # fmt: skip
    return user


def bench_round(by: User) -> Round:
    found = Round.objects.filter(index_set__name=NAME, year=YEAR).first()
    if found is not None:
        return found
    index_set = ParIndexSet.objects.create(level="xa", year=YEAR, version=ParIndexSet.objects.count() + 1, name=NAME,
                                           decision_number="1/QĐ-UBND", decision_date=date(YEAR, 1, 1),
                                           effective_from=date(YEAR, 1, 1))  # fmt: skip
    field = Field.objects.create(index_set=index_set, code="1", name="Lĩnh vực")
    criterion = Criterion.objects.create(index_set=index_set, field=field, code="1.1", name="Tiêu chí")
    SubCriterion.objects.bulk_create(
        SubCriterion(
            index_set=index_set, criterion=criterion, code=f"1.1.{n}", name=f"Tiêu chí thành phần {n}",
            max_points=Decimal(1), rule="tuyen_tinh", threshold=Decimal(100), input_type="ty_le",
            method="du_lieu_motcua" if n % 10 == 0 else "tu_danh_gia",
            indicator=INDICATORS[n // 10 % len(INDICATORS)] if n % 10 == 0 else "", evidence_required=False, order=n,
        )
        for n in range(1, SUBS + 1)
    )  # fmt: skip
    with clock.frozen(vn(1, 2)):
        services.publish_set(index_set, by=by)
        round_ = services.create_round(index_set, year=YEAR, open_from=vn(1, 5), open_to=vn(1, 31),
                                       appraisal_deadline=date(YEAR + 1, 2, 28), complaint_days=10, by=by)  # fmt: skip
        services.open_round(round_, by=by)
    # Self-scores as the units would have entered them (bulk: the benchmark is about reading them).
    for n, item in enumerate(Item.objects.filter(assessment__round=round_, sub_criterion__method="tu_danh_gia")):
        item.value, item.self_score = str(n % 101), Decimal(n % 101) / 100
        item.save(update_fields=["value", "self_score"])
    for assessment in Assessment.objects.filter(round=round_):
        services._retotal(assessment)  # the projection the service keeps, after the bulk load
    return round_


def timed(work: Callable[[], object], runs: int) -> tuple[float, float]:
    """p95 and median in milliseconds."""
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        work()
        samples.append((time.perf_counter() - start) * 1000)
    ordered = sorted(samples)
    return ordered[max(0, int(len(ordered) * 0.95) - 1)], statistics.median(samples)


def naive_ranking(round_: Round) -> list[int]:
    """Each unit's total recomputed from its items, one query per unit, then ranked."""
    policy = round_.index_set.not_applicable
    finals = []
    for assessment in round_.assessments.order_by("pk"):
        rows = assessment.items.select_related("sub_criterion")
        finals.append(totals.total(((i.sub_criterion.sign, i.sub_criterion.method, i.sub_criterion.max_points,
                                     i.self_score, i.not_applicable) for i in rows), policy))  # fmt: skip
    return totals.ranks(finals)


def main() -> None:
    call_command("migrate", verbosity=0)
    if not Unit.objects.exists():
        seed(catalogue=False)
    by = officer()
    round_ = bench_round(by)
    units = [a.unit for a in round_.assessments.select_related("unit")]
    label = f"{len(units)} units × {SUBS} sub-criteria"
    with clock.frozen(vn(1, 10)):
        ranked, ranked_median = timed(lambda: selectors.ranking(by, round_.pk), RUNS)
        naive, naive_median = timed(lambda: naive_ranking(round_), max(3, RUNS // 5))
        print(f"ranking of all units, {label}, p95 (ms)\t{ranked:.2f}\tnaive per-unit totals p95 (ms)\t{naive:.2f}")
        fed, _ = timed(lambda: services.feed_data(round_, by=by), 3)
        codes = set(INDICATORS)
        per_unit, _ = timed(lambda: [feed.indicator_ratios(u, YEAR, codes) for u in units], 1)
        print(f"data feed for the round, {label}, worst of 3 (ms)\t{fed:.0f}\tone board per unit (ms)\t{per_unit:.0f}")
        print(f"medians: ranking {ranked_median:.2f} ms, naive ranking {naive_median:.2f} ms")


if __name__ == "__main__":
    main()
