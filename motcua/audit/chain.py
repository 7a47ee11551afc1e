"""The hash chain: each audit row's hash covers its own content and the hash of the row before it."""

import hashlib
import json
from datetime import UTC, datetime
from typing import Any

GENESIS = "0" * 64  # the "previous hash" of the first row


def canonical(fields: dict[str, Any], previous_hash: str) -> bytes:
    """Serialise a row the same way on every database: sorted keys, UTC instants, no insignificant whitespace."""
    payload = {key: _plain(value) for key, value in fields.items()}
    payload["previous_hash"] = previous_hash
    return json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def row_hash(fields: dict[str, Any], previous_hash: str) -> str:
    """Return the SHA-256 (hex) of a row's canonical form chained to the previous row's hash."""
    return hashlib.sha256(canonical(fields, previous_hash)).hexdigest()


def _plain(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    return value
