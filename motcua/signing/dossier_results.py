"""How the signing register takes part in a dossier's process: which step signs, who may, and the signing itself.

Registered with the dossier rules (`dossiers.rules.use_signing`) when the app is ready, since dossiers sit below this
context and cannot ask it directly.
"""

from django.core.files.base import ContentFile

from motcua.core.errors import DomainError
from motcua.dossiers.models import Dossier, ResultDocument
from motcua.dossiers.rules import Context
from motcua.organizations.models import User

from .models import ResultSigning, SignedDocument
from .services import can_sign, evaluate, sign_document


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


class RegisterSigning:
    """Results are signed where the procedure version's ResultSigning entry says, by whom the register allows."""

    def signs_results(self, dossier: Dossier) -> tuple[bool, int | None]:
        entry = _entry(dossier)
        if entry is None:
            return False, None
        return True, entry.step_number - 1 if entry.step_number else None

    def refusal_to_sign(self, user: User, dossier: Dossier, *, record: bool) -> str:
        entry = _entry(dossier)
        if entry is None:
            return "Thủ tục chưa được khai báo thẩm quyền ký kết quả."
        try:
            verdict = (can_sign if record else evaluate)(user, entry.document_type, dossier)
        except DomainError as error:
            return error.message
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
