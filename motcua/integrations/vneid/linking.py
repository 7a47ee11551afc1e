"""Which account a VNeID sign-in opens, by the 12-digit personal identification number (issue 20 b).

- An account already linked to VNeID for that number opens at once.
- A citizen account that holds the number but is not linked yet opens only after its holder confirms: a code goes to
  the contact on file (SMS to the phone, else e-mail), so that whoever controls the VNeID account also controls the
  account being joined to it. Until then nothing about the account changes.
- A number no account holds makes a new citizen account, marked VNeID-verified, without a password.
- Officials never sign in through VNeID (their accounts carry a second factor that VNeID would bypass), nor does a
  disabled account.

The pending link is a ticket kept server-side in the session, like a registration (organizations/registration.py).
"""

import secrets
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction

from motcua.core import clock
from motcua.core.errors import ConflictError, DomainError, NotPermittedError
from motcua.core.ratelimit import take_try
from motcua.notifications.services import queue_email, queue_sms
from motcua.organizations import onetime_codes
from motcua.organizations.models import User, UserKind

from .client import Identity

PURPOSE = "vneid-link"
# Codes one account may be sent per hour: each one is an SMS that costs money and disturbs the holder.
CODES_PER_ACCOUNT_PER_HOUR = 3


class LinkLimitError(DomainError):
    code = "too_many_codes"
    status = 429


class WrongLinkCodeError(DomainError):
    code = "wrong_code"
    field = "code"


class LinkCodeLockedError(DomainError):
    code = "code_locked"
    field = "code"


@dataclass(frozen=True)
class LinkNeeded:
    """The account exists and is not linked yet: keep `ticket` in the session; the code went to `destination`
    (the contact on file, masked)."""

    ticket: dict[str, Any]
    destination: str


def resolve(identity: Identity) -> User | LinkNeeded:
    """Return the account this VNeID identity opens now, or the ticket of a link its holder must first confirm."""
    holder = User.objects.filter(citizen_id=identity.citizen_id).first()
    if holder is None:
        try:
            return _create_account(identity)
        except IntegrityError as error:  # the same person's first sign-in twice at once: the other made the account
            holder = User.objects.filter(citizen_id=identity.citizen_id).first()
            if holder is None:
                raise ConflictError(
                    "Không tạo được tài khoản cho số định danh này. Hãy liên hệ Bộ phận Một cửa."
                ) from error
    _check_may_sign_in(holder)
    if holder.vneid_verified_at is not None:
        if holder.vneid_subject != identity.subject:
            holder.vneid_subject = identity.subject  # the link is the ID; remember the provider's latest name for it
            holder.save(update_fields=["vneid_subject"])
        return holder
    return _start_link(holder, identity)


def confirm_link(ticket: dict[str, Any], code: str) -> User:
    """Link the ticket's account to VNeID when the code is right and still valid; return the account to sign in.

    The try is spent in the shared store before the code is compared, so that concurrent requests with one session
    cannot each read the ticket before any of them counted a try (as for registration).
    """
    key = str(ticket.get("nonce") or "")
    if not onetime_codes.spend_try(PURPOSE, key):
        raise LinkCodeLockedError("Đã nhập sai mã quá nhiều lần. Hãy đăng nhập lại bằng VNeID để nhận mã mới.")
    if not (key and onetime_codes.matches(ticket, PURPOSE, key, code)):
        raise WrongLinkCodeError("Mã xác nhận không đúng hoặc đã hết hạn.")
    with transaction.atomic():
        user = User.objects.select_for_update().filter(pk=int(ticket.get("user") or 0)).first()
        if user is None or user.citizen_id != ticket.get("citizen_id"):
            raise ConflictError("Tài khoản này đã thay đổi từ lúc gửi mã. Hãy đăng nhập lại bằng VNeID.")
        _check_may_sign_in(user)
        if user.vneid_verified_at is None:
            user.vneid_verified_at = clock.now()
            user.vneid_subject = str(ticket.get("subject") or "")
            user.save(update_fields=["vneid_verified_at", "vneid_subject"])
    return user


def _check_may_sign_in(user: User) -> None:
    if not user.is_citizen:
        raise NotPermittedError(
            "Tài khoản cán bộ, công chức không đăng nhập bằng VNeID. Hãy đăng nhập bằng tên đăng nhập, mật khẩu "
            "và mã xác thực của cơ quan."
        )
    if not user.is_active:
        raise NotPermittedError("Tài khoản gắn với số định danh này đang bị khóa. Hãy liên hệ Bộ phận Một cửa.")


def _create_account(identity: Identity) -> User:
    """Make a citizen account from VNeID's claims; a phone or e-mail another account holds is left out."""
    phone = identity.phone if identity.phone and not User.objects.filter(phone=identity.phone).exists() else None
    email = identity.email
    if email and User.objects.filter(email__iexact=email).exists():
        email = ""
    user = User(
        username=f"vneid-{identity.citizen_id}",
        kind=UserKind.CITIZEN,
        full_name=identity.full_name,
        citizen_id=identity.citizen_id,
        phone=phone,
        email=email,
        vneid_verified_at=clock.now(),
        vneid_subject=identity.subject,
    )
    user.set_unusable_password()  # signs in through VNeID; a password can be chosen later with «Quên mật khẩu»
    with transaction.atomic():
        user.save()
    return user


def _start_link(holder: User, identity: Identity) -> LinkNeeded:
    if not holder.phone and not holder.email:
        raise NotPermittedError(
            "Tài khoản có số định danh này chưa có số điện thoại hay thư điện tử để gửi mã xác nhận liên kết. "
            "Hãy đăng nhập bằng mật khẩu, hoặc liên hệ Bộ phận Một cửa."
        )
    if not take_try("vneid-link-code-sent", str(holder.pk), CODES_PER_ACCOUNT_PER_HOUR, 3600):
        raise LinkLimitError(
            f"Đã gửi mã xác nhận liên kết VNeID {CODES_PER_ACCOUNT_PER_HOUR} lần trong một giờ; hãy thử lại sau."
        )
    nonce = secrets.token_hex(16)  # names the ticket's tries in the shared store, and salts its code
    code = onetime_codes.new_code()
    minutes = int(onetime_codes.LIFETIME.total_seconds() // 60)
    body = (
        f"Mã xác nhận liên kết tài khoản Cổng dịch vụ công với VNeID: {code}. Mã dùng được {minutes} phút. "
        "Nếu bạn không vừa đăng nhập bằng VNeID, đừng đưa mã này cho ai."
    )
    reference = f"vneid-link:{holder.pk}"
    with transaction.atomic():
        if holder.phone:
            queue_sms(holder.phone, body, reference=reference)
            destination = f"••••{holder.phone[-3:]}"
        else:
            queue_email(holder.email, "Mã xác nhận liên kết tài khoản với VNeID", body, reference=reference)
            destination = _masked_email(holder.email)
    ticket = {
        "user": holder.pk,
        "citizen_id": identity.citizen_id,
        "subject": identity.subject,
        "nonce": nonce,
        "code_hash": onetime_codes.digest(PURPOSE, nonce, code),
        "expires": onetime_codes.expiry(),
        "destination": destination,
    }
    return LinkNeeded(ticket, destination)


def _masked_email(email: str) -> str:
    name, _, domain = email.partition("@")
    return f"{name[:1]}•••@{domain}"
