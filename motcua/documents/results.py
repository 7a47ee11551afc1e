"""A dossier's result: generated from its tờ khai as an unsigned PDF, or attached, and signed at the signing step.

The signing service adds the number (số, ký hiệu), the signature block generated from the register, the QR code to
the verification page and the digital signature; a generated page leaves the lower right free for them
(ND 30/2020 Phụ lục I puts the signature there).
"""

from collections import OrderedDict

from django.template import Context, Template, engines
from weasyprint import HTML

from motcua.core import clock
from motcua.core.errors import DomainError
from motcua.dossiers.filled import result_values
from motcua.dossiers.lifecycle import Action
from motcua.dossiers.models import Dossier, ResultDocument
from motcua.dossiers.services import Inputs, attach_result, perform
from motcua.eforms.models import ResultTemplate
from motcua.eforms.selectors import result_template_for
from motcua.organizations.models import User
from motcua.signing.models import ResultSigning, SignedDocument

from .forms import FONT_CONFIG, URL_FETCHER, issuer_name, place_date, superior_line

FRAME = "documents/results/base.html"  # the ND 30/2020 art. 8 parts a published body fills (docs/eforms.md)
COMPILED_KEPT = 64
_compiled: "OrderedDict[str, Template]" = OrderedDict()


def refusal_to_generate(dossier: Dossier) -> str:
    """Say why a result cannot be generated from the dossier's data, or "" when it can.

    Only a procedure version with a published result template (docs/eforms.md) and a dossier filed with its tờ khai
    have the values a real result holds; any other result is drafted by the specialist and attached.
    """
    return _refusal(dossier, result_template_for(dossier.version_id))


def _refusal(dossier: Dossier, template: ResultTemplate | None) -> str:
    if dossier.form_id is None:
        return "Hồ sơ không nộp kèm tờ khai điện tử nên không có dữ liệu để điền kết quả: cần đính kèm tệp PDF."
    if template is None:
        return "Thủ tục này chưa có mẫu kết quả trên hệ thống: cần đính kèm tệp PDF kết quả đã soạn."
    return ""


def _compiled_body(template: ResultTemplate) -> Template:
    """Return a published body compiled inside the frame, kept by its content (a published one never changes)."""
    kept = _compiled.get(template.content_hash)
    if kept is None:
        source = f'{{% extends "{FRAME}" %}}' + template.document["body"]
        kept = _compiled[template.content_hash] = engines["django"].engine.from_string(source)  # type: ignore[attr-defined]
        while len(_compiled) > COMPILED_KEPT:
            _compiled.popitem(last=False)
    return kept


def render_result(dossier: Dossier, document_type_name: str, template: ResultTemplate | None = None) -> bytes:
    """Render the result document of a dossier as an A4 PDF: the version's latest result template (or `template`)
    filled from the tờ khai filed with it. Refused when `refusal_to_generate` gives a reason."""
    template = template or result_template_for(dossier.version_id)
    refusal = _refusal(dossier, template)
    if refusal or template is None:
        raise DomainError(refusal, field="file")
    unit = dossier.competent_unit
    context = {
        # What `dossier.…` offers a template (eforms.result_template.DOSSIER): facts, never the model itself.
        "dossier": {
            "code": dossier.code,
            "applicant_name": dossier.applicant_name,
            "competent_unit": {"name": unit.name},
        },
        "form": result_values(dossier),
        "title": document_type_name.upper(),
        "superior": superior_line(unit),
        "issuer": issuer_name(unit),
        "issued_on": place_date(clock.now()),
        "registered_on": clock.now().astimezone(clock.VIETNAM).strftime("%d/%m/%Y"),  # registered when signed
    }
    page = HTML(string=_compiled_body(template).render(Context(context)), url_fetcher=URL_FETCHER)
    pdf: bytes = page.write_pdf(font_config=FONT_CONFIG)
    return pdf


def result_title(dossier: Dossier) -> str:
    """Name the result: the document type the procedure's signing entry gives, else the procedure's own result."""
    entry = ResultSigning.objects.select_related("document_type").filter(version=dossier.version_id).first()
    return entry.document_type.name if entry is not None else "Kết quả giải quyết"


def generate_result(dossier: Dossier, official: User, reason: str = "") -> ResultDocument:
    """Generate the result from the dossier's data and attach it, as the holder of the step producing it."""
    title, template = result_title(dossier), result_template_for(dossier.version_id)
    pdf = render_result(dossier, title, template)
    assert template is not None  # render_result refuses otherwise
    source = f"{dossier.version.procedure.code} v{template.number}"
    return attach_result(dossier, actor=official, title=title, pdf=pdf, template=source, reason=reason)


def sign_result(dossier: Dossier, official: User, passphrase: str = "") -> SignedDocument:
    """Sign the dossier's latest result at its signing step; the step completes and the signed PDF is the result."""
    outcome = perform(dossier, Action.SIGN_RESULT, actor=official, inputs=Inputs(passphrase=passphrase))
    return SignedDocument.objects.get(public_id=outcome.event.details["signature"])
