"""Citizen registration that tells nobody which ID number, phone or e-mail already has an account.

Every well-formed registration gets the same next page, "enter the code we sent". A new one is sent a code to its phone
(or, without a phone, its e-mail) and becomes an account only once the code is entered. One that uses an identifier
already held creates nothing: the holder is told by SMS or e-mail that someone tried, and no code will ever match.
The pending registration is a ticket kept server-side in the session; it holds the password hashed, never in clear.
"""

import secrets
from typing import Any

from django.contrib.auth.hashers import make_password
from django.db import IntegrityError, transaction
from django.db.models import Q

from motcua.core.errors import ConflictError, DomainError
from motcua.core.ratelimit import take_try
from motcua.notifications.services import queue_email, queue_sms

from . import onetime_codes
from .models import User, UserKind

PURPOSE = "registration"

# Codes one phone or e-mail address may be sent per hour, held or not: the same count either way reveals nothing.
CODES_PER_DESTINATION_PER_HOUR = 3


class RegistrationLimitError(DomainError):
    code = "too_many_codes"
    status = 429


class WrongRegistrationCodeError(DomainError):
    code = "wrong_code"
    field = "code"


class RegistrationCodeLockedError(DomainError):
    code = "code_locked"
    field = "code"


def start_registration(
    *, full_name: str, citizen_id: str, phone: str | None, email: str, password: str
) -> dict[str, Any]:
    """Send a code for a new registration, or a notice to the holders of the identifiers; return the ticket to keep."""
    destination = phone or email
    if not take_try("registration-code-sent", destination, CODES_PER_DESTINATION_PER_HOUR, 3600):
        raise RegistrationLimitError(
            f"Đã gửi mã xác nhận tới {destination} {CODES_PER_DESTINATION_PER_HOUR} lần trong một giờ; "
            "hãy thử lại sau."
        )
    # Hashed on both paths, so that the time taken does not tell them apart either.
    password_hash = make_password(password)
    ticket: dict[str, Any] = {
        "destination": destination,
        "expires": onetime_codes.expiry(),
        "nonce": secrets.token_hex(16),  # names the ticket's tries in the shared store
        "code_hash": "",
        "account": None,
    }
    holders = _holders_of(citizen_id=citizen_id, phone=phone, email=email)
    with transaction.atomic():
        if holders:
            for holder in holders:
                _tell_holder(holder)
            return ticket
        code = onetime_codes.new_code()
        ticket["code_hash"] = onetime_codes.digest(PURPOSE, destination, code)
        ticket["account"] = {
            "full_name": full_name,
            "citizen_id": citizen_id,
            "phone": phone,
            "email": email,
            "password": password_hash,
        }
        _send_code(phone, email, code)
    return ticket


def confirm_registration(ticket: dict[str, Any], code: str) -> User:
    """Open the account of a ticket whose code is right and still valid; count a wrong code in the ticket.

    A ticket of identifiers already held never matches, and gets the same answer as a wrong code. The try is spent in
    the shared store before the code is compared: the ticket lives in the session, and concurrent requests with one
    session would each read it before any of them wrote a count back.
    """
    tries_key = str(ticket.get("nonce") or f"{ticket.get('destination')}:{ticket.get('expires')}")
    if not onetime_codes.spend_try(PURPOSE, tries_key):
        raise RegistrationCodeLockedError("Đã nhập sai mã quá nhiều lần. Hãy đăng ký lại để nhận mã mới.")
    right = onetime_codes.matches(ticket, PURPOSE, str(ticket.get("destination", "")), code)
    if not (right and ticket.get("account")):
        raise WrongRegistrationCodeError("Mã xác nhận không đúng hoặc đã hết hạn.")
    account = ticket["account"]
    user = User(
        username=account["phone"] or account["email"],
        kind=UserKind.CITIZEN,
        full_name=account["full_name"],
        citizen_id=account["citizen_id"],
        phone=account["phone"],
        email=account["email"],
        password=account["password"],
    )
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError as error:  # another registration with the same identifiers was confirmed meanwhile
        raise ConflictError("Số định danh, số điện thoại hoặc thư điện tử này đã có tài khoản.") from error
    return user


def _holders_of(*, citizen_id: str, phone: str | None, email: str) -> list[User]:
    same = Q(citizen_id=citizen_id)
    if phone:
        same |= Q(phone=phone)
    if email:
        same |= Q(email__iexact=email)
    return list(User.objects.filter(same).order_by("pk"))


def _tell_holder(holder: User) -> None:
    body = (
        "Có người vừa dùng số định danh, số điện thoại hoặc thư điện tử của tài khoản bạn để đăng ký tài khoản mới "
        "trên Cổng dịch vụ công. Bạn đã có tài khoản: hãy đăng nhập, hoặc dùng «Quên mật khẩu». Nếu không phải bạn, "
        "hãy bỏ qua tin này."
    )
    reference = f"registration-attempt:{holder.pk}"
    if holder.phone:
        queue_sms(holder.phone, body, reference=reference)
    elif holder.email:
        queue_email(holder.email, "Có người đăng ký bằng thông tin tài khoản của bạn", body, reference=reference)


def _send_code(phone: str | None, email: str, code: str) -> None:
    minutes = int(onetime_codes.LIFETIME.total_seconds() // 60)
    body = (
        f"Mã xác nhận đăng ký tài khoản Cổng dịch vụ công: {code}. Mã dùng được {minutes} phút. "
        "Không đưa mã này cho bất kỳ ai."
    )
    if phone:
        queue_sms(phone, body, reference="registration-code")
    else:
        queue_email(email, "Mã xác nhận đăng ký tài khoản", body, reference="registration-code")
