"""The citizen's online payment: the payment step of an online filing (fee collected before processing), the
«Thanh toán trực tuyến» action of a dossier in status 6, and the page the platform sends the browser back to.

What is owed and whether this person may pay it are the payment rules' answers; the page only shows them. The
return page reads the order from our records, never from the address: only the signed callback (or the daily
reconciliation) says an order was paid.
"""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from motcua.core.errors import DomainError
from motcua.integrations.models import PaymentOrder
from motcua.integrations.payment import rules, services

from .submission import _citizen, _own_dossier


@login_required
@require_http_methods(["GET", "POST"])
def payment(request: HttpRequest, code: str) -> HttpResponse:
    """Show what is owed online; on «Thanh toán», create the order and send the citizen to the platform."""
    dossier, citizen = _own_dossier(request, code), _citizen(request)
    error, lines = "", rules.payable_lines(dossier)
    if request.method == "POST":
        try:
            order = services.start_payment(dossier, citizen)
        except DomainError as refused:  # nothing owed now, or the platform did not answer: nothing was created
            error = refused.message
        else:
            return redirect(order.payment_url)
    context = {
        "dossier": dossier,
        "lines": lines,
        "total": sum(line.amount for line in lines),
        "pending": rules.pending_order(dossier),
        "refusal": rules.refusal(dossier, citizen),
        "orders": list(dossier.payment_orders.prefetch_related("lines")),
        "error": error,
    }
    return render(request, "portal/payment.html", context)


@login_required
@require_GET
def payment_return(request: HttpRequest, code: str) -> HttpResponse:
    """Where the platform sends the browser back: the order's state as we recorded it ("chờ xác nhận" until told)."""
    dossier = _own_dossier(request, code)
    order = PaymentOrder.objects.filter(dossier=dossier, reference=request.GET.get("don", "")[:40]).first()
    if order is None:
        return redirect("portal:payment", code=dossier.code)
    return render(request, "portal/payment_return.html", {"dossier": dossier, "order": order})
