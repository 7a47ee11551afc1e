"""How the signing register takes part in a dossier's process: which step signs, who may, and the signing itself.

Registered with the dossier rules (`dossiers.rules.use_signing`) when the app is ready, since dossiers sit below this
context and cannot ask it directly.
"""

import time
from collections import OrderedDict
from collections.abc import Callable
from datetime import date
from functools import cache

from django.core.files.base import ContentFile
from django.db import connection

from motcua.core import clock
from motcua.core.errors import DomainError
from motcua.dossiers.models import Dossier, ResultDocument
from motcua.dossiers.rules import Context, Shared
from motcua.organizations.models import Membership, Unit, User

from .models import IssuingBody, RegisterEntry, ResultSigning, SignedDocument
from .selectors import letter_block
from .services import Entitlement, can_sign, evaluate, sign_document


def _entry(dossier: Dossier) -> ResultSigning | None:
    """Return the version's signing entry: selected with the dossier by a list, else read once per dossier object."""
    version = dossier._state.fields_cache.get("version")
    if version is not None and "result_signing" in version._state.fields_cache:
        selected: ResultSigning | None = version._state.fields_cache["result_signing"]
        return selected
    if not hasattr(dossier, "_result_signing"):
        entry = ResultSigning.objects.select_related("document_type").filter(version=dossier.version_id).first()
        dossier._result_signing = entry  # type: ignore[attr-defined]
    found: ResultSigning | None = dossier._result_signing  # type: ignore[attr-defined]
    return found


# The register's answer to "may this person sign results of this version here today", kept per process while the
# register, the issuing bodies and the posts are unchanged (their history's last ids), and at most this long: a
# relation edited without saving its row leaves no history. Signing itself never reads it.
ANSWER_SECONDS = 60
ANSWERS_KEPT = 4096
_answers: OrderedDict[tuple[object, ...], tuple[float, str]] = OrderedDict()


def forget_register_answers() -> None:
    """Drop the kept answers (tests: a rolled-back test frees its history ids on SQLite)."""
    _answers.clear()


@cache
def _stamp_sql() -> str:
    # Built once: reaching a model's history manager costs more than the query itself.
    tables = [model.history.model._meta.db_table for model in (RegisterEntry, IssuingBody, Membership)]
    return "SELECT " + ", ".join(f"(SELECT MAX(history_id) FROM {table})" for table in tables)  # noqa: S608


def _register_stamp() -> tuple[object, ...]:
    with connection.cursor() as cursor:
        cursor.execute(_stamp_sql())
        return tuple(cursor.fetchone())


def _answer(ask: Callable[..., Entitlement], user: User, entry: ResultSigning, dossier: Dossier) -> str:
    try:
        verdict = ask(user, entry.document_type, dossier)
    except DomainError as error:
        return error.message
    return "" if verdict.allowed else verdict.reason


class RegisterSigning:
    """Results are signed where the procedure version's ResultSigning entry says, by whom the register allows."""

    def signs_results(self, dossier: Dossier) -> tuple[bool, int | None]:
        entry = _entry(dossier)
        if entry is None:
            return False, None
        return True, entry.step_number - 1 if entry.step_number else None

    def refusal_to_sign(self, user: User, dossier: Dossier, *, record: bool, shared: Shared | None = None) -> str:
        entry = _entry(dossier)
        if entry is None:
            return "Thủ tục chưa được khai báo thẩm quyền ký kết quả."
        if record:  # signing: always the register itself, and a refusal is recorded
            return _answer(can_sign, user, entry, dossier)
        # Offering: the same answer while nothing in the register, its bodies or anyone's posts has changed.
        # One list reads the stamp once, whatever versions and units its dossiers have.
        memo: Shared = {} if shared is None else shared
        if ("register-stamp",) not in memo:
            memo[("register-stamp",)] = _register_stamp()
        key = (memo[("register-stamp",)], user.pk, entry.pk, entry.document_type_id, entry.body_id, dossier.version_id,
               dossier.competent_unit_id, clock.today())  # fmt: skip
        now = time.monotonic()
        kept = _answers.get(key)
        if kept is None or kept[0] < now:
            kept = (now + ANSWER_SECONDS, _answer(evaluate, user, entry, dossier))
            _answers[key] = kept
            while len(_answers) > ANSWERS_KEPT:
                _answers.popitem(last=False)
        return kept[1]

    def refusal_to_sign_letter(self, user: User, unit: Unit, dossier: Dossier, form: str, on: date) -> str:
        """Ask the register, as for printing the letter: the same block is then printed under the same answer."""
        verdict = letter_block(user, unit, dossier, form, on)
        return "" if verdict.allowed else verdict.reason

    def sign(self, context: Context, passphrase: str) -> ResultDocument:
        """Stamp and sign the latest result itself (its own pages); the signed file becomes the dossier's result."""
        dossier, latest = context.dossier, context.latest_result
        entry = _entry(dossier)
        assert entry is not None and latest is not None  # the SIGNING_STEP and RESULT_ATTACHED guards ran
        with latest.file.open("rb") as stored:
            content = stored.read()
        replaced = latest.replaces
        earlier = None
        if replaced is not None and replaced.signature is not None:
            earlier = SignedDocument.objects.filter(public_id=replaced.signature).first()
        signed = sign_document(
            content,
            official=context.user,
            document_type=entry.document_type,
            summary=f"{latest.title} — hồ sơ {dossier.code}",
            dossier=dossier,
            passphrase=passphrase,
            supersedes=earlier,
            correction=latest.reason,
        )
        result = ResultDocument(
            dossier=dossier,
            title=latest.title,
            sha256=signed.sha256,
            is_generated=latest.is_generated,
            created_at=signed.signed_at,
            created_by=context.user,
            signature=signed.public_id,
            replaces=replaced,
            reason=latest.reason,
        )
        with signed.pdf.open("rb") as stored:
            result.file.save(f"{signed.sha256}.pdf", ContentFile(stored.read()), save=False)
        result.save()
        return result
