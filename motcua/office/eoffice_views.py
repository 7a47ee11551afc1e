"""The official documents pages (/can-bo/van-ban/, ND 30/2020/NĐ-CP): the incoming and outgoing registers of the
bodies a person works in, the clerk's registration form, one document with the actions `rules.available_actions`
offers, and its files. Every write goes through `eoffice.incoming` or `eoffice.outgoing`; no rule is decided here."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from motcua.core import clock
from motcua.core.downloads import content_disposition, serve_untrusted
from motcua.core.errors import DomainError
from motcua.eoffice import incoming, inputs, layout, outgoing, rules, selectors
from motcua.eoffice.lifecycle import (
    ACTION_LABELS,
    CHANNEL_LABELS,
    OUTGOING_LABELS,
    RELATION_LABELS,
    URGENCY_LABELS,
    Action,
    Outgoing,
    Relation,
)
from motcua.eoffice.models import IncomingDocument, IncomingFile, OutgoingDocument
from motcua.organizations.models import Role, Unit, User
from motcua.organizations.selectors import posts_of
from motcua.signing.models import DocumentType

from .task_views import parse_day
from .views import staff_only

PAGE_SIZE = 100
FLAGS = {"overdue": "overdue", "near_due": "near-due"}  # presentation state → the list's CSS mark
INCOMING_ACTIONS = {Action.PRESENT, Action.ASSIGN}
OUTGOING_ACTIONS = {
    Action.EDIT, Action.COMMENT, Action.SUBMIT, Action.REVIEW, Action.APPROVE, Action.RETURN, Action.SIGN,
    Action.ISSUE,
}  # fmt: skip
# Not in the lifecycle table: a new draft linked to an issued original, which the drafting service checks.
# The timeline's words: the lifecycle's actions and the events that are not actions.
EVENT_LABELS = {
    **{action.value: label for action, label in ACTION_LABELS.items()},
    "duplicate": "Nhận thêm một bản của văn bản đã vào sổ",
    "confirm_receipt": "Xác nhận đã nhận với nơi gửi",
    "draft": "Soạn dự thảo",
}
FOLLOW_UPS = {"thay-the": Relation.REPLACEMENT, "dinh-chinh": Relation.CORRECTION, "thu-hoi": Relation.RECALL}


def _bodies(user: User, may: Any) -> list[Unit]:
    """The bodies where the person may do what `may` (a rule of `eoffice.rules`) asks, those they hold a post in
    directly first (the form's default)."""
    ids = [unit for unit in rules.body_units(user) if may(user, unit)]
    direct = {post.unit_id for post in posts_of(user)}
    return sorted(Unit.objects.filter(pk__in=ids), key=lambda u: (u.pk not in direct, u.name))


def _day_iso(text: str) -> str:
    """A day typed dd/mm/yyyy, handed to the service as ISO; what is not a day goes through for it to refuse."""
    day = parse_day(text)
    return day.isoformat() if day is not None else text[:20]


def _chosen_unit(request: HttpRequest, bodies: list[Unit]) -> Unit:
    code = request.POST.get("co-quan", "")[:40]
    found = next((u for u in bodies if u.code == code), None) if code else bodies[0]
    if found is None:
        raise DomainError("Chọn cơ quan.", field="unit")
    return found


def _received(request: HttpRequest) -> list[incoming.Received]:
    uploads = request.FILES.getlist("tep")
    if len(uploads) > inputs.MAX_FILES:
        raise DomainError(f"Tối đa {inputs.MAX_FILES} tệp cho một văn bản.", field="files")
    received = []
    for upload in uploads:
        if upload.size is not None and upload.size > inputs.MAX_FILE_BYTES:
            raise DomainError(f"Tệp {upload.name} quá lớn.", field="files")
        received.append(incoming.Received(upload.name or "tep", upload.read()))
    return received


def _incoming_rows(request: HttpRequest, user: User) -> tuple[list[tuple[IncomingDocument, str]], dict[str, str]]:
    documents = selectors.incoming_for(user)
    year, level, state = (request.GET.get(k, "")[:12] for k in ("nam", "do-khan", "han-trinh"))
    if year.isdigit() and len(year) == 4:
        documents = documents.filter(year=int(year))
    if level in URGENCY_LABELS:
        documents = documents.filter(urgency=level)
    if state in FLAGS:  # only documents still waiting to be presented carry a presentation flag
        documents = documents.filter(presented_at__isnull=True, assignee__isnull=True)
    now = clock.now()
    rows = [(d, selectors.presentation_flag(d, now)) for d in documents[:PAGE_SIZE]]
    if state in FLAGS:
        rows = [(d, flag) for d, flag in rows if flag == state]
    return rows, {"year": year, "urgency": level, "state": state}


@login_required
def incoming_register(request: HttpRequest) -> HttpResponse:
    """Sổ văn bản đến of the person's bodies, filtered; the body's văn thư registers a document from here."""
    user = staff_only(request)
    clerk_of = _bodies(user, rules.may_register)
    error = None
    if request.method == "POST":
        if not clerk_of:
            raise PermissionDenied(rules.NOT_CLERK)
        typed = request.POST
        try:
            done = incoming.register(
                by=user, unit=_chosen_unit(request, clerk_of), channel=typed.get("nguon", ""),
                sender=typed.get("noi-gui", ""), sender_notation=typed.get("so-ky-hieu", ""),
                sender_date=_day_iso(typed.get("ngay", "")), document_type=typed.get("loai", ""),
                summary=typed.get("trich-yeu", ""), urgency=typed.get("do-khan", ""),
                pages=typed.get("so-trang", "")[:12], files=_received(request),
            )  # fmt: skip
        except DomainError as refused:
            error = refused
        else:
            document = done.document
            if done.created:
                messages.success(request, _("Đã vào sổ văn bản đến số %(n)s.") % {"n": document.number})
            else:
                messages.warning(
                    request,
                    _("Văn bản này đã được vào sổ: số đến %(n)s/%(y)s. Bản nhận thêm được ghi vào lần vào sổ đầu.")
                    % {"n": document.number, "y": document.year},
                )
            return redirect("office:eoffice-incoming-document", pk=document.pk)
    rows, chosen = _incoming_rows(request, user)
    context = {
        "rows": rows, "chosen": chosen, "clerk_of": clerk_of, "error": error,
        "typed": _typed(request) if error else {}, "urgencies": URGENCY_LABELS.items(),
        "flags": selectors.FLAG_LABELS, "channels": CHANNEL_LABELS.items(),
        "types": DocumentType.objects.order_by("name"), "years": _years(),
    }  # fmt: skip
    return render(request, "office/eoffice_incoming.html", context, status=400 if error else 200)


def _typed(request: HttpRequest) -> dict[str, str]:
    """What was typed, to fill the form again after a refusal (template names cannot hold a hyphen)."""
    return {key.replace("-", "_"): str(request.POST.get(key, "")) for key in request.POST}


def _years() -> list[int]:
    this = clock.today().year
    return list(range(this, this - 6, -1))


@login_required
def outgoing_register(request: HttpRequest) -> HttpResponse:
    """Sổ văn bản đi and the drafts of the person's bodies; drafters start a draft from here."""
    user = staff_only(request)
    drafts_in = _bodies(user, rules.may_draft)
    error = None
    if request.method == "POST":
        if not drafts_in:
            raise PermissionDenied(rules.NOT_DRAFTING)
        try:
            document = _draft(request, user, _chosen_unit(request, drafts_in))
        except DomainError as refused:
            error = refused
        else:
            messages.success(request, _("Đã lưu dự thảo."))
            return redirect("office:eoffice-outgoing-document", pk=document.pk)
    documents = selectors.outgoing_for(user)
    status = request.GET.get("trang-thai", "")[:2]
    if status.isdigit() and int(status) in set(Outgoing):
        documents = documents.filter(status=int(status))
    context = {
        "rows": list(documents[:PAGE_SIZE]), "drafts_in": drafts_in, "error": error,
        "typed": _typed(request) if error else {}, "urgencies": URGENCY_LABELS.items(),
        "statuses": OUTGOING_LABELS.items(), "status": status, "types": DocumentType.objects.order_by("name"),
    }  # fmt: skip
    return render(request, "office/eoffice_outgoing.html", context, status=400 if error else 200)


def _draft(
    request: HttpRequest, user: User, unit: Unit, original: OutgoingDocument | None = None, relation: str = ""
) -> OutgoingDocument:
    typed = request.POST
    reply_to = None
    reply = typed.get("tra-loi", "")[:12]
    if reply.isdigit():
        reply_to = selectors.incoming_for(user).filter(pk=int(reply)).first()
    return outgoing.draft(
        by=user, unit=unit, document_type=typed.get("loai", original.document_type.code if original else ""),
        summary=typed.get("trich-yeu", ""), body=typed.get("noi-dung", ""), recipients=typed.get("noi-nhan", ""),
        urgency=typed.get("do-khan", "thuong"), original=original, relation=relation, reply_to=reply_to,
    )  # fmt: skip


def _incoming(request: HttpRequest, pk: int) -> tuple[User, IncomingDocument]:
    user = staff_only(request)
    found = selectors.incoming_for(user).filter(pk=pk).first() if pk < 2**31 else None
    if found is None:
        raise Http404(_("Không tìm thấy văn bản trong phạm vi của bạn."))
    return user, found


def _outgoing(request: HttpRequest, pk: int) -> tuple[User, OutgoingDocument]:
    user = staff_only(request)
    found = selectors.outgoing_for(user).filter(pk=pk).first() if pk < 2**31 else None
    if found is None:
        raise Http404(_("Không tìm thấy văn bản trong phạm vi của bạn."))
    return user, found


def _members(unit_id: int) -> list[User]:
    """The people working in the body today: whom a document may be presented or assigned to."""
    near = User.objects.filter(Q(memberships__unit_id=unit_id) | Q(memberships__unit__parent_id=unit_id))
    return [person for person in near.distinct().order_by("full_name") if rules.body_posts(person, unit_id)]


@login_required
def incoming_document(request: HttpRequest, pk: int) -> HttpResponse:
    user, document = _incoming(request, pk)
    offers = [o for o in rules.available_actions(document, user) if o.allowed]
    context: dict[str, Any] = {
        "document": document, "offers": offers, "files": document.files.order_by("pk"),
        "events": _timeline(document.events.select_related("by")), "flag": selectors.presentation_flag(document),
        "co_handlers": document.co_handlers.order_by("full_name"),
        "task": document.directive.tasks.order_by("pk").first() if document.directive else None,
    }  # fmt: skip
    if offers:
        members = _members(document.unit_id)
        context["members"] = members
        context["leaders"] = [
            m for m in members if any(r == Role.LEADER for r, _p in rules.body_posts(m, document.unit_id))
        ]
    return render(request, "office/eoffice_incoming_detail.html", context)


@login_required
@require_POST
def incoming_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """Present or assign as the rules offer; a refusal is said on the document's page, nothing changed."""
    user, document = _incoming(request, pk)
    if action not in INCOMING_ACTIONS:
        raise Http404
    typed = request.POST
    try:
        if action == Action.PRESENT:
            incoming.present(document, by=user, to=_person(typed.get("trinh", "")))
        else:
            helpers = [p for key in typed.getlist("phoi-hop")[:50] if (p := _person(key)) is not None]
            document = incoming.assign(
                document, by=user, assignee=_person(typed.get("xu-ly", "")), co_handlers=helpers,
                instruction=typed.get("y-kien", ""), deadline=_day_iso(typed.get("han", "")) or None,
            )  # fmt: skip
    except DomainError as refused:
        messages.error(request, refused.message)
    else:
        messages.success(request, _("Đã cập nhật văn bản đến."))
    return redirect("office:eoffice-incoming-document", pk=document.pk)


def _timeline(events: Any) -> list[tuple[Any, str]]:
    return [(event, EVENT_LABELS.get(event.action, event.action)) for event in events]


def _person(key: str) -> User | None:
    key = key[:12]
    return User.objects.filter(pk=int(key)).first() if key.isdigit() else None


@login_required
def incoming_file(request: HttpRequest, pk: int, file_id: int) -> FileResponse:
    _user, document = _incoming(request, pk)
    found = IncomingFile.objects.filter(pk=file_id, document=document).first() if file_id < 2**31 else None
    if found is None:
        raise Http404
    kind = "application/pdf" if found.name.lower().endswith(".pdf") else "application/octet-stream"
    return serve_untrusted(found.content, content_type=kind, name=found.name,
                           as_attachment=request.GET.get("tai-ve") == "1")  # fmt: skip


@login_required
def outgoing_document(request: HttpRequest, pk: int) -> HttpResponse:
    user, document = _outgoing(request, pk)
    offers = [o for o in rules.available_actions(document, user) if o.allowed]
    offered = set(rules.follow_ups(document, user))
    follow_ups = [(slug, RELATION_LABELS[relation]) for slug, relation in FOLLOW_UPS.items() if relation in offered]
    context = {
        "document": document, "offers": offers, "follow_ups": follow_ups,
        "events": _timeline(document.events.select_related("by")), "versions": document.versions.select_related("by"),
        "comments": document.comments.select_related("by"), "followers": document.followers.order_by("pk"),
        "recipients": layout.recipients_of(document),
    }  # fmt: skip
    return render(request, "office/eoffice_outgoing_detail.html", context)


@login_required
@require_POST
def outgoing_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """Take an action as the rules offer it (or start a replacement, correction or recall of an issued document); a
    refusal, the signing register's too, is said on the document's page and changes nothing."""
    user, document = _outgoing(request, pk)
    if action not in OUTGOING_ACTIONS and action not in FOLLOW_UPS:
        raise Http404
    typed = request.POST
    try:
        if action in FOLLOW_UPS:
            unit = Unit.objects.get(pk=document.unit_id)
            follower = _draft(request, user, unit, original=document, relation=FOLLOW_UPS[action])
            messages.success(request, _("Đã lưu dự thảo."))
            return redirect("office:eoffice-outgoing-document", pk=follower.pk)
        chosen = Action(action)
        if chosen == Action.EDIT:
            outgoing.edit(document, by=user, summary=typed.get("trich-yeu", ""), body=typed.get("noi-dung", ""),
                          recipients=typed.get("noi-nhan", ""))  # fmt: skip
        elif chosen == Action.COMMENT:
            outgoing.comment(document, by=user, text=typed.get("gop-y", ""))
        elif chosen == Action.SIGN:
            outgoing.sign(document, by=user, passphrase=typed.get("mat-khau", "")[:200])
        elif chosen == Action.ISSUE:
            outgoing.issue(document, by=user)
        else:
            outgoing.act(document, chosen, by=user, reason=typed.get("ly-do", ""))
    except DomainError as refused:
        messages.error(request, refused.message)
    else:
        messages.success(request, _("Đã cập nhật văn bản đi."))
    return redirect("office:eoffice-outgoing-document", pk=document.pk)


@login_required
def outgoing_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The signed PDF once signed; before, the layout generated from the current draft (no number, no signature)."""
    _user, document = _outgoing(request, pk)
    if document.signed is not None:
        with document.signed.pdf.open("rb") as stored:
            content = stored.read()
        name = f"{document.notation.replace('/', '-')}.pdf"
    else:
        content, name = layout.render(document, ()), f"du-thao-{document.pk}.pdf"
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition(name, "application/pdf", as_attachment=True)
    response["X-Content-Type-Options"] = "nosniff"
    return response
