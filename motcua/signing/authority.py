"""Who may sign what, and the signature block they sign under: ND 30/2020/NĐ-CP art. 13, as pure rules.

The register rows are turned into the plain values below by `services`; nothing here touches the database, so the
rules can be tested as a table.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from motcua.core.formatting import format_date


class Regime(StrEnum):
    """How a body works (ND 30/2020 art. 13(1)-(2))."""

    COLLECTIVE = "collective"  # chế độ tập thể, e.g. a People's Committee: the head signs TM. the collective
    HEAD = "head"  # chế độ thủ trưởng, e.g. a department: the head signs in their own name


class Mode(StrEnum):
    """The capacity a register entry gives. TM. is not a mode: it follows from the body's collective regime."""

    HEAD = "head"  # người đứng đầu
    DEPUTY = "kt"  # ký thay (KT.) for assigned fields and delegated document types
    ACTING = "q"  # quyền (Q.): acting head
    BY_ORDER = "tl"  # thừa lệnh (TL.): written in the body's working rules, may be passed to a deputy
    AUTHORISED = "tuq"  # thừa ủy quyền (TUQ.): in writing, limited in time and content, never re-delegated


MODE_LABELS = {
    Mode.HEAD: "Giao nhiệm vụ người đứng đầu",
    Mode.DEPUTY: "Phân công ký thay (KT.)",
    Mode.ACTING: "Giao quyền người đứng đầu (Q.)",
    Mode.BY_ORDER: "Giao ký thừa lệnh (TL.)",
    Mode.AUTHORISED: "Ủy quyền TUQ",
}


@dataclass(frozen=True)
class Body:
    """An issuing body as the register describes it."""

    name: str
    regime: Regime
    collective_name: str  # printed after TM., e.g. "Ủy ban nhân dân"
    head_title: str  # e.g. "Chủ tịch", "Giám đốc"


@dataclass(frozen=True)
class Grant:
    """One register entry held by the official, with the entry it was passed on from (TL. to a deputy)."""

    id: int
    mode: Mode
    title: str  # the holder's position as printed, e.g. "Phó Giám đốc", "Chánh Văn phòng"
    valid_from: date
    valid_to: date | None
    decision: str  # "Quyết định số 12/QĐ-UBND ngày 02/01/2026"
    in_charge: bool = False  # a deputy "giao phụ trách, điều hành": every field
    fields: frozenset[str] = frozenset()
    document_types: frozenset[str] = frozenset()
    parent: "Grant | None" = None


@dataclass(frozen=True)
class Request:
    """What is to be signed: the document type, the dossier's fields (code → name) and the signing day."""

    document_type: str
    document_type_name: str
    on: date
    fields: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Verdict:
    allowed: bool
    block: tuple[str, ...] = ()
    reason: str = ""
    grant: Grant | None = None

    @property
    def block_text(self) -> str:
        return " / ".join(self.block)


# When an official holds several entries, the strongest capacity is tried first.
PRECEDENCE = (Mode.HEAD, Mode.ACTING, Mode.DEPUTY, Mode.BY_ORDER, Mode.AUTHORISED)


def decide(body: Body, grants: list[Grant], request: Request, signer_name: str) -> Verdict:
    """Return the first grant that entitles the signer, with its block; otherwise the reason of the strongest one."""
    if not grants:
        return Verdict(False, reason=f"{signer_name} không có tên trong sổ đăng ký thẩm quyền ký của {body.name}.")
    ordered = sorted(grants, key=lambda g: PRECEDENCE.index(g.mode))
    refusals = []
    for grant in ordered:
        reason = refusal_reason(grant, request)
        if not reason:
            return Verdict(True, block=(*signature_block(body, grant), signer_name), grant=grant)
        refusals.append(reason)
    return Verdict(False, reason=refusals[0], grant=ordered[0])


def refusal_reason(grant: Grant, request: Request) -> str:
    """Say why a grant does not cover the request, or return "" when it does."""
    parent = grant.parent
    if parent is not None:
        # ND 30/2020 art. 13(3): a TUQ. authorisation may not be passed on.
        if parent.mode is Mode.AUTHORISED:
            return "Không được ủy quyền lại: thẩm quyền ký thừa ủy quyền (TUQ.) không được giao tiếp cho người khác."
        # Art. 13(4): only TL. may be passed to the holder's deputy, who then signs TL. / KT.
        if parent.mode is not Mode.BY_ORDER or grant.mode is not Mode.BY_ORDER:
            return "Chỉ thẩm quyền ký thừa lệnh (TL.) mới được giao lại cho cấp phó ký thay."
        inherited = refusal_reason(parent, request)
        if inherited:
            return inherited
    label = MODE_LABELS[grant.mode]
    if request.on < grant.valid_from:
        return f"{label} theo {grant.decision} có hiệu lực từ ngày {format_date(grant.valid_from)}."
    if grant.valid_to is not None and request.on > grant.valid_to:
        return f"{label} đã hết hạn ngày {format_date(grant.valid_to)}."
    if grant.mode in (Mode.HEAD, Mode.ACTING):
        return ""
    if grant.mode is Mode.DEPUTY:
        return _deputy_scope(grant, request)
    if grant.mode is Mode.AUTHORISED and grant.valid_to is None:
        return "Ủy quyền TUQ phải có thời hạn (ND 30/2020 điều 13 khoản 3) nhưng mục này không ghi ngày hết hạn."
    if request.document_type not in grant.document_types:
        if grant.mode is Mode.BY_ORDER:
            return (
                f"Loại văn bản {request.document_type_name} không được giao ký thừa lệnh (TL.) "
                f"trong quy chế làm việc ({grant.decision})."
            )
        return f"Ủy quyền TUQ không bao gồm loại văn bản {request.document_type_name}."
    outside = _fields_outside(grant, request)
    if grant.mode is Mode.AUTHORISED and outside:
        return f"Ủy quyền TUQ không bao gồm lĩnh vực {outside}."
    return ""


def _deputy_scope(grant: Grant, request: Request) -> str:
    # Art. 13(1): a deputy signs KT. for the fields assigned to them and the head's documents delegated to them.
    if grant.in_charge or request.document_type in grant.document_types:
        return ""
    if request.fields:
        if set(request.fields) & grant.fields:
            return ""
        return f"{grant.title} không được phân công lĩnh vực {', '.join(request.fields.values())}."
    return f"{grant.title} không được giao ký thay loại văn bản {request.document_type_name}."


def _fields_outside(grant: Grant, request: Request) -> str:
    if not grant.fields or not request.fields or set(request.fields) & grant.fields:
        return ""
    return ", ".join(request.fields.values())


def signature_block(body: Body, grant: Grant) -> tuple[str, ...]:
    """Return the lines above the signer's name, in capitals (ND 30/2020 art. 13 and Phụ lục I)."""
    head = body.head_title.upper()
    collective = (f"TM. {body.collective_name.upper()}",) if body.regime is Regime.COLLECTIVE else ()
    title = grant.title.upper()
    if grant.mode is Mode.HEAD:
        return (*collective, head)
    if grant.mode is Mode.ACTING:
        return (*collective, f"Q. {head}")
    if grant.mode is Mode.DEPUTY:
        return (*collective, f"KT. {head}", title)
    if grant.mode is Mode.AUTHORISED:
        return (f"TUQ. {head}", title)
    if grant.parent is not None:  # TL. passed to the deputy of the internal unit's head
        return (f"TL. {head}", f"KT. {grant.parent.title.upper()}", title)
    return (f"TL. {head}", title)
