"""The outgoing document's PDF, generated from its parts, never typed (ND 30/2020/NĐ-CP art. 8 and Phụ lục I).

Issuing body under its parent, Quốc hiệu and Tiêu ngữ, số/ký hiệu, place and date, type and trích yếu, body, the
signature block from the signing register, Nơi nhận. The number is taken at signing and stamped with the signature
(with the QR code), as for the one-stop letters. Margins, fonts and sizes follow the shared A4 layout of
`documents/base.html`; the exact measures of Phụ lục I are to be checked against the official text before a pilot
(LAYOUT_VERSION says which layout a document was made with).
"""

from django.template.loader import render_to_string
from weasyprint import HTML

from motcua.core import clock
from motcua.documents.forms import FONT_CONFIG, URL_FETCHER, issuer_name, place_date, superior_line
from motcua.organizations.models import Unit

from .lifecycle import URGENCY_LABELS, Urgency
from .models import OutgoingDocument

LAYOUT_VERSION = "nd30-2020-phu-luc-i/1"


def recipients_of(document: OutgoingDocument) -> list[str]:
    return [line.strip() for line in document.recipients.splitlines() if line.strip()]


def render(document: OutgoingDocument, block: tuple[str, ...]) -> bytes:
    """Render the document for signing on today's date; `block` is the register's block, the signer's name last."""
    unit = Unit.objects.select_related("parent").get(pk=document.unit_id)
    kind = document.document_type
    symbol = f"{kind.abbreviation}-{unit.issuing_body.symbol}" if kind.abbreviation else unit.issuing_body.symbol
    urgency = Urgency(document.urgency)
    context = {
        "number": "",
        "title": "" if not kind.abbreviation else kind.name.split(" (")[0],
        "summary": document.summary,
        "is_letter": not kind.abbreviation,
        "notation_blank": f"      /{symbol}",
        "superior": superior_line(unit),
        "issuer": issuer_name(unit),
        "unit_name": unit.name,
        "issued_on": place_date(clock.now()),
        "urgency": "" if urgency == Urgency.ORDINARY else URGENCY_LABELS[urgency],
        "paragraphs": [p.strip() for p in document.body.split("\n") if p.strip()],
        "recipients": recipients_of(document),
        "form_set_notice": "",
        "signatures": [{"title": "\n".join(block[:-1]), "hint": "", "name": block[-1]}] if block else [],
    }
    html = render_to_string("eoffice/outgoing_pdf.html", context)
    pdf: bytes = HTML(string=html, url_fetcher=URL_FETCHER).write_pdf(font_config=FONT_CONFIG)
    return pdf
