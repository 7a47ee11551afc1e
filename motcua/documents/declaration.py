"""The tờ khai filed with a dossier, printed: the form's own layout with the answers in place of the dotted lines.

It stands for the paper it replaces (ND 45/2020 art. 9): officers and the applicant open it beside the scans.
"""

from django.http import HttpResponse

from motcua.dossiers.filled import reader
from motcua.dossiers.models import Dossier
from motcua.eforms.blank import filled_pdf
from motcua.eforms.selectors import definition_of

from .forms import place_date


def declaration_response(dossier: Dossier) -> HttpResponse | None:
    """Return the filed tờ khai as an inline PDF, or None when the dossier was filed on paper."""
    if dossier.form is None:
        return None
    # As the applicant filed it: corrections made later are events, not edits of the applicant's declaration.
    content = filled_pdf(
        definition_of(dossier.form), dossier.form_data, reader(), filed_on=place_date(dossier.submitted_at)
    )
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{dossier.code}-to-khai.pdf"'
    return response
