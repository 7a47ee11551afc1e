"""The public text of an answer: drafted without the case's personal data, shown to the approver beside the original,
published as a separate record (ND 20/2008 art. 19); the search over what is published."""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import QuerySet

from motcua.core import clock
from motcua.core.text import fold

from .models import FeedbackCase, PublicAnswer
from .redaction import redact


@dataclass(frozen=True)
class PublicText:
    question: str
    answer: str


def _hidden(case: FeedbackCase, text: str) -> str:
    """The text without the case's own personal values (the sender's, and the signed-in account's) or their shapes."""
    values, names = [case.sender_address, case.sender_phone, case.sender_email], [case.sender_name]
    if case.citizen is not None:
        values += [case.citizen.phone or "", case.citizen.citizen_id or "", case.citizen.email]
        names.append(case.citizen.full_name)
    return redact(text, values, names)


def draft(case: FeedbackCase) -> PublicText:
    return PublicText(_hidden(case, case.content), _hidden(case, case.conclusion))


def create(case: FeedbackCase, text: PublicText, *, actor_id: int, at: datetime) -> PublicAnswer:
    """Publish the approver's text, redacted again: what they edited cannot bring personal data back."""
    question, answer = _hidden(case, text.question), _hidden(case, text.answer)
    return PublicAnswer.objects.create(
        case=case,
        code=case.code,
        unit=case.handling_unit,
        topic=case.topic,
        question=question,
        answer=answer,
        received_on=case.received_at.astimezone(clock.VIETNAM).date(),
        published_at=at,
        published_by_id=actor_id,
        search_text=fold(f"{question} {answer} {case.handling_unit.name}"),
    )


def answers(search: str = "") -> QuerySet[PublicAnswer]:
    """Published answers, newest first; every word of the search, without diacritics, anywhere in them."""
    found = PublicAnswer.objects.select_related("unit").order_by("-published_at", "-pk")
    printable = "".join(char if char.isprintable() else " " for char in search)
    for word in fold(printable).split()[:8]:
        found = found.filter(search_text__contains=word)
    return found
