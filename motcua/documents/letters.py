"""A unit's letter (công văn, quyết định, thông báo) as a printable A4 PDF in the layout of the one-stop forms
(Nghị định 30/2020/NĐ-CP): the unit on the left, the national header on the right, title, "Kính gửi", the text and
"Nơi nhận"; the signature block, number and QR code are stamped when it is signed in the register."""

from dataclasses import dataclass

from django.template.loader import render_to_string
from weasyprint import HTML

from motcua.core import clock
from motcua.organizations.models import Unit

from .forms import FONT_CONFIG, URL_FETCHER, issuer_name, place_date, superior_line


@dataclass(frozen=True)
class Letter:
    unit: Unit
    title: str  # e.g. "Trả lời phản ánh, kiến nghị"
    about: str  # the "V/v" line
    recipient: str
    paragraphs: tuple[str, ...]
    reference: str  # the case or dossier the letter answers, for the archive line


def render_letter(letter: Letter) -> bytes:
    context = {
        "number": "",
        "title": letter.title,
        "superior": superior_line(letter.unit),
        "issuer": issuer_name(letter.unit),
        "unit_name": letter.unit.name,
        "issued_on": place_date(clock.now()),
        "about": letter.about,
        "recipient": letter.recipient,
        "paragraphs": letter.paragraphs,
        "reference": letter.reference,
        "form_set_notice": "",
        "signatures": [],
    }
    pdf: bytes = HTML(string=render_to_string("documents/letter.html", context), url_fetcher=URL_FETCHER).write_pdf(
        font_config=FONT_CONFIG
    )
    return pdf
