"""Vietnamese search text: no diacritics, no case, and i/y spelled alike ("đăng kí" = "đăng ký")."""

import difflib
import re

from motcua.core.text import fold

_WORD = re.compile(r"[a-z0-9]+")


def search_fold(text: str) -> str:
    """Return text folded for matching; "y" becomes "i" because both spellings are in common use."""
    return " ".join(_WORD.findall(fold(text).replace("y", "i")))


def correct_tokens(tokens: list[str], vocabulary: set[str]) -> list[str]:
    """Replace each unknown token by the closest known word, to tolerate typing mistakes ("khai sinnh")."""
    corrected = []
    for token in tokens:
        if token in vocabulary or len(token) < 3:
            corrected.append(token)
            continue
        close = difflib.get_close_matches(token, vocabulary, n=1, cutoff=0.75)
        corrected.append(close[0] if close else token)
    return corrected


def rank(query: str, folded: str) -> tuple[int, int]:
    """Order a match on a folded name: the phrase at its start, inside it, then its words; shorter names first."""
    if folded.startswith(query):
        bucket = 0
    elif query in folded:
        bucket = 1
    elif all(token in folded.split() for token in query.split()):
        bucket = 2
    else:
        bucket = 3
    return bucket, len(folded)
