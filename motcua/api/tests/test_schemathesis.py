"""Schemathesis over every API operation, anonymous and with a token per role: no 5xx, every answer as documented.

The cases go through `motcua.wsgi.application`, the object granian serves in production, in this process: every
middleware, the WSGI path decoding and CSRF run as on a server. A pytest-django `live_server` would add only
wsgiref's HTTP parsing (which production does not use) and needs transactional tests, whose flush would empty the
seeded database and could not undo one case before the next. Here each case runs in a savepoint that is rolled back,
so every case meets the same demo province, whatever the case before it withdrew, signed out or locked.

PostgreSQL only: SQLite stores NUL bytes and other values PostgreSQL refuses, so it hides the failures this finds.
Generation is derandomised and seeded, so a CI run repeats the cases of the run before it.
"""

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

import pytest
import schemathesis
from django.conf import settings
from django.core import signals
from django.core.cache import cache
from django.db import close_old_connections, transaction
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from motcua.api.tokens import issue_token
from motcua.catalogue.models import Component
from motcua.conftest import TEST_TOKEN_LIFETIME
from motcua.demo.seed import DEMO_COMMUNE, DEMO_PASSWORD, seed
from motcua.dossiers.models import Dossier
from motcua.organizations.models import Unit, User
from motcua.signing.models import SignedDocument
from motcua.wsgi import application

OPENAPI = Path(__file__).resolve().parents[3] / "docs" / "openapi.yaml"
ON_POSTGRESQL = settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"
pytestmark = pytest.mark.django_db
on_postgresql_only = pytest.mark.skipif(
    not ON_POSTGRESQL, reason="PostgreSQL only: SQLite stores the NUL bytes PostgreSQL refuses"
)

# One account per role, from the demo seed: the Phường Mỹ Tho staff handle the demo dossiers.
ROLES = {
    "anonymous": None,
    "citizen": "0912345678",
    "one_stop_officer": "mytho.motcua",
    "specialist": "mytho.chuyenvien",
    "leader": "mytho.lanhdao",
    "admin": "quantri",
}
# The coverage phase sends every boundary and invalid value the schema implies, in every location, and the methods an
# operation does not have: to the public surface as anyone meets it, and with the deepest reach, the administrator's.
COVERAGE_ROLES = ["anonymous", "admin"]
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
HYPOTHESIS = hypothesis_settings(
    max_examples=15,  # random cases per operation and role: the module takes about three minutes on two cores
    derandomize=True,
    database=None,  # nothing remembered between runs: CI repeats exactly
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.filter_too_much],
)
APPLICANT = {"name": "Trần Thị Bình", "citizen_id": "082190004567", "phone": "0987654321"}


class Tracked(NamedTuple):
    code: str
    secret: str
    phone_last4: str


@dataclass(frozen=True)
class Known:
    """What exists in the seeded province, so that half the random cases get past "not found"."""

    dossiers: tuple[Tracked, ...]  # one per status
    path_values: dict[tuple[str, str], tuple[str, ...]]  # (first segment after /api/v1/, parameter) → values
    filing: dict[str, Any]  # the parts of an intake that name real things: procedure, unit, commune, papers


KNOWN: list[Known] = []  # holds the province while it exists; the hook reads it as it generates


def flatmap_case(context: schemathesis.HookContext, case: schemathesis.Case) -> st.SearchStrategy[Any]:
    """Half the time, point the case at things that exist: a real dossier (with its secret or phone digits to track
    it), unit, procedure or signed document in the path, a real procedure, unit and papers in an intake, and a demo
    account's password to sign in."""
    if not KNOWN:
        return st.just(case)
    known, segment = KNOWN[0], case.operation.path.split("/")[3]
    parameters = case.path_parameters if isinstance(case.path_parameters, dict) else {}
    real: st.SearchStrategy[dict[str, Any]]
    if segment == "tracking" and "code" in parameters:
        real = st.sampled_from(known.dossiers).flatmap(
            lambda d: st.sampled_from([{"secret": d.secret}, {"phone": d.phone_last4}]).map(
                lambda proof: {"path": {"code": d.code}, "query": proof}
            )
        )
    elif case.operation.label == "POST /api/v1/dossiers" and isinstance(case.body, dict):
        # The real names alone, or with a valid applicant too: the fuzzed rest decides how far the intake goes.
        real = st.sampled_from([known.filing, {**known.filing, "applicant": APPLICANT}]).map(lambda b: {"body": b})
    elif case.operation.label == "POST /api/v1/auth/token" and isinstance(case.body, dict):
        accounts = [name for name in ROLES.values() if name is not None]
        real = st.sampled_from(accounts).map(lambda name: {"body": {"username": name, "password": DEMO_PASSWORD}})
    else:
        values = {name: known.path_values.get((segment, name), ()) for name in parameters}
        if not any(values.values()):
            return st.just(case)
        chosen = st.fixed_dictionaries({name: st.sampled_from(v) for name, v in values.items() if v})
        real = chosen.map(lambda path: {"path": path})

    def point(parts: dict[str, Any]) -> schemathesis.Case:
        case.path_parameters = {**parameters, **parts.get("path", {})}
        if "query" in parts:
            case.query = {**(case.query or {}), **parts["query"]}
        if "body" in parts:
            case.body = {**case.body, **parts["body"]}
        return case

    return st.one_of(st.just(case), real.map(point))


def load_schema(*, phase: str) -> schemathesis.BaseSchema:
    """Load the committed schema, sent to the application in this process, to run one generation phase."""
    phases = {name: {"enabled": name == phase} for name in ("examples", "coverage", "fuzzing", "stateful")}
    config = schemathesis.Config.from_dict({"seed": 766, "phases": phases})
    loaded = schemathesis.openapi.from_path(OPENAPI, config=config)
    loaded.app = application
    loaded.hook(flatmap_case)
    return loaded


FUZZING = load_schema(phase="fuzzing")
COVERAGE = load_schema(phase="coverage")


@pytest.fixture(scope="module")
def province(django_db_setup: None, django_db_blocker: Any) -> Iterator[Known]:
    """Seed the demo province once for the module: its catalogue and dossiers at every step, rolled back after."""
    with django_db_blocker.unblock(), transaction.atomic():
        seed(catalogue=True)
        rows = Dossier.objects.order_by("-status", "-code").values_list(
            "status", "code", "tracking_secret", "applicant_phone"
        )
        one_per_status = {status: Tracked(code, secret, phone[-4:]) for status, code, secret, phone in rows}
        dossiers = tuple(one_per_status[status] for status in sorted(one_per_status))
        units = Unit.objects.filter(code__in=[f"{DEMO_COMMUNE}.TTPVHCC", f"{DEMO_COMMUNE}.UBND", "82.STP"])
        unit_ids = tuple(str(pk) for pk in units.values_list("pk", flat=True))
        documents = SignedDocument.objects.order_by("pk").values_list("public_id", flat=True)[:3]
        papers = Component.objects.filter(case__version__procedure__code="1.001193", case__position=0)
        KNOWN.append(
            Known(
                dossiers,
                {
                    ("dossiers", "code"): tuple(d.code for d in dossiers),
                    ("procedures", "code"): ("1.001193", "2.000815"),
                    ("units", "code"): tuple(units.values_list("code", flat=True)),
                    ("queues", "unit_id"): unit_ids,
                    ("registers", "unit_id"): unit_ids,
                    ("verify", "public_id"): tuple(str(public_id) for public_id in documents),
                },
                {
                    "procedure": "1.001193",
                    "case": 0,
                    "receiving_unit": f"{DEMO_COMMUNE}.TTPVHCC",
                    "commune": DEMO_COMMUNE,
                    "papers": [{"component": c.code, "originals": 1} for c in papers.order_by("position")],
                },
            )
        )
        yield KNOWN[0]
        KNOWN.clear()
        transaction.set_rollback(True)


@pytest.fixture
def as_wsgi_server() -> Iterator[None]:
    """Keep the test's connection: a server closes it after each request, which would end the test's transaction."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


def token_headers(role: str) -> dict[str, str]:
    username = ROLES[role]
    if username is None:
        return {}
    token = issue_token(User.objects.get(username=username), lifetime=TEST_TOKEN_LIFETIME)[1]
    return {"Authorization": f"Token {token}"}


@pytest.fixture(params=list(ROLES))
def any_role(request: pytest.FixtureRequest, province: Known, db: None, as_wsgi_server: None) -> dict[str, str]:
    return token_headers(request.param)


@pytest.fixture(params=COVERAGE_ROLES)
def coverage_role(request: pytest.FixtureRequest, province: Known, db: None, as_wsgi_server: None) -> dict[str, str]:
    return token_headers(request.param)


def call_and_check(case: schemathesis.Case, headers: dict[str, str]) -> None:
    """Send the case in a savepoint that is rolled back, then hold the answer to the schema."""
    with transaction.atomic():
        cache.clear()  # the limits count per case, not per run: every case reaches the view
        response = case.call(headers=headers)
        transaction.set_rollback(True)
    case.validate_response(response, checks=CHECKS, headers=headers)


def test_every_operation_of_the_code_is_in_the_committed_schema() -> None:
    """The cases come from docs/openapi.yaml; an operation missing there would never be sent."""
    generated = SchemaGenerator().get_schema(request=None, public=True)
    code = {f"{m.upper()} {p}" for p, ops in generated["paths"].items() for m in ops if m != "parameters"}
    committed = {result.ok().label for result in FUZZING.get_all_operations()}
    assert len(code) >= 29
    assert committed == code


def test_a_step_nobody_has_claimed_is_listed_as_documented(province: Known, as_wsgi_server: None) -> None:
    """A unit's queue holds steps without an assignee; Schemathesis found them answered as null, documented as text."""
    unit = Unit.objects.get(code=f"{DEMO_COMMUNE}.UBND")
    case = FUZZING["/api/v1/queues/unit/{unit_id}"]["GET"].Case(path_parameters={"unit_id": unit.pk})
    response = case.call(headers=token_headers("leader"))
    assert response.status_code == 200
    assert None in [row["assignee"] for row in response.json()["results"]]
    case.validate_response(response, checks=CHECKS)


@on_postgresql_only
@FUZZING.parametrize()
@HYPOTHESIS
def test_random_cases_per_role(case: schemathesis.Case, any_role: dict[str, str]) -> None:
    call_and_check(case, any_role)


@on_postgresql_only
@COVERAGE.parametrize()
@HYPOTHESIS
def test_boundary_and_invalid_values(case: schemathesis.Case, coverage_role: dict[str, str]) -> None:
    call_and_check(case, coverage_role)
