"""Run the deadline watch against the bench database and report what it read and how long it took.

The first run catches up (the generated data was flagged as of its generation, calendar versions not yet marked
applied); the second is the steady state a cron job sees every few minutes. Prints one tab-separated line per run:
label, dossiers examined, steps examined, open dossiers, milliseconds.
"""

import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.settings.base")

import django

django.setup()

from motcua.dossiers.lifecycle import RUNNING  # noqa: E402
from motcua.dossiers.models import Dossier  # noqa: E402
from motcua.dossiers.services import watch_deadlines  # noqa: E402


def main() -> None:
    running = Dossier.objects.filter(status__in=sorted(RUNNING)).count()
    for label in ("catch-up", "steady"):
        began = time.perf_counter()
        report = watch_deadlines()
        elapsed = (time.perf_counter() - began) * 1000
        print(f"{label}\t{report.dossiers_examined}\t{report.steps_examined}\t{running}\t{elapsed:.1f}")


if __name__ == "__main__":
    main()
