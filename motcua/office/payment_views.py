"""The province monitor's reconciliation page: what the daily comparison with the payment platform found."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from motcua.core.errors import NotPermittedError
from motcua.integrations.payment.selectors import reconciliation_for

from .views import staff_only


@login_required
@require_GET
def reconciliation(request: HttpRequest) -> HttpResponse:
    try:
        found = reconciliation_for(staff_only(request))
    except NotPermittedError as refused:
        raise PermissionDenied(refused.message) from None
    return render(request, "office/payment_reconciliation.html", {"found": found})
