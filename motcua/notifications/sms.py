"""SMS adapters: the protocol a gateway implements, and a log-only stand-in for development and the demo."""

import logging
from typing import ClassVar, NamedTuple, Protocol

from django.conf import settings
from django.utils.module_loading import import_string

logger = logging.getLogger("motcua.sms")

DEFAULT_SMS_BACKEND = "motcua.notifications.sms.LogOnlySms"


class SmsBackend(Protocol):
    """What an SMS gateway adapter offers; the outbox retries whenever `send` raises."""

    def send(self, phone: str, body: str) -> None:
        """Deliver one SMS to a 10-digit Vietnamese phone number, raising on any failure."""


class LoggedSms(NamedTuple):
    phone: str
    body: str


class LogOnlySms:
    """Log each SMS and keep the latest ones in memory; a demo stand-in that reaches no phone.

    It is the default so that a fresh installation runs without a gateway contract. Production must point
    MOTCUA_SMS_BACKEND at a real adapter (a class with `send(phone, body)` that raises when the gateway refuses).
    """

    outbox: ClassVar[list[LoggedSms]] = []
    # Bounded so that a long-running demo server does not grow without limit.
    keep: ClassVar[int] = 100

    def send(self, phone: str, body: str) -> None:
        """Log the SMS and remember it."""
        logger.info("SMS (chỉ ghi nhật ký, không gửi thật) tới %s: %s", phone, body)
        LogOnlySms.outbox.append(LoggedSms(phone, body))
        del LogOnlySms.outbox[: -LogOnlySms.keep]

    @classmethod
    def clear(cls) -> None:
        """Forget the remembered messages."""
        cls.outbox.clear()


def get_sms_backend() -> SmsBackend:
    """Return an instance of the adapter named by MOTCUA_SMS_BACKEND."""
    backend: SmsBackend = import_string(getattr(settings, "MOTCUA_SMS_BACKEND", DEFAULT_SMS_BACKEND))()
    return backend
