"""Production settings: base plus hardening, asserted so that a misconfigured server refuses to start."""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import DATABASES, INSECURE_SECRET_KEY, MOTCUA_VNEID_ISSUER, OIDC_RP_CLIENT_SECRET, SECRET_KEY, env_bool

DEBUG = False
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = 31_536_000
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

if SECRET_KEY == INSECURE_SECRET_KEY or len(SECRET_KEY) < 50:
    raise ImproperlyConfigured("SECRET_KEY phải được đặt (ít nhất 50 ký tự) khi chạy production.")
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3" and not env_bool("ALLOW_SQLITE", False):
    raise ImproperlyConfigured("Production cần PostgreSQL (DATABASE_URL=postgres://...); đặt ALLOW_SQLITE=1 nếu cố ý.")
# VNeID sign-in trusts whoever answers at its issuer: off unless turned on, and then never the local simulator.
MOTCUA_VNEID_ENABLED = env_bool("MOTCUA_VNEID_ENABLED", False)
if MOTCUA_VNEID_ENABLED and (
    not MOTCUA_VNEID_ISSUER.startswith("https://") or OIDC_RP_CLIENT_SECRET == "motcua-demo-secret"
):
    raise ImproperlyConfigured(
        "VNeID: đặt MOTCUA_VNEID_ISSUER (https://...) và MOTCUA_VNEID_CLIENT_SECRET theo thỏa thuận kết nối."
    )
