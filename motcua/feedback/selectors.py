"""Reads of feedback cases, scoped: handlers see theirs by due time; a sender follows one by its code and secret."""

import hmac
from datetime import date
from typing import Any

from django.db.models import Count, Q, QuerySet

from motcua.dossiers.lifecycle import Status as DossierStatus
from motcua.dossiers.models import Dossier
from motcua.dossiers.processing import StepState
from motcua.dossiers.selectors import get_dossier_for
from motcua.dossiers.tracking import track
from motcua.organizations.models import AGENCY_TYPES, Role, Unit, User
from motcua.organizations.selectors import agencies_above, memberships_on, posts_of, superior_agency

from .lifecycle import Action, Kind, Status
from .models import Competence, FeedbackCase, FeedbackEvent, Handler


def cases_for(user: User) -> QuerySet[FeedbackCase]:
    """The cases a person handles, the nearest due first: the leader's unit's, or every one for the province
    monitor; never those reporting the person themselves."""
    if not user.is_authenticated or user.is_citizen:
        return FeedbackCase.objects.none()
    posts = posts_of(user)
    cases = FeedbackCase.objects.select_related("handling_unit", "dossier").order_by("due_at", "pk")
    if not any(post.role == Role.PROVINCE_MONITOR for post in posts):
        led = [post.unit_id for post in posts if post.role == Role.LEADER]
        cases = cases.filter(handling_unit__in=led)
    return cases.filter(~Q(reported_official=user) | Q(reported_official__isnull=True))


def tracked(code: str, secret: str) -> FeedbackCase | None:
    """A case for its code and secret; a wrong code and a wrong secret give the same None."""
    case = FeedbackCase.objects.select_related("handling_unit").filter(code=code.strip()[:32]).first()
    known = case.tracking_secret if case is not None else "-"
    if not secret or not hmac.compare_digest(secret.encode(), known.encode()):
        return None
    return case


def sent_by(user: User | None, code: str, secret: str = "") -> FeedbackCase | None:
    """A case its sender acts on: filed from their account, or proved by its code and secret."""
    if user is not None and user.is_authenticated and user.is_citizen:
        own = FeedbackCase.objects.select_related("handling_unit").filter(code=code.strip()[:32], citizen=user)
        if (case := own.first()) is not None:
            return case
    return tracked(code, secret)


def dossier_for_report(user: User, code: str, *, secret: str = "", phone: str = "") -> Dossier | None:
    """The dossier a person may report on: their own (a citizen signed in), or the one whose receipt they hold (its
    secret or the applicant's phone digits, checked as public tracking checks them: a wrong code and a wrong proof
    give the same None)."""
    code = code.strip()
    if not code:
        return None
    if user.is_authenticated and user.is_citizen:
        own = get_dossier_for(user, code)
        if own is not None:
            return own
    if not (secret or phone) or track(code, secret=secret, phone_last4=phone) is None:
        return None
    return Dossier.objects.select_related("case", "version").get(code=code)


def handling_unit_for(dossier: Dossier) -> Unit:
    """The unit whose head answers for how the dossier is handled now: the one holding it (the active step's unit,
    else the receiving unit before processing starts, else the competent unit); a unit nobody leads (a commune's
    service centre) hands it to the competent unit, whose leaders direct that centre."""
    step = dossier.steps.filter(state=StepState.ACTIVE).select_related("unit").first()
    if step is not None:
        holding = step.unit
    elif dossier.status in (DossierStatus.SUBMITTED, DossierStatus.RECEIVED, DossierStatus.REFUSED):
        holding = dossier.receiving_unit
    else:
        holding = dossier.competent_unit
    return holding if _led(holding) else dossier.competent_unit


def _led(unit: Unit) -> bool:
    return memberships_on().filter(unit=unit, role=Role.LEADER).exists()


def competent_unit_for(kind: Kind, subject: Unit, *, about_head: bool, on: date) -> Unit:
    """The unit that handles a case about `subject` by the competence table in force; a unit nobody leads (a
    service centre) hands it to the agency above it, whose leaders direct it."""
    rule = (
        Competence.objects.filter(kind=kind, about_head=about_head, effective_from__lte=on)
        .order_by("-effective_from")
        .first()
    )
    if rule is not None and rule.handler == Handler.PARENT:
        return _led_from(superior_agency(subject) or subject)
    return _led_from(subject)


def second_instance_unit(first: FeedbackCase) -> Unit:
    """Who decides a complaint the second time: the head of the agency directly above the one that decided it first
    (Luật Khiếu nại 2011 art. 18-21 [R: confirm per level]), or above again while nobody leads it."""
    return _led_from(superior_agency(first.handling_unit) or first.handling_unit)


def _led_from(unit: Unit) -> Unit:
    """The unit if someone leads it, else the nearest agency above it that someone leads (a service centre's
    committee); the topmost when none is led, which the province monitor still sees."""
    candidate = unit
    for candidate in (unit, *agencies_above(unit)):
        if _led(candidate):
            return candidate
    return candidate


def subject_units(province: str) -> QuerySet[Unit]:
    """The agencies a case may be about, by type and name (the form groups them by level)."""
    return Unit.objects.filter(province_code=province, type__in=AGENCY_TYPES).order_by("type", "name")


def officials_of(dossier: Dossier) -> list[User]:
    """The officials who acted on the dossier, by name: the sender may say which of them asked for the paper."""
    ids = dossier.events.filter(actor__kind="staff").values_list("actor", flat=True)
    return list(User.objects.filter(pk__in=ids).order_by("full_name", "username"))


def skipped_level_by_unit(cases: QuerySet[FeedbackCase]) -> list[dict[str, Any]]:
    """Per competent unit, the cases its citizens took above it (vượt cấp), and how many of them after a case there
    was answered late or disliked: what its leaders should see."""
    children = cases.filter(parent__skipped_level=True)
    counted = children.values("handling_unit__name").annotate(
        sent_above=Count("pk"), after_lower=Count("pk", filter=Q(parent__after_lower=True))
    )
    return [dict(row) for row in counted.order_by("-sent_above", "handling_unit__name")]


def routes_of(case: FeedbackCase) -> list[FeedbackEvent]:
    """Where a case went: each forward and each child opened, with the unit, the day and the due instant."""
    moves = case.events.filter(action__in=[Action.FORWARD, Action.OPEN_CHILD]).order_by("sequence")
    return list(moves)


def question_of(case: FeedbackCase) -> str:
    """What the handler asked the sender, while the case waits for the answer."""
    if case.status != Status.WAITING_INFO:
        return ""
    asked = case.events.filter(action=Action.REQUEST_INFO).order_by("-sequence").first()
    return asked.reason if asked is not None else ""
