"""What a person may do to a dossier now (`rules.available_actions`), timed in process against one ORM read.

    DATABASE_URL=postgres://... .venv/bin/python bench/dossier_rules.py --case LABEL CODE USERNAME [--case ...]

Every screen asks the rules before it shows a dossier; each call here is what one request asks, on objects read fresh
as a request reads them (the person, then the dossier in their scope), and only the call is timed. The reference is
`Dossier.objects.get(pk=...)` on the same connection. Prints one tab-separated line per case: figure, value,
reference, reference value (milliseconds, the best of three batch medians: the machine is shared).
"""

import argparse
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.settings.base")

import django

django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from motcua.dossiers.models import Dossier  # noqa: E402
from motcua.dossiers.rules import allowed, available_actions  # noqa: E402
from motcua.dossiers.selectors import get_dossier_for  # noqa: E402
from motcua.organizations.models import User  # noqa: E402


def median_ms(prepare: Callable[[], tuple], call: Callable[..., object], count: int) -> float:
    """Return the best of three batch medians of `call`, each on fresh arguments from the untimed `prepare`."""
    medians = []
    for _ in range(3):
        samples = []
        for _ in range(count):
            arguments = prepare()
            began = time.perf_counter()
            call(*arguments)
            samples.append((time.perf_counter() - began) * 1000)
        medians.append(statistics.median(samples))
    return min(medians)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--case", nargs=3, action="append", metavar=("LABEL", "CODE", "USERNAME"), required=True)
    parser.add_argument("--calls", type=int, default=200)  # per batch
    args = parser.parse_args()
    for label, code, username in args.case:
        person = User.objects.get(username=username)
        dossier = get_dossier_for(person, code)
        if dossier is None:
            raise SystemExit(f"{username} cannot see {code}")

        def fresh(pk: int = person.pk, code: str = code) -> tuple[Dossier, User]:
            user = User.objects.get(pk=pk)
            return get_dossier_for(user, code), user  # type: ignore[return-value]

        for _ in range(20):  # warm the connection, the calendar and the translations
            available_actions(*fresh())
        arguments = fresh()
        with CaptureQueriesContext(connection) as queries:
            offered = available_actions(*arguments)
        value = median_ms(fresh, available_actions, args.calls)
        reference = median_ms(lambda pk=dossier.pk: (pk,), lambda pk: Dossier.objects.get(pk=pk), args.calls)
        may = ", ".join(sorted(action.value for action in allowed(offered)))
        print(f"{label}: {code}, {len(offered)} actions evaluated, allowed: {may}", file=sys.stderr)
        figure = f"available_actions(), {label}, {len(queries)} queries, median (ms)"
        print(f"{figure}\t{value:.3f}\tDossier get(pk)\t{reference:.3f}")
        # The dossier is loaded with its steps and results (`get_dossier_for`): show that loading beside the call.
        with_loading = median_ms(
            lambda pk=person.pk, code=code: (User.objects.get(pk=pk), code),
            lambda user, code: available_actions(get_dossier_for(user, code), user),  # type: ignore[arg-type]
            args.calls,
        )
        figure = f"get_dossier_for() + available_actions(), {label}, median (ms)"
        print(f"{figure}\t{with_loading:.3f}\tDossier get(pk)\t{reference:.3f}")


if __name__ == "__main__":
    main()
