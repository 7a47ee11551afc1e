from typing import Any

from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm, UsernameField
from django.utils.translation import gettext_lazy as _

from motcua.core.validators import validate_citizen_id, validate_phone
from motcua.organizations.models import User
from motcua.organizations.services import register_citizen


class CitizenRegistrationForm(forms.Form):
    full_name = forms.CharField(label=_("Họ và tên"), max_length=150)
    citizen_id = forms.CharField(
        label=_("Số định danh cá nhân (CCCD)"),
        max_length=12,
        validators=[validate_citizen_id],
        help_text=_("12 chữ số in trên thẻ căn cước."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    phone = forms.CharField(
        label=_("Số điện thoại"),
        max_length=10,
        required=False,
        validators=[validate_phone],
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
    email = forms.EmailField(
        label=_("Thư điện tử"), required=False, widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )
    password = forms.CharField(label=_("Mật khẩu"), widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))
    password_again = forms.CharField(
        label=_("Nhập lại mật khẩu"), widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )

    def clean_citizen_id(self) -> str:
        number: str = self.cleaned_data["citizen_id"]
        if User.objects.filter(citizen_id=number).exists():
            raise forms.ValidationError(_("Số định danh này đã có tài khoản; hãy đăng nhập hoặc khôi phục mật khẩu."))
        return number

    def clean_phone(self) -> str | None:
        phone: str = self.cleaned_data["phone"]
        if phone and User.objects.filter(phone=phone).exists():
            raise forms.ValidationError(_("Số điện thoại này đã được dùng cho một tài khoản khác."))
        return phone or None

    def clean_email(self) -> str:
        email: str = self.cleaned_data["email"].strip().lower()
        if email and User.objects.filter(email__iexact=email).exists():
            raise forms.ValidationError(_("Thư điện tử này đã được dùng cho một tài khoản khác."))
        return email

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if (
            not data.get("phone")
            and not data.get("email")
            and not self.has_error("phone")
            and not self.has_error("email")
        ):
            raise forms.ValidationError(_("Cần ít nhất số điện thoại hoặc thư điện tử để đăng nhập."))
        if data.get("password") and data.get("password") != data.get("password_again"):
            self.add_error("password_again", _("Hai mật khẩu không khớp."))
        elif data.get("password"):
            candidate = User(
                username=data.get("phone") or data.get("email") or "", full_name=data.get("full_name", "")
            )
            try:
                password_validation.validate_password(data["password"], candidate)
            except forms.ValidationError as error:
                self.add_error("password", error)
        return data

    def save(self) -> User:
        data = self.cleaned_data
        return register_citizen(
            full_name=data["full_name"],
            citizen_id=data["citizen_id"],
            phone=data["phone"],
            email=data["email"],
            password=data["password"],
        )


class SignInForm(AuthenticationForm):
    """Sign in with a username, phone number or email."""

    username = UsernameField(
        label=_("Tên đăng nhập, số điện thoại hoặc thư điện tử"), widget=forms.TextInput(attrs={"autofocus": True})
    )
    error_messages = {
        "invalid_login": _("Tên đăng nhập hoặc mật khẩu không đúng. Lưu ý mật khẩu phân biệt chữ hoa, chữ thường."),
        "inactive": _("Tài khoản này đã bị khóa."),
    }
