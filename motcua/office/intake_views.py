"""Counter intake: find the procedure, tick the case's papers, receive the dossier or refuse it (Form 03)."""

import re
import unicodedata
import uuid
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _

from motcua.catalogue.models import Case, Channel, Component, Fee
from motcua.catalogue.selectors import get_version_on, limit_for, search_procedures
from motcua.core import clock
from motcua.core.errors import DomainError
from motcua.core.formatting import format_vnd
from motcua.core.formfields import CitizenIdField, PhoneField
from motcua.core.text import fold
from motcua.dossiers import drafts, services
from motcua.dossiers.lifecycle import Status
from motcua.dossiers.models import ApplicantKind, FeeCollection
from motcua.eforms.layout import answers_posted, blocks
from motcua.eforms.selectors import definition_of, form_for
from motcua.organizations.models import Role, Unit, UnitType, User
from motcua.organizations.selectors import current_memberships_of

from .views import staff_only


class IntakeForm(forms.Form):
    """Counter intake: the papers are exactly the pinned case's components, nothing can be added."""

    # The officer's own counter comes preselected and the name field takes the cursor: the form is typed through.
    receiving_unit = forms.ModelChoiceField(
        queryset=Unit.objects.none(), label=_("Đơn vị tiếp nhận"), empty_label=None
    )
    channel = forms.TypedChoiceField(
        choices=[(Channel.COUNTER, Channel.COUNTER.label), (Channel.POST, Channel.POST.label)],
        coerce=int,
        label=_("Hình thức nộp"),
    )
    applicant_kind = forms.ChoiceField(choices=ApplicantKind.choices, label=_("Người nộp là"))
    name = forms.CharField(
        label=_("Họ và tên người nộp"), max_length=200, widget=forms.TextInput(attrs={"autofocus": True})
    )
    citizen_id = CitizenIdField(label=_("Số định danh cá nhân"), required=False)
    phone = PhoneField(label=_("Số điện thoại"), required=False)
    email = forms.EmailField(label=_("Thư điện tử"), required=False)
    address = forms.CharField(label=_("Địa chỉ"), max_length=500, required=False)
    # Picked by name, diacritics optional; the form still posts the 5-digit code, as the API takes it.
    commune_name = forms.CharField(
        label=_("Xã, phường nơi cư trú"),
        required=False,
        max_length=255,
        help_text=_("Gõ tên xã, phường (có dấu hoặc không dấu) rồi chọn trong danh sách, hoặc gõ mã 5 chữ số."),
        widget=forms.TextInput(attrs={"list": "xa-phuong-ds", "autocomplete": "off"}),
    )
    commune = forms.CharField(required=False, max_length=5, widget=forms.HiddenInput)
    organisation_name = forms.CharField(label=_("Tên tổ chức"), max_length=300, required=False)
    tax_code = forms.CharField(label=_("Mã số thuế"), max_length=14, required=False)
    representative = forms.CharField(label=_("Người đại diện (tổ chức)"), max_length=200, required=False)
    owner_name = forms.CharField(label=_("Chủ hồ sơ (nếu khác người nộp)"), max_length=200, required=False)
    owner_address = forms.CharField(label=_("Địa chỉ chủ hồ sơ"), max_length=500, required=False)
    fee = forms.ModelChoiceField(
        queryset=Fee.objects.none(), label=_("Phí, lệ phí áp dụng"), required=False, empty_label=_("Không thu")
    )
    fee_collection = forms.ChoiceField(
        choices=[(FeeCollection.BEFORE, FeeCollection.BEFORE.label), (FeeCollection.AFTER, FeeCollection.AFTER.label)],
        label=_("Thời điểm thu phí"),
        required=False,
    )
    # New with each blank form; a double click or a resend carries the same one, and the dossier is received once.
    submission_key = forms.UUIDField(widget=forms.HiddenInput, initial=uuid.uuid4)

    def __init__(self, *args: Any, officer: User, case: Case, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        units = current_memberships_of(officer).filter(role=Role.ONE_STOP_OFFICER).values_list("unit", flat=True)
        self.fields["receiving_unit"].queryset = Unit.objects.filter(pk__in=units)  # type: ignore[attr-defined]
        # Only the fees the catalogue lists can be chosen; the service checks them against the channel chosen.
        limit = limit_for(case, Channel.COUNTER)
        fees = limit.fees.order_by("position") if limit else Fee.objects.none()
        self.fields["fee"].queryset = fees  # type: ignore[attr-defined]
        self.fields["fee"].label_from_instance = _fee_label  # type: ignore[attr-defined]
        self.components = list(Component.objects.filter(case=case).order_by("position"))
        for component in self.components:
            for prefix in ("goc", "sao"):
                self.fields[f"{prefix}-{component.pk}"] = forms.IntegerField(
                    min_value=0, max_value=99, initial=0, required=False
                )
            self.fields[f"so-hoa-{component.pk}"] = forms.BooleanField(required=False)
        self.communes = province_communes()
        self.chosen_commune: tuple[str, str] | None = None

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        code, text = data.get("commune", "").strip(), data.get("commune_name", "").strip()
        if code or text:
            found = find_commune(code or text, self.communes)
            if isinstance(found, str):
                self.add_error("commune_name", found)
            else:
                self.chosen_commune = found
                data["commune"], data["commune_name"] = found
        # Hidden for a person, the organisation's fields may still carry what was typed before the kind changed.
        if data.get("applicant_kind") != ApplicantKind.ORGANISATION:
            data.update(organisation_name="", tax_code="", representative="")
        return data

    def papers(self, *, scanned: set[int]) -> tuple[services.Paper, ...]:
        data = self.cleaned_data
        papers = (
            services.Paper(
                c.pk,
                data.get(f"goc-{c.pk}") or 0,
                data.get(f"sao-{c.pk}") or 0,
                bool(data.get(f"so-hoa-{c.pk}")) or c.pk in scanned,
            )
            for c in self.components
        )
        return tuple(p for p in papers if p.originals + p.copies > 0 or p.is_digitised)


class CounterRefusalForm(forms.Form):
    """Refuse instead of receiving (Form 03): the ground, the reason, and where to file; the service checks them."""

    prefix = "tu-choi"
    kind = forms.ChoiceField(
        choices=services.REFUSAL_KIND_CHOICES,
        label=_("Lý do từ chối"),
        required=False,
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Lý do cụ thể (in trên Mẫu số 03)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    guidance = forms.CharField(
        label=_("Cơ quan có thẩm quyền giải quyết, nơi hướng dẫn người nộp đến"),
        required=False,
        max_length=500,
        help_text=_("Bắt buộc khi hồ sơ không thuộc thẩm quyền giải quyết."),
    )


# What the service may object to in the refusal itself; anything else goes to the intake form.
REFUSAL_FIELDS = frozenset({"kind", "reason", "guidance"})
DIVISIONS = (UnitType.COMMUNE, UnitType.WARD, UnitType.SPECIAL_ZONE)
_PREFIX = re.compile(r"^(xa|phuong|dac khu) ")
_PREFIX_MARKED = re.compile(r"^(xã|phường|đặc khu) ")


def province_communes() -> list[tuple[str, str, str]]:
    """Return (code, name, folded name) of the province's communes, wards and special zones in force today."""
    today = clock.today()
    units = Unit.objects.filter(parent__code=settings.MOTCUA_PROVINCE_CODE, type__in=DIVISIONS).filter(
        Q(valid_to__isnull=True) | Q(valid_to__gte=today)
    )
    return list(units.order_by("search_name").values_list("code", "name", "search_name"))


def find_commune(text: str, communes: list[tuple[str, str, str]]) -> tuple[str, str] | str:
    """Return (code, name) of the one commune a code or a name means, or the message saying why there is none."""
    if text.isdigit():
        hit = [(code, name) for code, name, _folded in communes if code == text]
        return hit[0] if hit else _("Mã %(code)s không phải xã, phường của tỉnh.") % {"code": text}
    # Typed with its marks, "Mỹ Tho" is Phường Mỹ Tho, not Xã Mỹ Thọ; without them, "my tho" is either.
    typed = unicodedata.normalize("NFC", " ".join(text.split())).casefold()
    same = [(c, n) for c, n, _f in communes if typed in {n.casefold(), _PREFIX_MARKED.sub("", n.casefold())}]
    wanted = fold(text)
    exact = [(c, n) for c, n, f in communes if wanted in {f, _PREFIX.sub("", f)}]
    words = wanted.split()
    # Words typed in part ("dao th") narrow the list down to one.
    partial = [(c, n) for c, n, f in communes if all(any(w.startswith(x) for w in f.split()) for x in words)]
    for hits in (same, exact, partial):
        if len(hits) == 1:
            return hits[0]
    if len(partial) > 1:
        names = ", ".join(name for _code, name in partial[:5]) + (", …" if len(partial) > 5 else "")
        return _("Có %(count)s xã, phường khớp với «%(text)s» (%(names)s). Hãy chọn một trong danh sách.") % {
            "count": len(partial),
            "text": text,
            "names": names,
        }
    return _("Không tìm thấy xã, phường «%(text)s» trong tỉnh.") % {"text": text}


def _fee_label(fee: Fee) -> str:
    text = fee.description.strip() or str(_("Phí, lệ phí"))
    return f"{text}: {format_vnd(fee.amount)}" if fee.amount else text


@login_required
def intake(request: HttpRequest) -> HttpResponse:
    """Receive a dossier at the counter: find the procedure, tick the papers, print the receipt; or refuse it."""
    officer = staff_only(request)
    query = request.GET.get("q", "").strip()
    version = get_version_on(request.GET.get("thu-tuc", ""))
    if version is None:
        hits = search_procedures(query)[:15] if query else []
        return render(request, "office/intake_search.html", {"query": query, "hits": hits})
    cases = list(version.cases.order_by("position"))
    case = next((c for c in cases if str(c.position) == request.GET.get("truong-hop", "0")), cases[0])
    form = IntakeForm(request.POST or None, officer=officer, case=case)
    refusing = request.method == "POST" and "tu-choi" in request.POST  # the refusal's own button
    refusal = CounterRefusalForm(request.POST if refusing else None)
    offered_refusal = False
    # The tờ khai typed at the counter, when the case has an e-form; left empty, the paper tờ khai is ticked instead.
    form_definition = definition_of(found) if (found := form_for(case)) else None
    answers = answers_posted(request.POST, form_definition) if form_definition and request.method == "POST" else {}
    form_errors: dict[str, str] = {}
    if request.method == "POST" and form.is_valid() and (not refusing or refusal.is_valid()):
        data = form.cleaned_data
        applicant = services.Applicant(
            kind=data["applicant_kind"],
            name=data["name"],
            citizen_id=data["citizen_id"],
            phone=data["phone"],
            email=data["email"],
            address=data["address"],
            organisation_name=data["organisation_name"],
            tax_code=data["tax_code"],
            representative=data["representative"],
            owner_name=data["owner_name"],
            owner_address=data["owner_address"],
        )
        fee = data["fee"]
        sent_files = {c: request.FILES.get(f"tep-{c.pk}") for c in form.components}
        scans = {c: sent for c, sent in sent_files.items() if isinstance(sent, UploadedFile)}
        filing = services.Filing(
            case.pk,
            data["channel"],
            applicant,
            form.papers(scanned={c.pk for c in scans}),
            data["commune"],
            fee.pk if fee else None,
            data["fee_collection"] or FeeCollection.NONE,
            data["submission_key"],
            answers=answers if any(v.strip() for v in answers.values()) else None,
        )
        try:
            if refusing:
                written = refusal.cleaned_data
                outcome = services.refuse_at_counter(
                    filing,
                    services.CounterRefusal(written["kind"], written["reason"], written["guidance"]),
                    officer=officer,
                    receiving_unit=data["receiving_unit"],
                )
            else:
                contents = {component: (sent.name or "ban-quet", sent.read()) for component, sent in scans.items()}
                outcome = drafts.receive_with_scans(
                    filing, officer=officer, receiving_unit=data["receiving_unit"], scans=contents
                )
        except ValidationError as error:
            for field, problems in error.message_dict.items():
                if field.startswith("form."):  # beside the tờ khai's own input
                    form_errors[field.removeprefix("form.")] = problems[0]
                else:
                    form.add_error(_form_field(form, field), problems)
            if form_errors:
                form.add_error(None, _("Tờ khai còn thông tin cần sửa (xem từng ô bên dưới)."))
        except services.NotHandledHereError as error:
            form.add_error(_form_field(form, error.field or ""), error.message)
            if not refusing:
                # Not a bare error: the way out is a refusal that guides the applicant to the competent body.
                kind = services.RefusalKind.NOT_COMPETENT
                refusal = CounterRefusalForm(initial={"kind": kind, "guidance": error.guidance})
                offered_refusal = True
        except DomainError as error:
            if refusing and error.field in REFUSAL_FIELDS:
                refusal.add_error(error.field, error.message)
            else:
                form.add_error(_form_field(form, error.field or ""), error.message)
        else:
            return _done(request, outcome)
    rows = [(c, form[f"goc-{c.pk}"], form[f"sao-{c.pk}"], form[f"so-hoa-{c.pk}"]) for c in form.components]
    context = {
        "version": version,
        "cases": cases,
        "case": case,
        "form": form,
        "rows": rows,
        "province_code": settings.MOTCUA_PROVINCE_CODE,
        "refusal": refusal,
        "refusal_open": refusing or offered_refusal,
        "offered_refusal": offered_refusal,
        "definition": form_definition,
        "blocks": blocks(form_definition, answers, form_errors) if form_definition else [],
    }
    return render(request, "office/intake.html", context)


def _done(request: HttpRequest, outcome: services.Outcome) -> HttpResponse:
    """Open the dossier just received or refused, where its receipt (Form 01) or refusal (Form 03) is printed."""
    code, refused = outcome.dossier.code, outcome.dossier.status == Status.REFUSED
    if outcome.repeated and refused:
        text = _("Biểu mẫu này đã được gửi trước đó: hồ sơ %(code)s đã bị từ chối tiếp nhận, không tạo hồ sơ mới.")
        messages.info(request, text % {"code": code})
    elif outcome.repeated:
        text = _("Biểu mẫu này đã được gửi trước đó: hồ sơ %(code)s đã được tiếp nhận, không tạo hồ sơ mới.")
        messages.info(request, text % {"code": code})
    elif refused:
        text = _("Đã từ chối tiếp nhận hồ sơ %(code)s; in Phiếu từ chối tiếp nhận (Mẫu số 03) giao người nộp.")
        messages.success(request, text % {"code": code})
    else:
        messages.success(request, _("Đã tiếp nhận hồ sơ %(code)s.") % {"code": code})
    return redirect("office:dossier", code=code)


def _form_field(form: IntakeForm, field: str) -> str | None:
    """Name the form field a service's error is about, so that it shows beside it; None puts it above the form."""
    target = {"commune": "commune_name"}.get(field, field.removeprefix("applicant."))
    return target if target in form.fields else None
