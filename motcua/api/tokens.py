"""API tokens: 64 random hex characters shown once, of which the database keeps only the SHA-512 digest (knox).

A token ends MOTCUA_TOKEN_HOURS after it was issued, on POST /api/v1/auth/logout, and when the account's password
changes. Kept apart from the views: DRF imports the authentication class while it is itself being imported.
"""

from datetime import timedelta

from django.conf import settings
from django.utils.crypto import constant_time_compare
from knox.auth import TokenAuthentication
from knox.crypto import hash_token
from knox.models import AuthToken, get_digest_token
from knox.settings import CONSTANTS
from rest_framework.exceptions import AuthenticationFailed, PermissionDenied
from rest_framework.permissions import SAFE_METHODS
from rest_framework.request import Request

from motcua.core import clock
from motcua.organizations.models import User
from motcua.organizations.selectors import is_national_channel

from .models import TokenBinding


def issue_token(user: User, lifetime: timedelta | None = None) -> tuple[AuthToken, str]:
    """Create a token for this person; return it with its secret, which is not kept anywhere."""
    digest, secret = get_digest_token()
    token = AuthToken(
        digest=digest,
        token_key=secret[: CONSTANTS.TOKEN_KEY_LENGTH],
        user=user,
        expiry=clock.now() + (lifetime or timedelta(hours=settings.MOTCUA_TOKEN_HOURS)),
    )
    token.save(force_insert=True)
    TokenBinding.objects.create(token=token, password_fingerprint=user.get_session_auth_hash())
    return token, secret


class ExpiringTokenAuthentication(TokenAuthentication):  # type: ignore[misc]  # knox ships no type hints
    """`Authorization: Token <secret>`: a token not expired, of an active account whose password is unchanged."""

    def authenticate(self, request: Request) -> tuple[User, AuthToken] | None:
        found: tuple[User, AuthToken] | None = super().authenticate(request)
        if found is not None and request.method not in SAFE_METHODS:
            # The national portal's account hands dossiers over and writes nothing else; refused here, once for
            # every operation, rather than in each view.
            view = (request.parser_context or {}).get("view")
            if not getattr(view, "open_to_national_channel", False) and is_national_channel(found[0]):
                raise PermissionDenied()
        return found

    def authenticate_credentials(self, key: bytes) -> tuple[User, AuthToken]:
        try:
            secret = key.decode("ascii")
        except UnicodeDecodeError:
            raise AuthenticationFailed() from None
        token = AuthToken.objects.select_related("user", "binding").filter(digest=hash_token(secret)).first()
        # A token without a binding was not issued here (knox's own views are not routed): it is not accepted.
        if token is None or not token.user.is_active or not hasattr(token, "binding"):
            raise AuthenticationFailed()
        if token.expiry is None or token.expiry <= clock.now():
            token.delete()
            raise AuthenticationFailed(
                "Token đã hết hạn; hãy lấy token mới (POST /api/v1/auth/token).", "token_expired"
            )
        if not constant_time_compare(token.binding.password_fingerprint, token.user.get_session_auth_hash()):
            token.delete()
            raise AuthenticationFailed(
                "Mật khẩu của tài khoản đã đổi sau khi cấp token này; hãy lấy token mới.", "token_revoked"
            )
        return token.user, token


def purge_expired_tokens() -> int:
    """Delete the tokens past their expiry; return how many."""
    deleted = AuthToken.objects.filter(expiry__lte=clock.now()).delete()[1].get("knox.AuthToken", 0)
    return int(deleted)
