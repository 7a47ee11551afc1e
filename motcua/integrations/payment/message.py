"""The platform's messages: our field names ↔ the wire's, and their signature. Pure, no Django models.

The platform's field names and signature are not in our sources [R]: the names are mapped by
`MOTCUA_PAYMENT_FIELD_NAMES`, the signed fields listed in order by `MOTCUA_PAYMENT_ORDER_SIGNED` and
`MOTCUA_PAYMENT_CALLBACK_SIGNED`, and the signature is an HMAC (`MOTCUA_PAYMENT_ALGORITHM`, SHA-256 by default) over
their values joined by "|", in lower-case hexadecimal, under the wire name `signature`.
"""

import hashlib
import hmac
from collections.abc import Mapping, Sequence
from typing import Any

from django.conf import settings

SIGNATURE = "signature"


def wire_name(name: str) -> str:
    return str(settings.MOTCUA_PAYMENT_FIELD_NAMES.get(name, name))


def to_wire(fields: Mapping[str, Any]) -> dict[str, Any]:
    return {wire_name(name): value for name, value in fields.items()}


def from_wire(body: Mapping[str, Any]) -> dict[str, Any]:
    """Read a wire message into our names; fields we do not know are dropped."""
    ours = {wire_name(name): name for name in (*CALLBACK_FIELDS, SIGNATURE)}
    return {ours[key]: value for key, value in body.items() if key in ours}


# What a callback carries, in our names.
CALLBACK_FIELDS = ("merchant", "reference", "transaction_id", "amount", "status", "paid_at")


def canonical(fields: Mapping[str, Any], signed: Sequence[str]) -> str:
    """The signed string: each signed field's value, in the configured order, joined by "|" (a missing one is "")."""
    return "|".join("" if fields.get(name) is None else str(fields[name]) for name in signed)


def sign(fields: Mapping[str, Any], signed: Sequence[str], secret: str | None = None) -> str:
    key = (settings.MOTCUA_PAYMENT_SECRET if secret is None else secret).encode("utf-8")
    text = canonical(fields, signed).encode("utf-8")
    return hmac.new(key, text, getattr(hashlib, settings.MOTCUA_PAYMENT_ALGORITHM)).hexdigest()


def verify(fields: Mapping[str, Any], signed: Sequence[str]) -> bool:
    """Tell whether the message's signature is the one the shared secret gives (compared in constant time)."""
    given = fields.get(SIGNATURE)
    return isinstance(given, str) and hmac.compare_digest(given.lower(), sign(fields, signed))
