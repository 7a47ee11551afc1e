"""A result template (`motcua-result/1`, docs/eforms.md) read and checked: the kết quả of a procedure as data.

ND 63/2010 art. 8(2) makes the kết quả a part of the procedure, so its layout is published, versioned and carried
by the catalogue's import and export like the tờ khai. The body is a Django template filling the blocks of the
ND 30/2020 art. 8 frame (`style`, `heading`, `content`): it may read the tờ khai's result variables (`form.…`), a
few facts of the dossier (`dossier.…`) and the frame's own values, and use the plain tags below; a template that
could load or include anything else is refused, so publishing one never gives access to more than the dossier.
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.template.base import Lexer, TokenType

from .definition import DefinitionError

FORMAT = "motcua-result/1"
MAX_BODY = 100_000
BLOCKS = ("style", "heading", "content")
TAGS = {
    "block", "endblock", "if", "elif", "else", "endif", "for", "empty", "endfor", "with", "endwith",
    "comment", "endcomment", "firstof", "cycle", "spaceless", "endspaceless", "now",
}  # fmt: skip
DOSSIER = ("code", "applicant_name", "competent_unit")  # what `dossier.…` offers (the unit as `.name`)
READS = re.compile(r"\b(form|dossier)\.([A-Za-z0-9_]+)")


@dataclass(frozen=True)
class ResultTemplateDef:
    procedure: str
    title: str
    legal_basis: str
    confirmed: bool
    body: str


def parse_result(document: Any, *, variables: Iterable[str] | None = None) -> ResultTemplateDef:
    """Read a result template document; raise DefinitionError listing every problem.

    `variables` are the result variables the procedure's tờ khai fill: a template reading any other `form.…` is
    refused, since it would print a blank where the law asks for a value.
    """
    if not isinstance(document, dict):
        raise DefinitionError(["mẫu kết quả phải là một đối tượng JSON."])
    problems = []
    if document.get("format") != FORMAT:
        problems.append(f"format: phải là «{FORMAT}».")
    unknown = set(document) - {"format", "procedure", "title", "source", "body"}
    if unknown:
        problems.append(f"khóa không có trong định dạng: {', '.join(sorted(map(str, unknown)))}.")
    procedure, title = document.get("procedure"), document.get("title")
    if not isinstance(procedure, str) or not procedure.strip():
        problems.append("procedure: thiếu mã thủ tục.")
    if not isinstance(title, str) or not title.strip() or len(title) > 300:
        problems.append("title: nhập tên giấy tờ kết quả (tối đa 300 ký tự).")
    source = document.get("source")
    if not isinstance(source, dict) or not str(source.get("legal_basis") or "").strip():
        problems.append("source.legal_basis: thiếu văn bản quy định mẫu kết quả (điều, phụ lục).")
    elif not isinstance(source.get("confirmed"), bool):
        problems.append("source.confirmed: phải là true hoặc false.")
    body = document.get("body")
    if not isinstance(body, str) or not body.strip():
        problems.append("body: thiếu nội dung mẫu.")
    elif len(body) > MAX_BODY:
        problems.append(f"body: dài quá {MAX_BODY:,} ký tự.".replace(",", "."))
    else:
        problems += _body_problems(body, None if variables is None else set(variables))
    if problems:
        raise DefinitionError(problems)
    assert isinstance(source, dict) and isinstance(body, str)
    return ResultTemplateDef(str(procedure), str(title), str(source["legal_basis"]), source["confirmed"], body)


def _body_problems(body: str, variables: set[str] | None) -> list[str]:
    problems, blocks = [], set()
    for token in Lexer(body).tokenize():
        if token.token_type not in (TokenType.BLOCK, TokenType.VAR):
            continue
        words = token.split_contents()
        if token.token_type == TokenType.BLOCK:
            tag = words[0] if words else ""
            if tag not in TAGS:
                problems.append(f"body: dòng {token.lineno}: không dùng thẻ «{tag}» trong mẫu kết quả.")
                continue
            if tag == "block":
                name = words[1] if len(words) > 1 else ""
                if name not in BLOCKS:
                    problems.append(f"body: dòng {token.lineno}: khối «{name}» không có; chỉ có {', '.join(BLOCKS)}.")
                blocks.add(name)
        for root, name in READS.findall(token.contents):
            if root == "dossier" and name not in DOSSIER:
                offered = ", ".join(DOSSIER)
                problems.append(f"body: dòng {token.lineno}: hồ sơ không có «dossier.{name}»; chỉ có {offered}.")
            if root == "form" and variables is not None and name not in variables:
                problems.append(f"body: dòng {token.lineno}: tờ khai không điền biến «form.{name}».")
    if "content" not in blocks:
        problems.append("body: thiếu khối «content» (nội dung giấy tờ).")
    return problems
