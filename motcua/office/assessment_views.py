"""The competency tests' pages: the candidate's test, the bank with its review actions, campaigns and results.

Each page asks `motcua.assessments.rules` and `selectors`; the writes go through the services, like the API.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from motcua.assessments import bank, rules, selectors, services
from motcua.assessments.lifecycle import ItemAction
from motcua.assessments.models import Attempt, Candidate, ItemVersion
from motcua.core import clock
from motcua.core.errors import DomainError

from .views import staff_only

PAGE_SIZE = 200


@login_required
def campaigns(request: HttpRequest) -> HttpResponse:
    """The campaigns the person organises, sits or invigilates."""
    user = staff_only(request)
    context = {"campaigns": selectors.campaigns_for(user)[:PAGE_SIZE], "organiser": rules.is_organiser(user)}
    return render(request, "office/assessment_campaigns.html", context)


@login_required
def item_bank(request: HttpRequest) -> HttpResponse:
    """The bank for Sở Nội vụ: each version with the actions the rules offer this person now."""
    user = staff_only(request)
    if not rules.is_organiser(user):
        raise PermissionDenied(rules.NOT_ORGANISER)
    rows = [(v, [o for o in rules.item_actions(v, user) if o.allowed]) for v in selectors.bank_for(user)[:PAGE_SIZE]]
    return render(request, "office/assessment_bank.html", {"rows": rows})


@login_required
@require_POST
def item_action(request: HttpRequest, version_id: int, action: str) -> HttpResponse:
    user = staff_only(request)
    if action not in {a.value for a in ItemAction}:
        raise Http404
    version = ItemVersion.objects.select_related("item").filter(pk=version_id).first()
    if version is None or not rules.is_organiser(user):
        raise PermissionDenied(rules.NOT_ORGANISER)
    try:
        bank.act_on_item(version, ItemAction(action), by=user, reason=request.POST.get("ly-do", ""))
    except DomainError as refused:  # nothing changed, said on the page
        messages.error(request, refused.message)
    else:
        messages.success(request, _("Đã cập nhật câu hỏi %(code)s.") % {"code": version.item.code})
    return redirect("office:assessment-bank")


@login_required
def campaign(request: HttpRequest, campaign_id: int) -> HttpResponse:
    """A campaign: the whole results list and training needs for Sở Nội vụ; one's own result once published."""
    user = staff_only(request)
    found = selectors.campaigns_for(user).filter(pk=campaign_id).first()
    if found is None:
        raise Http404
    results = selectors.results_for(found, user)
    rows = None
    if results is not None:  # the eligibility each result gives for one-stop duty, as of today
        rows = [(r, selectors.counter_eligible(r.candidate.user, clock.today())) for r in results]
    candidacy = Candidate.objects.filter(campaign=found, user=user, is_active=True).first()
    context = {
        "campaign": found, "results": rows, "needs": selectors.training_needs(found, user),
        "own": selectors.own_result(found, user), "candidacy": candidacy,
        "published": selectors.is_published(found), "my_eligibility": selectors.counter_eligible(user, clock.today()),
    }  # fmt: skip
    return render(request, "office/assessment_campaign.html", context)


@login_required
def take(request: HttpRequest, campaign_id: int) -> HttpResponse:
    """The test page: start or resume on POST, then every item on one page; autosave by assessment.js."""
    user = staff_only(request)
    candidacy = (
        Candidate.objects.select_related("campaign").filter(campaign_id=campaign_id, user=user, is_active=True).first()
    )
    if candidacy is None:
        raise Http404
    attempt = Attempt.objects.filter(candidate=candidacy).first()
    if request.method == "POST":
        if not request.session.session_key:
            request.session.save()
        try:
            attempt = services.start_attempt(candidacy, device=request.session.session_key or "", by=user)
        except DomainError as refused:
            messages.error(request, refused.message)
            return redirect("office:assessment-campaign", campaign_id=campaign_id)
        return redirect("office:assessment-take", campaign_id=campaign_id)
    context = {
        "campaign": candidacy.campaign,
        "attempt": attempt,
        "body": selectors.attempt_view(attempt) if attempt else None,
    }
    return render(request, "office/assessment_take.html", context)
