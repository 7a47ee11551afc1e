"""The PAR index pages: the rounds, one unit's form with what the rules offer now, the ranking."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from motcua.core.errors import DomainError, NotFoundError
from motcua.organizations.models import Membership
from motcua.par import rules, selectors, services
from motcua.par.lifecycle import Action

from .views import staff_only

POSTED_ACTIONS = {a.value: a for a in (Action.APPROVE, Action.SUBMIT, Action.FINALISE)}


@login_required
def round_list(request: HttpRequest) -> HttpResponse:
    """The rounds, with the units of the person's posts that are assessed in each."""
    user = staff_only(request)
    units = set(Membership.objects.filter(user=user).values_list("unit_id", flat=True))
    rounds = list(selectors.rounds()[:50])
    mine = {r.pk: [a for a in r.assessments.select_related("unit") if a.unit_id in units] for r in rounds}
    context = {
        "rows": [(r, mine[r.pk]) for r in rounds],
        "reads_all": rules.reads_all(user),
        "manages": rules.is_reform_office(user),
    }
    return render(request, "office/par_rounds.html", context)


@login_required
def assessment(request: HttpRequest, round_id: int, unit: str) -> HttpResponse:
    user = staff_only(request)
    try:
        found = selectors.assessment_for(user, round_id, unit)
    except NotFoundError:
        raise Http404 from None
    offers = [o for o in rules.offers(found, user) if o.allowed and o.action in POSTED_ACTIONS]
    items = list(selectors.items_of(found))
    context = {"assessment": found, "items": items, "offers": offers}
    return render(request, "office/par_assessment.html", context)


@login_required
@require_POST
def action(request: HttpRequest, round_id: int, unit: str, action: str) -> HttpResponse:
    user = staff_only(request)
    try:
        found = selectors.assessment_for(user, round_id, unit)
    except NotFoundError:
        raise Http404 from None
    try:
        if action == Action.SAVE_ITEM:
            files = tuple((f.name or "", f.read()) for f in request.FILES.getlist("files")[:10])
            services.save_item(found, request.POST.get("code", ""), by=user, value=request.POST.get("value", ""),
                               explanation=request.POST.get("explanation", ""), files=files)  # fmt: skip
        elif action in POSTED_ACTIONS:
            services.act(found, POSTED_ACTIONS[action], by=user)
        else:
            raise Http404
    except DomainError as refused:
        messages.error(request, refused.message)
        status = refused.status
        response = redirect("office:par-assessment", round_id=round_id, unit=unit)
        response.status_code = 303 if status < 403 else status
        return response
    messages.success(request, "Đã lưu.")
    return redirect("office:par-assessment", round_id=round_id, unit=unit)


@login_required
def ranking(request: HttpRequest, round_id: int) -> HttpResponse:
    user = staff_only(request)
    try:
        round_, rows = selectors.ranking(user, round_id)
    except NotFoundError:
        raise Http404 from None
    return render(request, "office/par_ranking.html", {"round": round_, "rows": rows})
