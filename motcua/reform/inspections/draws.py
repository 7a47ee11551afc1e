"""The random pick of units for surprise inspections (kiểm tra đột xuất, lựa chọn ngẫu nhiên). Pure.

Each eligible unit is ranked by SHA-256 of "seed:unit code" and the lowest ranks are picked: the same seed and the
same eligible list give the same pick on any machine and any Python version, and anyone can recompute it by hand
from what a `SurpriseDraw` keeps.
"""

import hashlib
import secrets

ALGORITHM = "sha256-rank-v1"


def new_seed() -> str:
    """A fresh seed from the system's secure source: 128 bits as hex."""
    return secrets.token_hex(16)


def pick(seed: str, eligible: list[str], count: int) -> list[str]:
    """The `count` units of `eligible` (codes) a seed picks, in draw order."""
    if not 0 < count <= len(eligible):
        raise ValueError(f"count must be 1..{len(eligible)}, got {count}")
    ranked = sorted(set(eligible), key=lambda code: hashlib.sha256(f"{seed}:{code}".encode()).hexdigest())
    return ranked[:count]
