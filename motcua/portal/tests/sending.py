"""Send a draft as a citizen does: choose how to receive the result, then submit from the review page."""

from django.http import HttpResponse
from django.test import Client

from motcua.dossiers.models import Draft


def send(client: Client, draft_id: int, *, follow: bool = False) -> HttpResponse:
    draft = Draft.objects.filter(pk=draft_id).first()
    if draft is not None and not draft.fields.get("return_method"):
        client.post(f"/nop-ho-so/ban-nhap/{draft_id}/nhan-ket-qua/", {"return_method": "counter"})
    # The review page carries the moment of the draft it shows: what was reviewed is what is sent.
    kept = Draft.objects.filter(pk=draft_id).values_list("updated_at", flat=True).first()
    stamp = kept.isoformat() if kept else ""
    return client.post(f"/nop-ho-so/ban-nhap/{draft_id}/nop/", {"stamp": stamp}, follow=follow)
