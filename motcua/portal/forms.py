"""Citizens' forms: registration, sign-in and password recovery, each with the GOV.UK error pattern."""

import re
from collections.abc import Iterator
from typing import Any

from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm, SetPasswordForm, UsernameField
from django.core.exceptions import ValidationError
from django.template import loader
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from motcua.core.formfields import CitizenIdField, FreeTextField, PhoneField
from motcua.core.validators import normalise_phone, validate_phone
from motcua.notifications.services import queue_email
from motcua.organizations.models import User
from motcua.organizations.registration import start_registration

_SIX_DIGITS = re.compile(r"[0-9]{6}")


class ErrorSummaryMixin:
    """Leave the focus to the error summary once a form comes back with errors (GOV.UK error-summary pattern)."""

    fields: dict[str, forms.Field]

    def full_clean(self) -> None:
        super().full_clean()  # type: ignore[misc]
        if self.errors:  # type: ignore[attr-defined]
            for field in self.fields.values():
                field.widget.attrs.pop("autofocus", None)


def new_password_field(label: StrOrPromise) -> forms.CharField:
    """Return a password input whose help lists what the configured validators ask."""
    return forms.CharField(
        label=label,
        strip=False,
        error_messages={"required": _("Nhập mật khẩu.")},
        help_text=password_validation.password_validators_help_text_html(),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )


def password_again_field(label: StrOrPromise) -> forms.CharField:
    """Return the input where the new password is typed a second time."""
    return forms.CharField(
        label=label,
        strip=False,
        error_messages={"required": _("Nhập lại mật khẩu.")},
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )


def check_new_password(form: forms.Form, user: User | None, first: str, second: str) -> None:
    """Put a mismatch on the second field, or the validators' complaints on the first, where the password was typed."""
    password, again = form.cleaned_data.get(first), form.cleaned_data.get(second)
    if not password or not again:
        return
    if password != again:
        form.add_error(second, _("Hai mật khẩu không khớp."))
        return
    try:
        password_validation.validate_password(password, user)
    except ValidationError as error:
        form.add_error(first, error)


class CitizenRegistrationForm(ErrorSummaryMixin, forms.Form):
    full_name = FreeTextField(
        label=_("Họ và tên"),
        max_length=150,
        error_messages={"required": _("Nhập họ và tên.")},
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    citizen_id = CitizenIdField(
        label=_("Số định danh cá nhân (CCCD)"),
        error_messages={"required": _("Nhập số định danh cá nhân.")},
        help_text=_("12 chữ số in trên thẻ căn cước; có thể gõ cách nhóm bằng dấu cách hoặc dấu chấm."),
    )
    phone = PhoneField(label=_("Số điện thoại"), required=False)
    email = forms.EmailField(
        label=_("Thư điện tử"), required=False, widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )
    password = new_password_field(_("Mật khẩu"))
    password_again = password_again_field(_("Nhập lại mật khẩu"))

    # Whether an identifier already has an account is never told here: see motcua.organizations.registration.
    def clean_phone(self) -> str | None:
        phone: str = self.cleaned_data["phone"]
        return phone or None

    def clean_email(self) -> str:
        email: str = self.cleaned_data["email"].strip().lower()
        return email

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not (data.get("phone") or data.get("email") or self.has_error("phone") or self.has_error("email")):
            # Beside the first of the two fields, so that the summary's link leads somewhere to type.
            self.add_error("phone", _("Cần ít nhất số điện thoại hoặc thư điện tử để đăng nhập."))
        candidate = User(
            username=data.get("phone") or data.get("email") or "",
            full_name=data.get("full_name", ""),
            phone=data.get("phone"),
            email=data.get("email", ""),
            citizen_id=data.get("citizen_id"),
        )
        check_new_password(self, candidate, "password", "password_again")
        return data

    def start(self) -> dict[str, Any]:
        """Send the confirmation code (or the holders' notice) and return the ticket to keep in the session."""
        data = self.cleaned_data
        return start_registration(
            full_name=data["full_name"],
            citizen_id=data["citizen_id"],
            phone=data["phone"],
            email=data["email"],
            password=data["password"],
        )


class RegistrationCodeForm(ErrorSummaryMixin, forms.Form):
    code = forms.CharField(
        label=_("Mã xác nhận"),
        help_text=_("6 chữ số trong tin nhắn hoặc thư; mã dùng được 10 phút."),
        error_messages={"required": _("Nhập mã xác nhận.")},
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "maxlength": "10", "autofocus": True}
        ),
    )

    def clean_code(self) -> str:
        code = "".join(self.cleaned_data["code"].split())
        if not _SIX_DIGITS.fullmatch(code):
            raise ValidationError(_("Mã xác nhận gồm 6 chữ số."))
        return code


class SignInForm(ErrorSummaryMixin, AuthenticationForm):
    """Sign in with a username, phone number or email."""

    username = UsernameField(
        label=_("Tên đăng nhập, số điện thoại hoặc thư điện tử"),
        error_messages={"required": _("Nhập tên đăng nhập, số điện thoại hoặc thư điện tử.")},
        widget=forms.TextInput(attrs={"autofocus": True}),
    )
    password = forms.CharField(
        label=_("Mật khẩu"),
        strip=False,
        error_messages={"required": _("Nhập mật khẩu.")},
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    error_messages = {
        "invalid_login": _("Tên đăng nhập hoặc mật khẩu không đúng. Lưu ý mật khẩu phân biệt chữ hoa, chữ thường."),
        "inactive": _("Tài khoản này đã bị khóa."),
    }

    def clean_username(self) -> str:
        login: str = self.cleaned_data["username"]
        phone = normalise_phone(login)
        try:
            validate_phone(phone)
        except ValidationError:
            return login
        return phone  # "0912 345 678" signs in like 0912345678


class EmailResetForm(ErrorSummaryMixin, PasswordResetForm):
    """Ask for a reset link by e-mail; only citizens get one, and the answer is the same for any address."""

    email = forms.EmailField(
        label=_("Thư điện tử đã đăng ký"),
        max_length=254,
        error_messages={"required": _("Nhập thư điện tử đã đăng ký.")},
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )

    def get_users(self, email: str) -> Iterator[User]:
        return (user for user in super().get_users(email) if user.is_citizen)

    def send_mail(
        self,
        subject_template_name: str,
        email_template_name: str,
        context: dict[str, Any],
        from_email: str | None,
        to_email: str,
        html_email_template_name: str | None = None,
    ) -> None:
        # Through the outbox like every other e-mail: retried when the mail server is down, and kept on record.
        subject = loader.render_to_string(subject_template_name, context)
        body = loader.render_to_string(email_template_name, context)
        queue_email(to_email, subject, body, reference=f"password-reset:{context['user'].pk}")


class NewPasswordForm(ErrorSummaryMixin, SetPasswordForm):  # type: ignore[type-arg]
    """Choose a new password after following a reset link."""

    new_password1 = new_password_field(_("Mật khẩu mới"))
    new_password2 = password_again_field(_("Nhập lại mật khẩu mới"))

    def clean(self) -> dict[str, Any]:
        check_new_password(self, self.user, "new_password1", "new_password2")
        return self.cleaned_data


class CodeRequestForm(ErrorSummaryMixin, forms.Form):
    phone = PhoneField(
        label=_("Số điện thoại đã đăng ký"),
        help_text=_("Chúng tôi gửi mã xác nhận gồm 6 chữ số tới số này."),
        error_messages={"required": _("Nhập số điện thoại đã đăng ký.")},
    )


class CodeResetForm(ErrorSummaryMixin, forms.Form):
    code = forms.CharField(
        label=_("Mã xác nhận"),
        help_text=_("6 chữ số trong tin nhắn; mã dùng được 10 phút."),
        error_messages={"required": _("Nhập mã xác nhận trong tin nhắn.")},
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "maxlength": "10"}),
    )
    new_password1 = new_password_field(_("Mật khẩu mới"))
    new_password2 = password_again_field(_("Nhập lại mật khẩu mới"))

    def clean_code(self) -> str:
        code = "".join(self.cleaned_data["code"].split())
        if not _SIX_DIGITS.fullmatch(code):
            raise ValidationError(_("Mã xác nhận gồm 6 chữ số."))
        return code

    def clean(self) -> dict[str, Any]:
        # The account is known only once the code is checked; similarity to it is checked then, by the service.
        check_new_password(self, None, "new_password1", "new_password2")
        return self.cleaned_data
