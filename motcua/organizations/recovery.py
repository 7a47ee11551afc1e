"""Password recovery by a one-time code sent by SMS, for citizens (officials are reset by an administrator)."""

import secrets
from datetime import timedelta
from enum import Enum

from django.contrib.auth import password_validation
from django.db import transaction
from django.utils.crypto import constant_time_compare, salted_hmac

from motcua.core import clock
from motcua.core.errors import DomainError
from motcua.core.ratelimit import count_failure, tries_spent
from motcua.notifications.services import queue_sms

from .models import PasswordResetCode, User, UserKind

CODE_LIFETIME = timedelta(minutes=10)
MAX_FAILED_TRIES = 5
# Codes one phone number may be sent per hour, whether or not it has an account: an SMS costs money and disturbs
# whoever holds the number, and counting every number alike reveals nothing about accounts.
CODES_PER_PHONE_PER_HOUR = 3


class CodeRequestLimitError(DomainError):
    code = "too_many_codes"
    status = 429


class WrongCodeError(DomainError):
    code = "wrong_code"


class CodeLockedError(DomainError):
    code = "code_locked"


class _Check(Enum):
    RIGHT = "right"
    WRONG = "wrong"
    LOCKED = "locked"


def send_reset_code(phone: str) -> None:
    """Send a fresh code to the citizen holding this phone number; for any other number, send nothing and say nothing.

    A new code replaces the previous one, so only one is ever valid for an account.
    """
    if tries_spent("reset-code-sent", phone, CODES_PER_PHONE_PER_HOUR, 3600):
        raise CodeRequestLimitError(
            f"Số điện thoại này đã được yêu cầu mã {CODES_PER_PHONE_PER_HOUR} lần trong một giờ; hãy thử lại sau."
        )
    count_failure("reset-code-sent", phone, 3600)
    user = _citizen_with(phone)
    if user is None:
        return
    code = f"{secrets.randbelow(10**6):06d}"
    now = clock.now()
    with transaction.atomic():
        PasswordResetCode.objects.update_or_create(
            user=user,
            defaults={
                "code_hash": _digest(user, code),
                "created_at": now,
                "expires_at": now + CODE_LIFETIME,
                "failed_tries": 0,
            },
        )
        queue_sms(
            phone,
            f"Mã đặt lại mật khẩu Cổng dịch vụ công: {code}. Mã dùng được {CODE_LIFETIME.seconds // 60} phút. "
            "Không đưa mã này cho bất kỳ ai.",
            reference=f"password-reset:{user.pk}",
        )


def reset_password_with_code(phone: str, code: str, password: str) -> User:
    """Set a new password when the code is right and still valid, then forget the code.

    Wrong, expired and unknown codes get the same answer whether or not the phone has an account; a password the
    validators refuse raises ValidationError without spending a try, since the code was right.
    """
    with transaction.atomic():
        entry = (
            PasswordResetCode.objects.select_for_update()
            .select_related("user")
            .filter(user__phone=phone, user__kind=UserKind.CITIZEN, user__is_active=True)
            .first()
        )
        outcome = _check(entry, phone, code)
        if outcome is _Check.RIGHT and entry is not None:
            password_validation.validate_password(password, entry.user)
            entry.user.set_password(password)
            entry.user.save(update_fields=["password"])
            entry.delete()
            return entry.user
    # Raised after the block so that the counted try is committed, not rolled back with the error.
    if outcome is _Check.LOCKED:
        raise CodeLockedError(
            f"Đã nhập sai mã {MAX_FAILED_TRIES} lần nên mã này không còn dùng được. Hãy yêu cầu mã mới.", field="code"
        )
    raise WrongCodeError(
        f"Mã xác nhận không đúng hoặc đã hết hạn. Mỗi mã chỉ được nhập sai {MAX_FAILED_TRIES} lần.", field="code"
    )


def _check(entry: PasswordResetCode | None, phone: str, code: str) -> _Check:
    """Compare the code, counting a wrong one."""
    if entry is None:
        # No account or no code: count tries as for a real code, so that neither the answer nor the lock tells.
        window = int(CODE_LIFETIME.total_seconds())
        count_failure("reset-code-unknown", phone, window)
        locked = tries_spent("reset-code-unknown", phone, MAX_FAILED_TRIES, window)
        return _Check.LOCKED if locked else _Check.WRONG
    if entry.failed_tries >= MAX_FAILED_TRIES:
        return _Check.LOCKED
    if entry.expires_at > clock.now() and constant_time_compare(entry.code_hash, _digest(entry.user, code)):
        return _Check.RIGHT
    entry.failed_tries += 1
    entry.save(update_fields=["failed_tries"])
    return _Check.LOCKED if entry.failed_tries >= MAX_FAILED_TRIES else _Check.WRONG


def _citizen_with(phone: str) -> User | None:
    return User.objects.filter(phone=phone, kind=UserKind.CITIZEN, is_active=True).first()


def _digest(user: User, code: str) -> str:
    return salted_hmac("motcua.organizations.recovery", f"{user.pk}:{code}", algorithm="sha256").hexdigest()
