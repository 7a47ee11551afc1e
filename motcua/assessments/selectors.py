"""Access-scoped reads of campaigns and results: the organiser's list, a candidate's own result once published, the
training needs and whether an official may staff a one-stop counter.

Results are hidden from everyone but Sở Nội vụ before the campaign's publication date (DOMAIN-2.md §7).
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.conf import settings
from django.db.models import Q, QuerySet

from motcua.core import clock
from motcua.organizations.models import User

from . import forms, rules
from .lifecycle import DOMAIN_LABELS, AttemptStatus, Domain, ItemStatus
from .models import Answer, Attempt, Campaign, Candidate, ItemVersion

SCORED = (AttemptStatus.SUBMITTED, AttemptStatus.EXPIRED)


def campaigns_for(user: User) -> QuerySet[Campaign]:
    """Every campaign for Sở Nội vụ; otherwise those that call the person or that they invigilate."""
    if rules.is_organiser(user):
        return Campaign.objects.order_by("-opens_at")
    if not user.is_authenticated:
        return Campaign.objects.none()
    return (
        Campaign.objects.filter(Q(candidates__user=user, candidates__is_active=True) | Q(sittings__invigilators=user))
        .distinct()
        .order_by("-opens_at")
    )


def is_published(campaign: Campaign, on: date | None = None) -> bool:
    return (on or clock.today()) >= campaign.publish_on


def bank_for(user: User) -> QuerySet[ItemVersion]:
    """The bank's versions, newest first, for Sở Nội vụ only (keys included)."""
    if not rules.is_organiser(user):
        return ItemVersion.objects.none()
    return ItemVersion.objects.select_related("item", "author").order_by("status", "-created_at")


def review_queue(user: User) -> QuerySet[ItemVersion]:
    return bank_for(user).filter(status=ItemStatus.IN_REVIEW)


@dataclass(frozen=True)
class DomainScore:
    domain: str
    correct: int
    total: int

    @property
    def label(self) -> str:
        return DOMAIN_LABELS.get(Domain(self.domain), self.domain) if self.domain in set(Domain) else self.domain

    @property
    def score(self) -> Decimal:
        if not self.total:
            return Decimal(0)
        return (Decimal(100) * self.correct / self.total).quantize(Decimal("0.01"), ROUND_HALF_UP)


@dataclass(frozen=True)
class Result:
    candidate: Candidate
    attempt: Attempt | None
    domains: list[DomainScore] = field(default_factory=list)

    @property
    def sat(self) -> bool:
        return self.attempt is not None and self.attempt.status in SCORED

    @property
    def weak_domains(self) -> list[DomainScore]:
        """The domains under the training threshold [R: setting]: what the official should be trained in."""
        threshold = Decimal(settings.MOTCUA_ASSESSMENT_TRAINING_THRESHOLD)
        return [d for d in self.domains if d.score < threshold]


def _domain_scores(attempts: list[Attempt]) -> dict[int, list[DomainScore]]:
    """Per attempt, the correct answers by domain (keys read on the server only)."""
    version_ids = {int(i["version"]) for a in attempts for part in a.form for i in part["items"]}
    versions = {v.pk: v for v in ItemVersion.objects.filter(pk__in=version_ids).only("pk", "domain", "key")}
    answers: dict[int, dict[int, list[str]]] = defaultdict(dict)
    for attempt_id, version_id, chosen in Answer.objects.filter(attempt__in=attempts).values_list(
        "attempt_id", "version_id", "chosen"
    ):
        answers[attempt_id][version_id] = chosen
    scores = {}
    for attempt in attempts:
        tally: dict[str, list[int]] = {}
        for part in attempt.form:
            for entry in part["items"]:
                version = versions[int(entry["version"])]
                counts = tally.setdefault(version.domain, [0, 0])
                counts[0] += forms.is_correct(answers[attempt.pk].get(version.pk, []), version.key)
                counts[1] += 1
        scores[attempt.pk] = [DomainScore(domain, c, t) for domain, (c, t) in sorted(tally.items())]
    return scores


def _results(candidates: QuerySet[Candidate]) -> list[Result]:
    rows = list(candidates.select_related("user", "unit", "attempt").order_by("unit__name", "user__full_name"))
    attempts = [c.attempt for c in rows if hasattr(c, "attempt") and c.attempt.status in SCORED]
    scores = _domain_scores(attempts)
    results = []
    for candidate in rows:
        attempt = getattr(candidate, "attempt", None)
        results.append(Result(candidate, attempt, scores.get(attempt.pk, []) if attempt else []))
    return results


def results_for(campaign: Campaign, user: User) -> list[Result] | None:
    """The whole list for Sở Nội vụ at any time; None for anyone else (they read their own result)."""
    if not rules.is_organiser(user):
        return None
    return _results(campaign.candidates.filter(is_active=True))


def own_result(campaign: Campaign, user: User) -> Result | None:
    """The person's own result, once the publication date has come; None before it or if not a candidate."""
    if not user.is_authenticated or not is_published(campaign):
        return None
    found = _results(campaign.candidates.filter(user=user, is_active=True))
    return found[0] if found else None


def training_needs(campaign: Campaign, user: User) -> list[Result]:
    """The officials with a domain under the threshold, per unit (the list Sở Nội vụ sends to training)."""
    return [r for r in results_for(campaign, user) or [] if r.sat and r.weak_domains]


@dataclass(frozen=True)
class Eligibility:
    eligible: bool
    reason: str
    campaign: Campaign | None = None


def counter_eligible(user: User, on: date) -> Eligibility:
    """Whether an official passed the latest published campaign that qualifies for one-stop duty, as of `on`.

    ND 61/2018/NĐ-CP sets the one-stop staff standard (ngạch chuyên viên, ≥ 3 years, "hoàn thành tốt nhiệm vụ",
    DOMAIN.md §1.1); a province may add "passed the latest campaign" [R: MOTCUA_ONE_STOP_REQUIRES_PASSED_CAMPAIGN].
    Only campaigns whose results are published on `on` count; the latest one that called the official decides.
    """
    if not settings.MOTCUA_ONE_STOP_REQUIRES_PASSED_CAMPAIGN:
        return Eligibility(True, "Tỉnh không yêu cầu đạt kỳ kiểm tra năng lực để làm việc tại Bộ phận Một cửa.")
    candidacy = (
        Candidate.objects.filter(
            user=user, is_active=True, campaign__qualifies_one_stop=True, campaign__publish_on__lte=on
        )
        .select_related("campaign", "attempt")
        .order_by("-campaign__publish_on", "-campaign__closes_at")
        .first()
    )
    if candidacy is None:
        return Eligibility(False, "Chưa dự đợt kiểm tra năng lực nào dùng để xét bố trí tại Bộ phận Một cửa.")
    attempt = getattr(candidacy, "attempt", None)
    if attempt is not None and attempt.status in SCORED and attempt.passed:
        return Eligibility(True, f"Đạt đợt kiểm tra «{candidacy.campaign.name}».", candidacy.campaign)
    return Eligibility(False, f"Chưa đạt đợt kiểm tra «{candidacy.campaign.name}».", candidacy.campaign)


def attempt_view(attempt: Attempt) -> dict[str, Any]:
    """The candidate's view of an attempt: the form's stems and options in their order, never a key."""
    versions = {
        v.pk: v
        for v in ItemVersion.objects.filter(pk__in={int(i["version"]) for part in attempt.form for i in part["items"]})
    }
    saved = dict(Answer.objects.filter(attempt=attempt).values_list("version_id", "chosen"))
    parts = []
    for part in attempt.form:
        items = []
        for entry in part["items"]:
            version = versions[int(entry["version"])]
            texts = {o["id"]: o["text"] for o in version.options}
            items.append({
                "item": version.pk, "type": version.type, "stem": version.stem,
                "options": [{"id": o, "text": texts[o]} for o in entry["options"]],
                "chosen": saved.get(version.pk, []),
            })  # fmt: skip
        parts.append({"name": part["name"], "items": items})
    published = clock.today() >= attempt.candidate.campaign.publish_on
    return {
        "id": attempt.pk, "status": attempt.status, "sequence": attempt.sequence,
        "server_now": clock.now().isoformat(), "deadline_at": attempt.deadline_at.isoformat(),
        "remaining_seconds": max(0, int((attempt.deadline_at - clock.now()).total_seconds())),
        "parts": parts,
        "result": {"score": str(attempt.score), "passed": attempt.passed, "parts": attempt.parts}
        if published and attempt.score is not None else None,
    }  # fmt: skip
