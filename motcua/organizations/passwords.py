"""Password rules beyond Django's own validators."""

import re

from django.contrib.auth.password_validation import UserAttributeSimilarityValidator
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .models import User

_DIGITS = re.compile(r"[0-9]")


class PersonalDetailsValidator(UserAttributeSimilarityValidator):
    """Refuse a password like the account's details, or holding its citizen ID or phone number anywhere in it.

    Django's similarity check compares whole strings, so "Mat-khau-cua-toi-087195004321" passes it: the digits anyone
    reading the ID card (or knowing the phone) has would still be most of the secret.
    """

    def validate(self, password: str, user: User | None = None) -> None:
        super().validate(password, user)
        if user is None:
            return
        digits = "".join(_DIGITS.findall(password))
        if user.citizen_id and user.citizen_id in digits:
            raise ValidationError(
                _("Mật khẩu không được chứa số định danh cá nhân của bạn."), code="password_has_citizen_id"
            )
        if user.phone and user.phone[1:] in digits:  # with or without the leading 0, as +84 writes it
            raise ValidationError(_("Mật khẩu không được chứa số điện thoại của bạn."), code="password_has_phone")

    def get_help_text(self) -> str:
        return _("Mật khẩu không được giống thông tin cá nhân của bạn, hay chứa số định danh hoặc số điện thoại.")
