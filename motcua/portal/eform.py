"""The online submission's later steps: the tờ khai (e-form), how to receive the result, and the review page.

Each step saves what was typed before anything is checked, so nothing is lost; the answers are checked by the same
function as at intake (`dossiers.filled`), and the submission is sent only from the review page.
"""

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from motcua.catalogue.models import Case, Channel
from motcua.catalogue.selectors import listed_fees
from motcua.core import clock
from motcua.dossiers import drafts
from motcua.dossiers.filled import checked_return, commune_exists, papers_asked, reader, return_methods
from motcua.dossiers.models import Draft, ReturnMethod
from motcua.eforms.answers import check, prefilled
from motcua.eforms.definition import Definition
from motcua.eforms.display import sections
from motcua.eforms.layout import answers_posted, blocks
from motcua.eforms.lists import pick_lists
from motcua.eforms.selectors import definition_of, form_for
from motcua.organizations.models import Unit


def _case(draft: Draft) -> Case | None:
    position = int(draft.fields.get("case") or 0)
    return draft.version.cases.filter(position=position).first() or draft.version.cases.order_by("position").first()


def definition_for_draft(draft: Draft) -> Definition | None:
    case = _case(draft)
    form = form_for(case) if case else None
    return definition_of(form) if form else None


def papers_asked_by(draft: Draft) -> set[str]:
    """Say which papers the answers typed so far make required, as intake will (by code)."""
    return papers_asked(definition_for_draft(draft), draft.answers)


def form_page(request: HttpRequest, draft: Draft) -> HttpResponse:
    """Show the tờ khai; on POST keep the answers, check them, and go on to the next step when they hold."""
    definition = definition_for_draft(draft)
    if definition is None:
        return redirect("portal:draft-return", draft_id=draft.pk)
    errors: dict[str, str] = {}
    if request.method == "POST":
        draft = drafts.save_answers(draft, answers_posted(request.POST, definition))
        if request.headers.get("HX-Request"):  # a condition changed: draw the form again, nothing checked yet
            redrawn = {"redraw_url": request.path, "blocks": blocks(definition, draft.answers, {})}
            return render(request, "portal/eform_fields.html", redrawn)
        errors = _problems(definition, draft.answers)
        if not errors:
            return redirect("portal:draft-return", draft_id=draft.pk)
    # What the applicant step says of the person filing fills the tờ khai's matching inputs until they are answered.
    laid = blocks(definition, prefilled(definition, draft.fields, draft.answers), errors)
    problems = [(i.id, i.error) for b in laid if b.shown for i in b.inputs if i.error]
    redraw = reverse("portal:draft-form", kwargs={"draft_id": draft.pk})
    context: dict[str, object] = {
        "draft": draft,
        "definition": definition,
        "blocks": laid,
        "problems": problems,
        "redraw_url": redraw,
    }
    return render(request, "portal/eform.html", context)


def _problems(definition: Definition, answers: dict[str, str]) -> dict[str, str]:
    checked = check(definition, answers, lists=pick_lists(), commune_exists=commune_exists, today=clock.today())
    return checked.errors


def return_page(request: HttpRequest, draft: Draft) -> HttpResponse:
    """Ask how the result should reach the applicant: only the ways this procedure offers."""
    methods = return_methods(draft.version)
    error = ""
    if request.method == "POST":
        chosen = request.POST.get("return_method", "")
        draft = drafts.save_fields(
            draft, {"return_method": chosen, "return_address": request.POST.get("return_address", "")}
        )
        error = return_problem(draft) or ("" if chosen else "Chọn một hình thức nhận kết quả.")
        if not error:
            return redirect("portal:draft-review", draft_id=draft.pk)
    back = "portal:draft-form" if definition_for_draft(draft) else "portal:submit-start"
    back_url = reverse(
        back, kwargs={"draft_id": draft.pk} if back == "portal:draft-form" else {"code": draft.version.procedure.code}
    )
    context = {
        "draft": draft,
        "methods": methods,
        "chosen": draft.fields.get("return_method", ""),
        "address": draft.fields.get("return_address", ""),
        "error": error,
        "problems": [("return_method", error)] if error else [],
        "back_url": back_url,
    }
    return render(request, "portal/eform_return.html", context)


def review_page(request: HttpRequest, draft: Draft, problems: list[tuple[str, str]] | None = None) -> HttpResponse:
    """Every answer on one page, a "Thay đổi" link per part; the submission is sent from here only."""
    definition = definition_for_draft(draft)
    answered = []
    errors = {}
    if definition is not None:
        checked = check(
            definition, draft.answers, lists=pick_lists(), commune_exists=commune_exists, today=clock.today()
        )
        errors = checked.errors
        answered = sections(definition, checked.values, reader())
    case = _case(draft)
    uploads = list(draft.uploads.select_related("component").order_by("component__position", "uploaded_at"))
    method = draft.fields.get("return_method", "")
    context = {
        "draft": draft,
        "case": case,
        "fields": draft.fields,
        "answered": answered,
        "form_errors": errors,
        "uploads": uploads,
        "method_label": ReturnMethod(method).label if method in ReturnMethod.values else "",
        "receiving": Unit.objects.filter(code=draft.fields.get("receiving_unit", "")).first(),
        "problems": problems or [],
        "stamp": draft.updated_at.isoformat(),
        # The fees listed for the case online: the applicant chooses one when there are several (intake pins it).
        "fees": [fee for fee in listed_fees(case, Channel.ONLINE) if fee.amount] if case is not None else [],
    }
    return render(request, "portal/eform_review.html", context)


def review_ready(draft: Draft) -> str:
    """Say why the draft cannot be sent yet from the review page, or ""."""
    definition = definition_for_draft(draft)
    if definition is not None and _problems(definition, draft.answers):
        return "Tờ khai còn thông tin cần sửa; chọn «Thay đổi» ở phần tờ khai."
    if not draft.fields.get("return_method"):
        return "Chọn hình thức nhận kết quả."
    return return_problem(draft)


def return_problem(draft: Draft) -> str:
    """Say what is wrong with the way of return the draft keeps, as intake will check it, or ""."""
    try:
        checked_return(draft.version, draft.fields.get("return_method", ""), draft.fields.get("return_address", ""))
    except ValidationError as invalid:
        return next(message for messages in invalid.message_dict.values() for message in messages)
    return ""
