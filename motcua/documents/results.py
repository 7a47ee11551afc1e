"""A dossier's result as an unsigned PDF, ready for `motcua.signing.services.sign_document`.

The signing service adds the number (số, ký hiệu), the signature block generated from the register, the QR code to
the verification page and the digital signature; this page leaves the lower right of the page free for them
(ND 30/2020 Phụ lục I puts the signature there).
"""

from django.template.loader import render_to_string
from weasyprint import HTML

from motcua.core import clock
from motcua.dossiers.lifecycle import Status
from motcua.dossiers.models import Dossier
from motcua.dossiers.services import attach_result, holds_current_step
from motcua.organizations.models import User
from motcua.signing.models import SignedDocument
from motcua.signing.services import sign_document

from .forms import FONT_CONFIG, URL_FETCHER, _issuer_name, _place_date, _superior_line


def render_result(dossier: Dossier, document_type_name: str) -> bytes:
    """Render the result document of a dossier (the content the competent unit decided) as an A4 PDF."""
    unit = dossier.competent_unit
    context = {
        "dossier": dossier,
        "title": document_type_name.upper(),
        "superior": _superior_line(unit),
        "issuer": _issuer_name(unit),
        "issued_on": _place_date(clock.now()),
    }
    html = render_to_string("documents/result.html", context)
    pdf: bytes = HTML(string=html, url_fetcher=URL_FETCHER).write_pdf(font_config=FONT_CONFIG)
    return pdf


def sign_result(dossier: Dossier, official: User) -> SignedDocument:
    """Render the dossier's result, sign it under the register's block, and make the signed PDF its result.

    It becomes the dossier's result when the official is working on the current step of its processing (the signing
    step), so completing the dossier then returns what was signed; otherwise the signed document stands on its own.
    """
    document_type = dossier.version.result_signing.document_type
    attach = dossier.status == Status.PROCESSING and holds_current_step(official, dossier)
    signed = sign_document(
        render_result(dossier, document_type.name),
        official=official,
        document_type=document_type,
        summary=f"{document_type.name} — hồ sơ {dossier.code}",
        dossier=dossier,
    )
    if attach:
        with signed.pdf.open("rb") as stored:
            attach_result(dossier, actor=official, title=document_type.name, pdf=stored.read(), generated=True)
    return signed
