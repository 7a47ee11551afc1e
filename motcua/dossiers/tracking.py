"""Public tracking: a dossier's status and timeline for its code and a secret, never anything personal."""

import hmac
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.db import connection

from motcua.core.ratelimit import give_back_try, take_try

from .lifecycle import ACTION_LABELS, Action, Status
from .models import SupplementItem
from .selectors import aware, maybe_aware


@dataclass(frozen=True)
class TimelineEntry:
    at: datetime
    action: str
    status: str
    unit: str
    form: str


@dataclass(frozen=True)
class PublicView:
    """What anyone holding the receipt may know: never an ID number, an address or an official's name."""

    code: str
    procedure: str
    status: str
    status_code: int
    submitted_at: datetime
    due_at: datetime | None
    is_result_ready: bool
    needed_now: list[dict[str, str]]
    timeline: list[TimelineEntry]


# Public tracking is the busiest read: one statement brings the dossier and its timeline (the ORM's compile and
# instantiate costs were five times the database's time here). Column names follow the models; tests cover both
# databases.
_TRACKING_SQL = """
SELECT d.id, d.tracking_secret, d.applicant_phone, d.status, d.submitted_at, d.due_at, v.name,
       e.id, e.at, e.action, e.status_after, u.name, e.form
FROM dossiers_dossier d
JOIN catalogue_procedureversion v ON v.id = d.version_id
LEFT JOIN dossiers_dossierevent e ON e.dossier_id = d.id
LEFT JOIN organizations_unit u ON u.id = e.unit_id
WHERE d.code = %s
ORDER BY e.sequence
"""

_NATIONAL_SQL = """
SELECT d.code FROM dossiers_nationalfiling n JOIN dossiers_dossier d ON d.id = n.dossier_id WHERE n.national_code = %s
"""

_DAY = 24 * 3600


def track(code: str, *, secret: str = "", phone_last4: str = "") -> PublicView | None:
    """Answer a tracking request made with the receipt's secret or the last four digits of the applicant's phone.

    A wrong code and a wrong secret give the same None, so the answer reveals nothing about which codes exist. Four
    digits are only 10,000 guesses: after MOTCUA_TRACKING_PHONE_TRIES wrong ones in a day, from anywhere, a code no
    longer answers to phone digits until the next day (the receipt's secret still works).
    """
    code = code.strip().upper()  # before the phone-tries key too: "abc" and "ABC" are one code, with one limit
    with connection.cursor() as cursor:
        cursor.execute(_TRACKING_SQL, [code])
        rows = cursor.fetchall()
        if not rows:  # a dossier handed over by the national portal answers to its code there (MaHoSo) too
            cursor.execute(_NATIONAL_SQL, [code])
            ours = cursor.fetchone()
            if ours is not None:
                code = ours[0]
                cursor.execute(_TRACKING_SQL, [code])
                rows = cursor.fetchall()
    # The try is spent before the digits are compared, so a burst of concurrent guesses gets no more tries than one
    # guesser; a right answer hands it back, so only wrong tries count. It is keyed by our code, so that asking by
    # MaHoSo gives no more tries.
    phone_open = bool(phone_last4) and take_try("tracking-phone", code, settings.MOTCUA_TRACKING_PHONE_TRIES, _DAY)
    tracking_secret, phone = (rows[0][1], rows[0][2]) if rows else ("", "")
    # As bytes: compare_digest refuses str with characters beyond ASCII, and anyone may type them.
    by_secret = bool(secret) and bool(rows) and hmac.compare_digest(secret.encode(), tracking_secret.encode())
    by_phone = phone_open and len(phone) == 10 and hmac.compare_digest(phone_last4.encode(), phone[-4:].encode())
    if not (by_secret or by_phone):  # the try stays spent for codes that do not exist too: the limit reveals nothing
        return None
    if phone_open:
        give_back_try("tracking-phone", code, _DAY)
    _, _, _, status, submitted_at, due_at, procedure = rows[0][:7]
    events = [row[7:] for row in rows if row[7] is not None]
    needed: list[dict[str, str]] = []
    if status == Status.SUPPLEMENT_REQUESTED:
        request = next(e for e in reversed(events) if e[2] == Action.REQUEST_SUPPLEMENT)
        items = SupplementItem.objects.filter(event_id=request[0]).select_related("component")
        needed = [{"paper": item.component.name, "reason": item.reason} for item in items]
    return PublicView(
        code=code,
        procedure=procedure,
        status=Status(status).label,
        status_code=status,
        submitted_at=aware(submitted_at),
        due_at=maybe_aware(due_at),
        is_result_ready=status == Status.FINISHED,
        needed_now=needed,
        timeline=[
            TimelineEntry(aware(at), ACTION_LABELS[Action(action)], Status(after).label, unit or "", form)
            for _, at, action, after, unit, form in events
        ],
    )
