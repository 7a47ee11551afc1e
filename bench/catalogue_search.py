"""Search p95 over a 2,000-procedure synthetic catalogue, against a naive icontains scan, on DATABASE_URL.

Run by bench/run.py once with SQLite and once with PostgreSQL; prints one tab-separated line per figure.
"""

import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.settings.base")

import django

django.setup()

from django.core.management import call_command  # noqa: E402

from motcua.catalogue.selectors import search_procedures, versions_in_force  # noqa: E402
from motcua.catalogue.services import import_catalogue  # noqa: E402
from motcua.catalogue.synthetic import synthetic_records  # noqa: E402
from motcua.demo.seed import seed  # noqa: E402

QUERIES = 300


def p95(samples: list[float]) -> float:
    return statistics.quantiles(samples, n=20)[-1] * 1000


def main() -> None:
    label = sys.argv[1]
    call_command("migrate", verbosity=0)
    seed()
    import_catalogue(synthetic_records(2000))
    names = list(versions_in_force().values_list("name", flat=True))
    rng = random.Random(118)
    queries = []
    for _ in range(QUERIES):
        words = rng.choice(names).split()
        start = rng.randrange(len(words))
        queries.append(" ".join(words[start : start + rng.randint(1, 3)]))
    ours, naive = [], []
    for query in queries:
        began = time.perf_counter()
        search_procedures(query)[:20]
        ours.append(time.perf_counter() - began)
        began = time.perf_counter()
        list(versions_in_force().filter(name__icontains=query).order_by("name")[:20])
        naive.append(time.perf_counter() - began)
    print(f"catalogue search p95, 2,000 procedures, {label} (ms)\t{p95(ours):.2f}\tnaive icontains\t{p95(naive):.2f}")


if __name__ == "__main__":
    main()
