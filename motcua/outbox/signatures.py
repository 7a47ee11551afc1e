"""The signature a webhook receiver checks: HMAC-SHA256 over "timestamp.body" with the subscription's secret.

Header `X-Motcua-Signature: t=<unix seconds>,v1=<hex digest>`. A receiver recomputes the digest and refuses a
timestamp more than `REPLAY_WINDOW` away from its own clock, so a captured request cannot be replayed later.
"""

import hashlib
import hmac
from datetime import timedelta

HEADER = "X-Motcua-Signature"
REPLAY_WINDOW = timedelta(minutes=5)


def sign(secret: str, timestamp: int, body: bytes) -> str:
    digest = hmac.new(secret.encode(), str(timestamp).encode() + b"." + body, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={digest}"


def verify(secret: str, header: str, body: bytes, now: int) -> bool:
    """Tell whether a signature header is right for this body and recent enough (the receivers' side, for tests)."""
    try:
        fields = dict(part.split("=", 1) for part in header.split(","))
        timestamp = int(fields["t"])
    except (KeyError, ValueError):
        return False
    if abs(now - timestamp) > REPLAY_WINDOW.total_seconds():
        return False
    return hmac.compare_digest(sign(secret, timestamp, body), f"t={timestamp},v1={fields.get('v1', '')}")
