"""Give the generated dossiers the results a live system holds, and the commune chairman a signing queue.

Run after bench/dossiers_generate.py, with DATABASE_URL pointing at that database:

    .venv/bin/python bench/results_generate.py [--signable 30]

Every finished dossier keeps its result (one dossiers_resultdocument row; no file is written: no measured page opens
it). Results are signed in the system for the demo's birth registration and then for the commune procedures, in
catalogue order, as long as the chairman of 28261.UBND keeps at most --signable dossiers waiting at his signing step
(a version that would take him past it is left to paper signatures). Under such a version, a dossier at its signing
step has the unsigned result its drafting step attached, one in five at the drafting step has attached it and not
handed on yet (not for the chairman to sign), and a finished one or one past the signing step has its signed result.

Prints one tab-separated line: the dossiers the chairman's signing list shows, those the rules let him sign (every
dossier at one of his units' active steps, asked one by one: the two differ when the list's narrowing or limit drops
one), the candidates the list's query gave the rules, the dossier at the top of the specialist's unit queue that the
specialist holds, and the first dossier of the chairman's signing list.
"""

import argparse
import os
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.settings.base")

import django

django.setup()

from django.db import connection, transaction  # noqa: E402

from motcua.catalogue.models import Step  # noqa: E402
from motcua.catalogue.selectors import versions_in_force  # noqa: E402
from motcua.dossiers.lifecycle import Action, Actor, Status  # noqa: E402
from motcua.dossiers.models import Dossier, StepTask  # noqa: E402
from motcua.dossiers.processing import StepState  # noqa: E402
from motcua.dossiers.rules import SIGNING_POSITIONS, Offer, actors_of, allowed, available_actions  # noqa: E402
from motcua.dossiers.selectors import list_dossiers_for, unit_queue  # noqa: E402
from motcua.organizations.models import Role, User  # noqa: E402
from motcua.organizations.selectors import current_memberships_of  # noqa: E402
from motcua.signing import selectors  # noqa: E402
from motcua.signing.models import DocumentType, ResultSigning  # noqa: E402

CHAIRMAN, SPECIALIST = "mytho.lanhdao", "mytho.chuyenvien"  # of 28261.UBND, the busiest commune committee
# A path no upload takes (those are results/<2 hex>/<sha256>.pdf): a second run replaces what the first wrote.
PREFIX = "results/bench/"
# What every row shares: a placeholder file named by its SHA-256, and who attached it (a specialist of the competent
# unit where there is one, else the demo's). {where} picks the dossiers (not those the demo gave a result), {at} and
# {signed} say when and whether.
INSERT = f"""
INSERT INTO dossiers_resultdocument
    (dossier_id, title, file, sha256, is_generated, created_at, created_by_id, signature, reason)
SELECT d.id, coalesce(t.name, 'Kết quả giải quyết'), '{PREFIX}' || h.sha || '.pdf', h.sha, false, {{at}},
       coalesce(m.user_id, %(specialist)s), {{signed}}, ''
FROM dossiers_dossier d
CROSS JOIN LATERAL (SELECT md5('result ' || d.id) || md5('bench ' || d.id) AS sha) h
LEFT JOIN signing_resultsigning r ON r.version_id = d.version_id
LEFT JOIN signing_documenttype t ON t.id = r.document_type_id
LEFT JOIN (
    SELECT DISTINCT ON (unit_id) unit_id, user_id FROM organizations_membership
    WHERE role = 'specialist' AND valid_to IS NULL ORDER BY unit_id, id
) m ON m.unit_id = d.competent_unit_id
{{join}}
WHERE {{where}} AND NOT EXISTS (SELECT 1 FROM dossiers_resultdocument x WHERE x.dossier_id = d.id)
"""
AT_STEP = (
    "JOIN dossiers_steptask s ON s.dossier_id = d.id AND s.state = 1 JOIN bench_signing p ON p.case_id = d.case_id"
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--signable", type=int, default=30)
    args = parser.parse_args()
    began = time.perf_counter()
    chairman = User.objects.get(username=CHAIRMAN)
    specialist = User.objects.get(username=SPECIALIST)
    with transaction.atomic():
        positions = register_versions(chairman, args.signable)
        written = write_results(positions, specialist)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM (ANALYZE) dossiers_resultdocument")
    signable, asked = signing_list(chairman)
    # What the list should show, from the rules alone: every dossier being processed in his scope, with a result and
    # an active step in one of his units, asked one by one (the list's own narrowing is what is checked).
    units = current_memberships_of(chairman).values("unit")
    held_here = list_dossiers_for(chairman).filter(
        status=Status.PROCESSING, steps__state=StepState.ACTIVE, steps__unit__in=units, results__isnull=False
    )
    may_sign = sum(Action.SIGN_RESULT in allowed(available_actions(d, chairman)) for d in held_here.distinct())
    held = held_by(specialist)
    print(
        f"{written:,} results written, {len(positions)} cases signed in the system, in "
        f"{time.perf_counter() - began:.0f} s; the rules let {chairman.username} sign {may_sign}, his list shows "
        f"{len(signable)} after asking them about {asked} candidates; {specialist.username} holds {held} at the top "
        "of the unit queue"
    )
    first = signable[0].code if signable else ""
    print(f"{len(signable)}\t{may_sign}\t{asked}\t{held}\t{first}")


def signing_list(chairman: User) -> tuple[list[Dossier], int]:
    """Return the chairman's signing list and how many candidates its query gave the rules to decide."""
    asked = 0
    ask = selectors.available_actions

    def counted(*args: Any, **kwargs: Any) -> list[Offer]:
        nonlocal asked
        asked += 1
        return ask(*args, **kwargs)

    selectors.available_actions = counted  # type: ignore[assignment]
    try:
        return selectors.signable_dossiers_for(chairman), asked
    finally:
        selectors.available_actions = ask


def signing_steps(version_ids: list[int]) -> dict[int, tuple[int, int, int]]:
    """Return each case's (version, drafting step, signing step) as the rules find them when no entry names a step:
    the signing step is the last done by a head or deputy, the drafting one the last before it in the same unit."""
    steps: dict[int, list[Step]] = {}
    for step in Step.objects.filter(case__version__in=version_ids).select_related("case").order_by("case", "position"):
        steps.setdefault(step.case_id, []).append(step)
    found = {}
    for case, rows in steps.items():
        signer = next((s for s in reversed(rows) if s.staff_position in SIGNING_POSITIONS), None)
        before = [s for s in rows if signer is not None and s.position < signer.position]
        drafting = [s for s in before if s.unit_ref == signer.unit_ref] or before  # type: ignore[union-attr]
        if signer is not None and drafting:
            found[case] = (rows[0].case.version_id, drafting[-1].position, signer.position)
    return found


def register_versions(chairman: User, limit: int) -> dict[int, tuple[int, int, int]]:
    """Sign the commune procedures' results in the system while the chairman's queue stays within the limit; return
    the signing steps of the cases so signed."""
    commune = list(versions_in_force().filter(competent_unit=None).order_by("pk").values_list("pk", flat=True))
    positions = signing_steps(commune)
    unit = current_memberships_of(chairman).get(role=Role.LEADER).unit_id
    waiting: Counter[int] = Counter()
    at_unit = StepTask.objects.filter(unit=unit, state=StepState.ACTIVE, dossier__status=Status.PROCESSING)
    for case, position in at_unit.values_list("dossier__case", "position"):
        if case in positions and positions[case][2] == position:
            waiting[positions[case][0]] += 1
    registered = set(ResultSigning.objects.values_list("version", flat=True))  # the demo's birth registration
    total = sum(waiting[version] for version in registered)
    # Most commune results are decisions (quyết định); the type changes nothing the list or the rules read.
    decision = DocumentType.objects.get(code="quyet_dinh")
    for version in commune:
        if version not in registered and total + waiting[version] <= limit:
            ResultSigning.objects.create(version_id=version, document_type=decision, legal_basis="bench")
            registered.add(version)
            total += waiting[version]
    return {case: where for case, where in positions.items() if where[0] in registered}


def write_results(positions: dict[int, tuple[int, int, int]], specialist: User) -> int:
    params = {"specialist": specialist.pk}
    written = 0
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM dossiers_resultdocument WHERE file LIKE %s", [PREFIX + "%"])
        cursor.execute("CREATE TEMP TABLE bench_signing (case_id bigint, drafting int, signing int) ON COMMIT DROP")
        for case, (_version, drafting, signing) in positions.items():
            cursor.execute("INSERT INTO bench_signing VALUES (%s, %s, %s)", [case, drafting, signing])
        signed = "CASE WHEN r.id IS NULL THEN NULL ELSE gen_random_uuid() END"
        for at, where, join, signature in (
            # Finished: attached before the dossier was completed; signed if its version is signed here.
            ("d.closed_at", "d.status IN (9, 10)", "", signed),
            # Waiting for the signature: the drafting step attached it and handed on.
            ("s.started_at", "d.status = 4 AND s.position = p.signing", AT_STEP, "NULL"),
            # Attached at the drafting step, not handed on yet.
            (
                "s.started_at + (now() - s.started_at) / 2",
                "d.status = 4 AND s.position = p.drafting AND d.id %% 5 = 0",
                AT_STEP,
                "NULL",
            ),
            # Signed, on its way back to the counter.
            ("s.started_at", "d.status = 4 AND s.position > p.signing", AT_STEP, "gen_random_uuid()"),
        ):
            cursor.execute(INSERT.format(at=at, where=where, join=join, signed=signature), params)
            written += cursor.rowcount
    return written


def held_by(specialist: User) -> str:
    """Return the first dossier of the specialist's unit queue being processed (not paused) at a step he may do."""
    unit = current_memberships_of(specialist).get(role=Role.SPECIALIST).unit_id
    for step in unit_queue(unit)[:500]:
        processing = step.dossier.status == Status.PROCESSING
        if processing and Actor.STEP_OFFICER in actors_of(specialist, step.dossier, step):
            return step.dossier.code
    raise RuntimeError(f"{specialist.username} holds no step of the unit queue")


if __name__ == "__main__":
    main()
