"""The citizen's dossiers grouped as they think of them: being handled, waiting on them, with a result, closed."""

from dataclasses import dataclass

from django.db.models import Count
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from motcua.core import clock
from motcua.dossiers.lifecycle import PAUSED, RUNNING, Status
from motcua.dossiers.models import Dossier, Draft
from motcua.dossiers.selectors import list_dossiers_for
from motcua.organizations.models import User

from .submission import my_dossiers


@dataclass(frozen=True)
class Tab:
    slug: str
    label: StrOrPromise
    statuses: frozenset[Status]


TABS = (
    Tab("", _("Tất cả"), frozenset(Status)),
    Tab("dang-giai-quyet", _("Đang giải quyết"), frozenset({Status.SUBMITTED, Status.RECEIVED, Status.PROCESSING})),
    # Papers or fees asked for: the clock is paused (QĐ 766 counts them as "dừng") until the citizen acts.
    Tab("can-bo-sung", _("Cần bổ sung"), PAUSED),
    Tab("da-co-ket-qua", _("Đã có kết quả"), frozenset({Status.FINISHED, Status.RETURNED})),
    Tab("da-ket-thuc", _("Đã kết thúc"), frozenset({Status.REFUSED, Status.WITHDRAWN, Status.STOPPED})),
)


@dataclass(frozen=True)
class Row:
    dossier: Dossier
    is_overdue: bool


def tab_named(slug: str) -> Tab:
    """Return the tab with this slug, or "all" for an unknown one."""
    return next((tab for tab in TABS if tab.slug == slug), TABS[0])


def tab_counts_for(citizen: User) -> list[tuple[Tab, int]]:
    """Count the citizen's dossiers per tab, in one query."""
    per_status = dict(
        list_dossiers_for(citizen).order_by().values_list("status").annotate(n=Count("pk")).values_list("status", "n")
    )
    return [(tab, sum(per_status.get(status, 0) for status in tab.statuses)) for tab in TABS]


def rows_for(citizen: User, tab: Tab) -> list[Row]:
    """Return the citizen's dossiers in a tab, newest first, each flagged when its due time has passed."""
    now = clock.now()
    dossiers = my_dossiers(citizen, tab.statuses if tab.slug else ())
    return [Row(d, d.status in RUNNING and d.due_at is not None and d.due_at < now) for d in dossiers]


def drafts_for(citizen: User) -> list[Draft]:
    """Return the submissions the citizen started and has not sent, last edited first."""
    return list(Draft.objects.filter(citizen=citizen).select_related("version__procedure").order_by("-updated_at"))
