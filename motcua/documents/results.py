"""A dossier's result: generated from its tờ khai as an unsigned PDF, or attached, and signed at the signing step.

The signing service adds the number (số, ký hiệu), the signature block generated from the register, the QR code to
the verification page and the digital signature; a generated page leaves the lower right free for them
(ND 30/2020 Phụ lục I puts the signature there).
"""

from django.template import TemplateDoesNotExist
from django.template.loader import get_template, render_to_string
from weasyprint import HTML

from motcua.core import clock
from motcua.core.errors import DomainError
from motcua.dossiers.filled import result_values
from motcua.dossiers.lifecycle import Action
from motcua.dossiers.models import Dossier, ResultDocument
from motcua.dossiers.services import Inputs, attach_result, perform
from motcua.organizations.models import User
from motcua.signing.models import ResultSigning, SignedDocument

from .forms import FONT_CONFIG, URL_FETCHER, issuer_name, place_date, superior_line


def refusal_to_generate(dossier: Dossier) -> str:
    """Say why a result cannot be generated from the dossier's data, or "" when it can.

    Only a procedure with a result template (documents/results/<code>.html, docs/eforms.md) and a dossier filed with
    its tờ khai have the values a real result holds; any other result is drafted by the specialist and attached.
    """
    if _template(dossier) is None:
        return "Thủ tục này chưa có mẫu kết quả trên hệ thống: cần đính kèm tệp PDF kết quả đã soạn."
    if dossier.form_id is None:
        return "Hồ sơ không nộp kèm tờ khai điện tử nên không có dữ liệu để điền kết quả: cần đính kèm tệp PDF."
    return ""


def _template(dossier: Dossier) -> str | None:
    name = f"documents/results/{dossier.version.procedure.code}.html"
    try:
        get_template(name)
    except TemplateDoesNotExist:
        return None
    return name


def render_result(dossier: Dossier, document_type_name: str) -> bytes:
    """Render the result document of a dossier as an A4 PDF: the procedure's result template filled from the tờ khai
    filed with it (docs/eforms.md). Refused when `refusal_to_generate` gives a reason."""
    refusal = refusal_to_generate(dossier)
    template = _template(dossier)
    if refusal or template is None:
        raise DomainError(refusal, field="file")
    unit = dossier.competent_unit
    context = {
        "dossier": dossier,
        "form": result_values(dossier),
        "title": document_type_name.upper(),
        "superior": superior_line(unit),
        "issuer": issuer_name(unit),
        "issued_on": place_date(clock.now()),
        "registered_on": clock.now().astimezone(clock.VIETNAM).strftime("%d/%m/%Y"),  # registered when signed
    }
    page = HTML(string=render_to_string(template, context), url_fetcher=URL_FETCHER)
    pdf: bytes = page.write_pdf(font_config=FONT_CONFIG)
    return pdf


def result_title(dossier: Dossier) -> str:
    """Name the result: the document type the procedure's signing entry gives, else the procedure's own result."""
    entry = ResultSigning.objects.select_related("document_type").filter(version=dossier.version_id).first()
    return entry.document_type.name if entry is not None else "Kết quả giải quyết"


def generate_result(dossier: Dossier, official: User, reason: str = "") -> ResultDocument:
    """Generate the result from the dossier's data and attach it, as the holder of the step producing it."""
    title = result_title(dossier)
    return attach_result(
        dossier, actor=official, title=title, pdf=render_result(dossier, title), generated=True, reason=reason
    )


def sign_result(dossier: Dossier, official: User, passphrase: str = "") -> SignedDocument:
    """Sign the dossier's latest result at its signing step; the step completes and the signed PDF is the result."""
    outcome = perform(dossier, Action.SIGN_RESULT, actor=official, inputs=Inputs(passphrase=passphrase))
    return SignedDocument.objects.get(public_id=outcome.event.details["signature"])
