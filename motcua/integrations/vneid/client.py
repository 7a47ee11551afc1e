"""VNeID as an OpenID Connect provider: the callback's code exchanged for checked claims, and the session backend.

mozilla-django-oidc does the protocol: the authorization request with state, nonce and a PKCE S256 challenge kept in
the session, the token request with the verifier, the JWKS lookup and the RS256 signature check. Left to itself it
does not check the ID token's issuer and audience, nor require its expiry (OpenID Connect Core 1.0 §3.1.3.7), and a
provider that refuses or does not answer surfaces as a server error; this module adds those checks and turns each
refusal into a VneidError with a stable code and a Vietnamese message.
"""

import logging
from dataclasses import dataclass
from typing import Any

import jwt
import requests
from django.conf import settings
from django.core.exceptions import SuspiciousOperation, ValidationError
from django.core.validators import validate_email
from django.http import HttpRequest
from django.urls import reverse
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.utils import absolutify

from motcua.core.errors import DomainError
from motcua.core.text import clean_free_text
from motcua.core.validators import normalise_citizen_id, normalise_phone, validate_citizen_id, validate_phone
from motcua.organizations.models import User, UserKind

log = logging.getLogger(__name__)
# Seconds of clock difference allowed between VNeID and this server when reading exp and iat.
LEEWAY_SECONDS = 60
# A token answer whose HTTP status says "try again" is the provider's trouble, not a refused code (RFC 9110).
RETRY_STATUSES = frozenset({408, 429})


class VneidError(DomainError):
    """VNeID sign-in did not complete; `message` tells the person what to do."""

    code = "vneid_failed"


class VneidCancelledError(VneidError):
    code = "vneid_cancelled"


class VneidStateError(VneidError):
    code = "vneid_state_invalid"


class VneidCodeError(VneidError):
    code = "vneid_code_invalid"


class VneidTokenError(VneidError):
    code = "vneid_token_invalid"


class VneidClaimsError(VneidError):
    code = "vneid_claims_invalid"


class VneidUnavailableError(VneidError):
    code = "vneid_unavailable"
    status = 503


@dataclass(frozen=True)
class Identity:
    """Who VNeID says signed in: the personal identification number, and what fills a new account."""

    citizen_id: str
    subject: str
    full_name: str = ""
    phone: str = ""
    email: str = ""


class VneidBackend(OIDCAuthenticationBackend):  # type: ignore[misc]  # the library ships no type hints
    """Exchange a callback's code for an Identity; keep open only sessions of linked, active citizens."""

    def authenticate(self, request: HttpRequest | None, **credentials: Any) -> None:
        """Open nothing through django.contrib.auth.authenticate: only the VNeID callback signs in with it."""
        return None

    def get_user(self, user_id: int) -> User | None:
        """Return the session's account while it is an active citizen's linked to VNeID; an official never is."""
        return User.objects.filter(
            pk=user_id, kind=UserKind.CITIZEN, is_active=True, vneid_verified_at__isnull=False
        ).first()

    def identify(self, request: HttpRequest, *, code: str, nonce: str | None, code_verifier: str | None) -> Identity:
        """Trade the code for tokens, check the ID token, read the claims; raise VneidError if any step fails."""
        self.request = request
        payload = {
            "client_id": self.OIDC_RP_CLIENT_ID,
            "client_secret": self.OIDC_RP_CLIENT_SECRET,
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": absolutify(request, reverse(settings.OIDC_AUTHENTICATION_CALLBACK_URL)),
            "code_verifier": code_verifier,
        }
        tokens = _answer(self.get_token, payload, refused=_code_refused)
        id_token, access_token = tokens.get("id_token"), tokens.get("access_token")
        if not isinstance(id_token, str) or not isinstance(access_token, str):
            raise VneidTokenError(_TOKEN_MESSAGE)
        try:
            claims = _answer(self.verify_token, id_token, nonce=nonce)
        except SuspiciousOperation as error:
            log.warning("vneid: ID token refused: %s", error)
            raise VneidTokenError(_TOKEN_MESSAGE) from error
        userinfo = _answer(self.get_userinfo, access_token, id_token, claims)
        # The userinfo answer must be about the person the ID token names (OpenID Connect Core 1.0 §5.3.2).
        if not isinstance(userinfo, dict) or userinfo.get("sub") != claims.get("sub"):
            log.warning("vneid: userinfo names another subject than the ID token")
            raise VneidTokenError(_TOKEN_MESSAGE)
        return identity_from(claims | userinfo)

    def verify_token(self, token: str, **kwargs: Any) -> dict[str, Any]:
        """Check the ID token as the library does, and turn any malformed part into SuspiciousOperation."""
        try:
            claims: dict[str, Any] = super().verify_token(token, **kwargs)
        except (jwt.PyJWTError, KeyError, TypeError, ValueError) as error:  # no kid, no alg, not a JWT at all
            raise SuspiciousOperation(f"malformed ID token: {error!r}") from error
        return claims

    def _verify_jws(self, payload: str, key: Any) -> dict[str, Any]:
        """Check the signature with the JWKS key, and the issuer, the audience and the lifetime the library skips."""
        alg = jwt.get_unverified_header(payload).get("alg")
        if alg != self.OIDC_RP_SIGN_ALGO:  # never "none", never HS256 keyed with the public key
            raise SuspiciousOperation(f"ID token signed with {alg!r}, expected {self.OIDC_RP_SIGN_ALGO}")
        try:
            claims: dict[str, Any] = jwt.decode(
                payload,
                key,
                algorithms=[self.OIDC_RP_SIGN_ALGO],
                audience=self.OIDC_RP_CLIENT_ID,
                issuer=settings.MOTCUA_VNEID_ISSUER,
                leeway=LEEWAY_SECONDS,
                options={"require": ["iss", "sub", "aud", "exp", "iat"]},
            )
        except jwt.InvalidTokenError as error:
            raise SuspiciousOperation(f"ID token refused: {error}") from error
        audiences = claims["aud"] if isinstance(claims["aud"], list) else [claims["aud"]]
        if len(audiences) > 1 and claims.get("azp") != self.OIDC_RP_CLIENT_ID:
            raise SuspiciousOperation("ID token for several audiences without this client as its azp")
        return claims


_TOKEN_MESSAGE = "Không xác minh được thông tin đăng nhập do VNeID gửi về. Hãy đăng nhập lại bằng VNeID."


def _code_refused(status: int) -> VneidError:
    if 400 <= status < 500 and status not in RETRY_STATUSES:
        # invalid_grant above all: the code expired (it lives for minutes) or was already used (RFC 6749 §5.2).
        return VneidCodeError("Phiên đăng nhập VNeID đã hết hạn hoặc đã được dùng. Hãy đăng nhập lại bằng VNeID.")
    return _unavailable()


def _unavailable() -> VneidError:
    return VneidUnavailableError(
        "Hệ thống định danh điện tử VNeID đang không phản hồi. Hãy thử lại sau ít phút hoặc đăng nhập bằng mật khẩu."
    )


def _answer(call: Any, *args: Any, refused: Any = None, **kwargs: Any) -> Any:
    """Call the provider through the library; its HTTP and network failures become VneidError."""
    try:
        return call(*args, **kwargs)
    except requests.HTTPError as error:
        status = error.response.status_code if error.response is not None else 0
        log.warning("vneid: provider answered %s: %s", status, error)
        raise (refused(status) if refused else _unavailable()) from error
    except (requests.RequestException, ValueError) as error:  # unreachable, timed out, or not JSON
        log.warning("vneid: provider unreachable: %r", error)
        raise _unavailable() from error


def identity_from(claims: dict[str, Any]) -> Identity:
    """Read the person from the claims, by the configured claim names; refuse claims without a valid 12-digit ID."""
    names = settings.MOTCUA_VNEID_CLAIMS
    citizen_id = normalise_citizen_id(str(claims.get(names["citizen_id"]) or ""))
    try:
        validate_citizen_id(citizen_id)
    except ValidationError as error:
        log.warning("vneid: claim %r is not a personal identification number", names["citizen_id"])
        raise VneidClaimsError(
            "VNeID không gửi số định danh cá nhân hợp lệ (12 chữ số) nên chưa thể đăng nhập. "
            "Hãy đăng nhập bằng mật khẩu hoặc liên hệ Bộ phận Một cửa."
        ) from error
    return Identity(
        citizen_id=citizen_id,
        subject=str(claims.get("sub") or "")[:255],
        full_name=_optional(claims.get(names["full_name"]), clean_free_text)[:150],
        phone=_optional(normalise_phone(str(claims.get(names["phone"]) or "")), validate_phone),
        email=_optional(claims.get(names["email"]), validate_email)[:254],
    )


def _optional(value: Any, check: Any) -> str:
    """Keep a claim that only fills an account when it passes its check; otherwise leave the field empty."""
    text = str(value or "").strip()
    try:
        result = check(text) if text else None
    except ValidationError:
        return ""
    return result if isinstance(result, str) else text
