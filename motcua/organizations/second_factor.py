"""The second factor at sign-in: a TOTP device (django-otp) for every official, and for citizens who turn it on.

A session is opened only once both factors have been checked (the sign-in view keeps the half-done sign-in aside);
the middleware below still closes any staff session without a checked device, such as one opened by the admin's own
login page, before it reaches an office page, the admin or the API.
"""

import re
from base64 import b32encode
from collections.abc import Callable

import segno
from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from .models import User, UserKind

DEVICE_NAME = "motcua"
_CODE = re.compile(r"[0-9]{6}")


def is_required(user: User) -> bool:
    """Tell whether `user` signs in with a code: officials (unless turned off), citizens who turned it on."""
    if user.kind == UserKind.STAFF and settings.MOTCUA_STAFF_OTP_REQUIRED:
        return True
    return user.kind != UserKind.STAFF and confirmed_device(user) is not None


def confirmed_device(user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()


def device_to_set_up(user: User) -> TOTPDevice:
    """Return the device being set up for `user`, the same one on every reload until it is confirmed."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    return device or TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)


def code_is_valid(device: TOTPDevice, code: str) -> bool:
    """Check a 6-digit code; each code works once, and wrong ones slow the device down (django-otp's throttling)."""
    digits = "".join(code.split())
    return bool(_CODE.fullmatch(digits)) and bool(device.verify_token(digits))


def confirm(device: TOTPDevice) -> None:
    """Make a device that has just given a right code the account's one device."""
    TOTPDevice.objects.filter(user_id=device.user_id).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])


def turn_off(user: User) -> None:
    """Remove a citizen's devices: they sign in with the password alone again."""
    TOTPDevice.objects.filter(user=user).delete()


def give_known_device(user: User, key_hex: str) -> TOTPDevice:
    """Give `user` a confirmed device with a known key (demo accounts only: the key is printed by `motcua demo`)."""
    existing = TOTPDevice.objects.filter(user=user, confirmed=True, key=key_hex).first()
    if existing is not None:
        return existing
    TOTPDevice.objects.filter(user=user).delete()
    return TOTPDevice.objects.create(user=user, name=DEVICE_NAME, key=key_hex, confirmed=True)


def manual_key(device: TOTPDevice) -> str:
    """Return the key in base32, in groups of four, for authenticator apps where it is typed rather than scanned."""
    return manual_key_of(device.key)


def manual_key_of(key_hex: str) -> str:
    key = b32encode(bytes.fromhex(key_hex)).decode()
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))


def qr_svg(device: TOTPDevice) -> str:
    """Return the otpauth:// address of a device as an inline SVG QR code."""
    return str(segno.make(device.config_url, error="m").svg_inline(scale=4, border=2))


def mark_verified(request: HttpRequest, device: TOTPDevice) -> None:
    """Record in the signed-in session that its second factor was checked with `device`."""
    otp_login(request, device)


def staff_session_unverified(request: HttpRequest) -> bool:
    """Tell whether the signed-in official of `request` must, and did not, pass the second factor.

    Citizens are not checked here: their sessions open only through the two steps, or when they confirm a device.
    """
    user = request.user
    if not user.is_authenticated or user.kind != UserKind.STAFF or not settings.MOTCUA_STAFF_OTP_REQUIRED:
        return False
    return not user.is_verified()  # type: ignore[attr-defined]  # installed by OTPMiddleware


class SecondFactorMiddleware:
    """Sign out a session whose user must pass a second factor and did not; send office and admin pages to sign-in.

    Runs after django-otp's OTPMiddleware, which tells whether the session's device was checked.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        path = request.path_info
        if path == reverse("admin:login"):
            # The admin's own form checks only the password: officials sign in through the portal's two steps.
            return redirect_to_login(request.GET.get("next", reverse("admin:index")))
        if staff_session_unverified(request):
            logout(request)
            if path.startswith((reverse("office:home"), reverse("admin:index"))):
                return redirect_to_login(request.get_full_path())
        return self.get_response(request)
