"""Settings for every environment, read from the process environment (see README, "Configuration")."""

import json
import os
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(os.environ.get("MOTCUA_DATA_DIR", BASE_DIR.parent / "var"))


def env_bool(name: str, default: bool) -> bool:
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)
# The fallback key only serves local runs; production.py refuses to start with it.
INSECURE_SECRET_KEY = "insecure-local-only-motcua-key-change-me-0123456789abcdefghijklmnop"
SECRET_KEY = os.environ.get("SECRET_KEY", INSECURE_SECRET_KEY)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "motcua.audit.adminconfig.AuditedAdminConfig",  # django.contrib.admin, its edits audited
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "knox",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "simple_history",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_tasks",
    "django_tasks_db",
    "motcua.core",
    "motcua.audit",
    "motcua.notifications",
    "motcua.organizations",
    "motcua.worktime",
    "motcua.catalogue",
    "motcua.eforms",
    "motcua.outbox",
    "motcua.dossiers",
    "motcua.signing",
    "motcua.documents",
    "motcua.feedback",
    "motcua.indices",
    "motcua.integrations",
    "motcua.reform",
    "motcua.par",
    "motcua.eoffice",
    "motcua.assessments",
    "motcua.api",
    "motcua.portal",
    "motcua.office",
    "motcua.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Content-Security-Policy and Permissions-Policy on every answer, error pages included.
    "csp.middleware.CSPMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "motcua.core.hostile.HostileInputMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "motcua.core.middleware.VietnameseFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "motcua.organizations.second_factor.SecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "motcua.core.session_limits.SessionLimitsMiddleware",  # after messages and htmx: it uses both
    "simple_history.middleware.HistoryRequestMiddleware",
    "motcua.audit.middleware.PersonalDataAuditMiddleware",
    # Last, as django-axes asks: it turns a locked-out sign-in into the lockout answer.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "motcua.urls"
WSGI_APPLICATION = "motcua.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "motcua.portal.context_processors.province",
            ],
        },
    },
]

# SQLite is the embedded default; PostgreSQL >= 15 in production (DATABASE_URL=postgres://...).
DATABASE_URL = os.environ.get("DATABASE_URL", f"sqlite:///{DATA_DIR / 'motcua.sqlite3'}")
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")))}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Parameters bound by the server let psycopg prepare a statement run five times on a connection: PostgreSQL then
    # skips planning, which cost more than executing the busy reads (0.7 ms against 0.1 ms for public tracking).
    # Behind a pooler in transaction mode that cannot keep prepared statements, set DATABASE_PREPARE=0.
    DATABASES["default"]["OPTIONS"] = {"server_side_binding": True}
    if env_bool("DATABASE_PREPARE", True):
        DATABASES["default"]["OPTIONS"]["prepare_threshold"] = 5
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "organizations.User"
AUTHENTICATION_BACKENDS = [
    "motcua.organizations.signin.SignInLimitBackend",
    "motcua.organizations.auth.PhoneEmailOrUsernameBackend",
    # Opens only sessions started by the VNeID callback (motcua/portal/vneid.py); a password never reaches it.
    "motcua.integrations.vneid.client.VneidBackend",
]
# Brute-force limit (django-axes, ASVS 2.2.1): this many wrong passwords or second-factor codes lock the account, and
# separately the client address, for the cool-off; every failure is logged with account, address and time (7.2.1).
MOTCUA_LOGIN_FAILURES = int(os.environ.get("MOTCUA_LOGIN_FAILURES", "5"))
MOTCUA_LOGIN_COOLOFF_MINUTES = int(os.environ.get("MOTCUA_LOGIN_COOLOFF_MINUTES", "15"))
AXES_FAILURE_LIMIT = MOTCUA_LOGIN_FAILURES
AXES_COOLOFF_TIME = "motcua.organizations.signin.cool_off"
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
AXES_CLIENT_IP_CALLABLE = "motcua.core.clientip.client_ip"
AXES_USERNAME_CALLABLE = "motcua.organizations.signin.account_of_login"
AXES_LOCKOUT_CALLABLE = "motcua.organizations.signin.lockout_response"
AXES_ENABLE_ACCESS_FAILURE_LOG = True
AXES_VERBOSE = False  # no start-up banner in every command's output
AXES_HTTP_RESPONSE_CODE = 429
# The log names the account and the address (who, from where); passwords are always masked by axes.
AXES_SENSITIVE_PARAMETERS: list[str] = []
# Officials sign in with a second factor (TOTP, django-otp) after the password; citizens may turn it on [R].
MOTCUA_STAFF_OTP_REQUIRED = env_bool("MOTCUA_STAFF_OTP_REQUIRED", True)
# Registrations one client address may send per hour; each sends an SMS or e-mail, so the limit also caps that cost.
MOTCUA_REGISTRATIONS_PER_HOUR = int(os.environ.get("MOTCUA_REGISTRATIONS_PER_HOUR", "10"))
OTP_TOTP_ISSUER = os.environ.get("MOTCUA_OTP_ISSUER", "Một cửa")
AUTH_PASSWORD_VALIDATORS = [
    {
        # Django's similarity check, plus: no citizen ID or phone number anywhere inside the password.
        "NAME": "motcua.organizations.passwords.PersonalDetailsValidator",
        # Django's defaults miss what a citizen's account holds: the full name, phone and citizen ID. The first match
        # names the field in the message, so a citizen's sign-in name (their phone or email) is named as such.
        "OPTIONS": {"user_attributes": ("full_name", "phone", "email", "citizen_id", "username")},
    },
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# A reset link read from a mailbox works for an hour rather than Django's three days.
PASSWORD_RESET_TIMEOUT = 60 * 60
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "after-login"
LOGOUT_REDIRECT_URL = "portal:home"

# API tokens (django-rest-knox, only a digest stored) end after a fixed lifetime, on sign-out (/api/v1/auth/logout)
# and when the password changes; 12 hours cover one working day of up to 10 hours [R].
MOTCUA_TOKEN_HOURS = float(os.environ.get("MOTCUA_TOKEN_HOURS", "12"))
# Signed-in pages (ASVS 3.3.1-3.3.2): a staff session ends after this long without a request and, however busy, this
# long after sign-in; a citizen's lasts this many days. Then the person signs in again [R].
MOTCUA_STAFF_IDLE_MINUTES = float(os.environ.get("MOTCUA_STAFF_IDLE_MINUTES", "30"))
MOTCUA_STAFF_SESSION_HOURS = float(os.environ.get("MOTCUA_STAFF_SESSION_HOURS", "10"))
MOTCUA_CITIZEN_SESSION_DAYS = float(os.environ.get("MOTCUA_CITIZEN_SESSION_DAYS", "14"))
SESSION_COOKIE_AGE = int(MOTCUA_CITIZEN_SESSION_DAYS * 24 * 60 * 60)
# Stored Idempotency-Key answers hold the dossier (names, ID numbers): `motcua purge_expired` erases them after this
# many hours, and forgets the bare key after MOTCUA_IDEMPOTENCY_KEY_DAYS; until then a replay is refused [R].
MOTCUA_IDEMPOTENCY_HOURS = float(os.environ.get("MOTCUA_IDEMPOTENCY_HOURS", "24"))
MOTCUA_IDEMPOTENCY_KEY_DAYS = float(os.environ.get("MOTCUA_IDEMPOTENCY_KEY_DAYS", "30"))

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["motcua.formats"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", DATA_DIR / "static"))
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", DATA_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "motcua <no-reply@localhost>")

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# Every limit, lockout and try counter lives in the default cache, so it must be one store for all server processes
# that outlives a restart: Redis when REDIS_URL is set (several servers), else a table in the database, created by
# migrate (a single small server; expired rows are purged once it holds MAX_ENTRIES).
REDIS_URL = os.environ.get("REDIS_URL", "")
CACHES: dict[str, dict[str, object]]
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "motcua.core.cache.CountingRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "motcua",
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "motcua.core.cache.AtomicDatabaseCache",
            "LOCATION": "motcua_cache",
            "OPTIONS": {"MAX_ENTRIES": int(os.environ.get("MOTCUA_DATABASE_CACHE_ENTRIES", "100000"))},
        }
    }
# The proxies of ours in front of the application (nginx alone: 1). X-Forwarded-For is believed only as far as they
# wrote it; with 0 it is ignored and the connection's address counts (motcua.core.clientip, used by every limit).
MOTCUA_TRUSTED_PROXIES = int(os.environ.get("MOTCUA_TRUSTED_PROXIES", "0"))
# ... and the addresses (or networks) they connect from: a connection from anywhere else has its header ignored.
MOTCUA_TRUSTED_PROXY_ADDRESSES = os.environ.get("MOTCUA_TRUSTED_PROXY_ADDRESSES", "127.0.0.1,::1")

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "motcua.api.tokens.ExpiringTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticatedOrReadOnly"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PAGINATION_CLASS": "motcua.api.pagination.PageNumberPagination",
    "DEFAULT_SCHEMA_CLASS": "motcua.api.schema.ProblemAutoSchema",
    "EXCEPTION_HANDLER": "motcua.api.problems.problem_exception_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    # Our throttles read the address through motcua.core.clientip; DRF's own ones, if any, believe the same proxies.
    "NUM_PROXIES": MOTCUA_TRUSTED_PROXIES,
    # Public tracking answers to a code and a secret: slow down anyone trying codes one after another.
    "DEFAULT_THROTTLE_RATES": {
        "tracking": os.environ.get("MOTCUA_TRACKING_RATE", "60/min"),
        "verify": os.environ.get("MOTCUA_VERIFY_RATE", "60/min"),
    },
}
SPECTACULAR_SETTINGS = {
    "TITLE": "motcua API",
    "DESCRIPTION": "API v1 của hệ thống một cửa: đơn vị, thủ tục, hồ sơ, tra cứu. Lỗi theo RFC 9457 (problem+json).",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "MeetingKindEnum": "motcua.reform.meetings.lifecycle.KIND_CHOICES",
        "ApplicantKindEnum": "motcua.dossiers.models.ApplicantKind",
        "DossierStatusEnum": "motcua.dossiers.models.STATUS_CHOICES",
        "DossierChannelEnum": "motcua.catalogue.models.Channel",
        "RatingEnum": "motcua.dossiers.models.RATING_CHOICES",
        "UserKindEnum": "motcua.organizations.models.UserKind",
        "CalendarDayKindEnum": "motcua.worktime.models.DayKind",
        "RefusalKindEnum": "motcua.dossiers.intake.REFUSAL_KIND_CHOICES",
        "FeedbackStatusEnum": "motcua.feedback.lifecycle.STATUS_CHOICES",
        "FeedbackTopicEnum": "motcua.feedback.lifecycle.TOPIC_CHOICES",
        "FeedbackRatingEnum": "motcua.feedback.lifecycle.RATING_CHOICES",
        "TaskStatusEnum": "motcua.reform.tasks.lifecycle.STATUS_CHOICES",
        # CCHC inspections
        "InspectionStatusEnum": "motcua.reform.inspections.lifecycle.STATUS_CHOICES",
        "InspectionKindEnum": "motcua.reform.inspections.lifecycle.KIND_CHOICES",
        "FindingKindEnum": "motcua.reform.inspections.lifecycle.FINDING_KIND_CHOICES",
        "ParAssessmentStatusEnum": "motcua.par.lifecycle.STATUS_CHOICES",
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"client_ip": {"()": "motcua.core.clientip.ClientIpLogFilter"}},
    "formatters": {"client": {"format": "%(levelname)s %(name)s [%(client_ip)s] %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["client_ip"], "formatter": "client"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}

# "Sắp đến hạn": a deadline within this much working time is flagged near-due (one working day by default) [R].
MOTCUA_NEAR_DUE_WORKING_MINUTES = int(os.environ.get("MOTCUA_NEAR_DUE_WORKING_MINUTES", "480"))

# ND 30/2020 art. 13: a deputy (phó) acts for the head only in the fields assigned to them, so by default a deputy
# does not do a step the internal process gives to the head (e.g. the chairman's signature). A province whose approved
# processes let every deputy do it turns this on [R].
MOTCUA_DEPUTY_MAY_ACT_FOR_HEAD = env_bool("MOTCUA_DEPUTY_MAY_ACT_FOR_HEAD", False)
# Form 04: the longest extension an apology may ask for, in working days after the current appointment; empty for no
# maximum. No text fixing one has been seen (DOMAIN-2.md §2.1 lists an "extension limit" among the form's data) [R].
_max_extension = os.environ.get("MOTCUA_MAX_EXTENSION_WORKING_DAYS", "").strip()
MOTCUA_MAX_EXTENSION_WORKING_DAYS = int(_max_extension) if _max_extension else None

# ND 63/2010 art. 20(4): a citizen should not have to come back to supplement more than twice [R].
MOTCUA_MAX_SUPPLEMENT_ROUNDS = int(os.environ.get("MOTCUA_MAX_SUPPLEMENT_ROUNDS", "2"))
# Circular 03/2025 may re-specify the dossier code: the generator is a dotted path to a callable.
MOTCUA_DOSSIER_CODE_GENERATOR = os.environ.get(
    "MOTCUA_DOSSIER_CODE_GENERATOR", "motcua.dossiers.codes.agency_date_sequence"
)

# E-mail attachments are rendered at sending time by these callables (kind → dotted path).
MOTCUA_ATTACHMENT_RENDERERS = {"dossier-form": "motcua.documents.forms.form_of"}
# Public address printed in QR codes and e-mails (tracking links).
MOTCUA_PUBLIC_BASE_URL = os.environ.get("MOTCUA_PUBLIC_BASE_URL", "http://127.0.0.1:8000").rstrip("/")

# Tracking lookups one address may make per minute on the public page.
MOTCUA_TRACKING_PAGE_PER_MINUTE = int(os.environ.get("MOTCUA_TRACKING_PAGE_PER_MINUTE", "30"))
# Wrong phone-digit tries a dossier code takes in a day before it stops answering to phone digits: 10,000 endings
# cannot then be tried through many addresses (the receipt's QR secret still works).
MOTCUA_TRACKING_PHONE_TRIES = int(os.environ.get("MOTCUA_TRACKING_PHONE_TRIES", "10"))

# Scans uploaded by citizens: size limit, and a dotted path to a callable(bytes) that raises on infected files.
MOTCUA_MAX_UPLOAD_BYTES = int(os.environ.get("MOTCUA_MAX_UPLOAD_BYTES", str(10 * 1024 * 1024)))
MOTCUA_VIRUS_SCANNER = os.environ.get("MOTCUA_VIRUS_SCANNER", "motcua.dossiers.drafts.no_scan")
# A scanned image larger than this many pixels is refused before it is decoded (an A4 page at 600 dpi has 35 million).
MOTCUA_MAX_SCAN_PIXELS = int(os.environ.get("MOTCUA_MAX_SCAN_PIXELS", str(50_000_000)))

# Pages run only the project's own scripts and styles, from its own address: no inline script, handler or style
# attribute (OWASP ASVS 14.4.3). htmx's own indicator style is switched off in base.html and lives in site.css.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
# No page uses the camera, the microphone or the location; a photo of a paper is taken through the file input.
PERMISSIONS_POLICY: dict[str, list[str]] = {
    feature: []
    for feature in (
        "accelerometer", "autoplay", "camera", "display-capture", "geolocation", "gyroscope", "magnetometer",
        "microphone", "midi", "payment", "publickey-credentials-get", "screen-wake-lock", "usb", "xr-spatial-tracking",
    )
}  # fmt: skip
DATA_UPLOAD_MAX_MEMORY_SIZE = MOTCUA_MAX_UPLOAD_BYTES + 1024 * 1024

# The province this installation serves (code from QĐ 19/2025/QĐ-TTg); the demo is Đồng Tháp.
MOTCUA_PROVINCE_CODE = os.environ.get("MOTCUA_PROVINCE_CODE", "82")

# Digital signatures (issue 7). The default provider reads one PKCS#12 file per official from the key directory; the
# demo fills it with certificates from a local TEST CA that nothing outside this installation trusts.
MOTCUA_SIGNATURE_PROVIDER = os.environ.get("MOTCUA_SIGNATURE_PROVIDER", "motcua.signing.providers.Pkcs12FileProvider")
MOTCUA_SIGNING_KEY_DIR = Path(os.environ.get("MOTCUA_SIGNING_KEY_DIR", DATA_DIR / "signing-keys"))
MOTCUA_SIGNING_P12_PASSPHRASE = os.environ.get("MOTCUA_SIGNING_P12_PASSPHRASE", "motcua-demo")
# PEM or DER files of the certification authorities whose signatures count as valid on the verification page.
MOTCUA_SIGNING_TRUST_ROOTS = env_list("MOTCUA_SIGNING_TRUST_ROOTS", str(MOTCUA_SIGNING_KEY_DIR / "test-ca.pem"))
# An RFC 3161 time-stamping authority; empty: signatures carry the signing time reported by the signer only.
MOTCUA_SIGNING_TSA_URL = os.environ.get("MOTCUA_SIGNING_TSA_URL", "")
# A TrueType font with Vietnamese glyphs for the visible stamp.
MOTCUA_SIGNING_FONT = os.environ.get("MOTCUA_SIGNING_FONT", "/usr/share/fonts/truetype/noto/NotoSerif-Regular.ttf")
MOTCUA_PKCS11_LIBRARY = os.environ.get("MOTCUA_PKCS11_LIBRARY", "")
MOTCUA_PKCS11_TOKEN_LABEL = os.environ.get("MOTCUA_PKCS11_TOKEN_LABEL", "")
MOTCUA_PKCS11_PIN = os.environ.get("MOTCUA_PKCS11_PIN", "")
MOTCUA_REMOTE_SIGNING_CLIENT = os.environ.get("MOTCUA_REMOTE_SIGNING_CLIENT", "")

# Outbox to other systems (issue 20): the national portal (DVCQG) and webhook subscribers. DVCQG's endpoints,
# authentication and date format are not in our sources [R]: the defaults reach the local simulator
# (`motcua simulate dvcqg`), and a province sets its own. MOTCUA_DVCQG_SYNC=0 writes no national messages.
MOTCUA_DVCQG_SYNC = env_bool("MOTCUA_DVCQG_SYNC", True)
MOTCUA_DVCQG_URL = os.environ.get("MOTCUA_DVCQG_URL", "http://127.0.0.1:8101").rstrip("/")
MOTCUA_DVCQG_TOKEN = os.environ.get("MOTCUA_DVCQG_TOKEN", "motcua-demo-dvcqg")
MOTCUA_DVCQG_PATHS = {
    "dossier": os.environ.get("MOTCUA_DVCQG_DOSSIER_PATH", "/api/dong-bo/ho-so"),
    "feedback": os.environ.get("MOTCUA_DVCQG_FEEDBACK_PATH", "/api/dong-bo/phan-anh"),
}
# Told of the national portal's acknowledgements, by kind of message: the subject's code and the instant.
MOTCUA_OUTBOX_ACKNOWLEDGED = {"dossier": "motcua.dossiers.national.acknowledged"}
MOTCUA_OUTBOX_BACKOFF_BASE_SECONDS = float(os.environ.get("MOTCUA_OUTBOX_BACKOFF_BASE_SECONDS", "2"))
MOTCUA_OUTBOX_BACKOFF_CAP_SECONDS = float(os.environ.get("MOTCUA_OUTBOX_BACKOFF_CAP_SECONDS", "60"))
MOTCUA_OUTBOX_DEAD_AFTER_HOURS = float(os.environ.get("MOTCUA_OUTBOX_DEAD_AFTER_HOURS", "24"))
MOTCUA_OUTBOX_LEASE_SECONDS = float(os.environ.get("MOTCUA_OUTBOX_LEASE_SECONDS", "60"))
MOTCUA_OUTBOX_TIMEOUT_SECONDS = float(os.environ.get("MOTCUA_OUTBOX_TIMEOUT_SECONDS", "10"))
MOTCUA_OUTBOX_BATCH = int(os.environ.get("MOTCUA_OUTBOX_BATCH", "256"))
MOTCUA_OUTBOX_THREADS = int(os.environ.get("MOTCUA_OUTBOX_THREADS", "8"))
MOTCUA_OUTBOX_POLL_SECONDS = float(os.environ.get("MOTCUA_OUTBOX_POLL_SECONDS", "0.2"))
# Webhook receivers must use HTTPS, except these hosts (a receiver on the same machine, as in the demo and tests).
MOTCUA_WEBHOOK_PLAIN_HTTP_HOSTS = env_list("MOTCUA_WEBHOOK_PLAIN_HTTP_HOSTS", "")
# Dossiers handed over by the national portal (DVCQG, issue 20; docs/integrations.md "Nhận hồ sơ từ Cổng DVCQG").
# [R] Not in our sources, to confirm with the national integration texts: where the portal serves the files, the
# date format, and the unit that receives a dossier whose NoiNopHoSo is empty.
# Hosts ("host" or "host:port") the files may be fetched from, and the schemes: nothing else is asked (SSRF).
MOTCUA_DVCQG_FILE_HOSTS = env_list("MOTCUA_DVCQG_FILE_HOSTS", "")
MOTCUA_DVCQG_FILE_SCHEMES = env_list("MOTCUA_DVCQG_FILE_SCHEMES", "https")
# Seconds to wait for one file (connecting, then reading it all); files are as large as online uploads at most.
MOTCUA_DVCQG_FILE_TIMEOUT = float(os.environ.get("MOTCUA_DVCQG_FILE_TIMEOUT", "15"))
MOTCUA_DVCQG_MAX_FILES = int(os.environ.get("MOTCUA_DVCQG_MAX_FILES", "30"))
# strptime formats of NgayNopHoSo, tried in order; "iso" is ISO 8601. A time without a zone is Vietnam's.
MOTCUA_DVCQG_DATE_FORMATS = env_list("MOTCUA_DVCQG_DATE_FORMATS", "%Y%m%d%H%M%S,%d/%m/%Y %H:%M:%S,iso")
# Unit code (or agency identifier) receiving the dossiers that do not say where they were filed.
MOTCUA_DVCQG_RECEIVING_UNIT = os.environ.get("MOTCUA_DVCQG_RECEIVING_UNIT", "")
# Online fee payment (issue 20 (c), docs/integrations.md "Thanh toán trực tuyến"). The national payment platform's
# message fields, signature algorithm and reconciliation file are not in our sources [R]: every one of them is set
# here. Defaults: HMAC-SHA256 over the signed fields' values joined by "|", with a shared secret.
MOTCUA_PAYMENT_URL = os.environ.get("MOTCUA_PAYMENT_URL", "http://127.0.0.1:8103").rstrip("/")  # [R] the platform
MOTCUA_PAYMENT_MERCHANT = os.environ.get("MOTCUA_PAYMENT_MERCHANT", "MOTCUA-DEMO")  # [R] our merchant code there
MOTCUA_PAYMENT_SECRET = os.environ.get("MOTCUA_PAYMENT_SECRET", "motcua-demo-payment-secret")  # [R] shared secret
MOTCUA_PAYMENT_ALGORITHM = os.environ.get("MOTCUA_PAYMENT_ALGORITHM", "sha256")  # [R] HMAC digest: sha256, sha512
# [R] Wire names of the fields (ours → theirs), as JSON, e.g. {"reference": "MaDonHang", "amount": "SoTien"}.
MOTCUA_PAYMENT_FIELD_NAMES = json.loads(os.environ.get("MOTCUA_PAYMENT_FIELD_NAMES", "{}"))
# [R] Fields signed, in order, for an order we send and for a callback we receive (our names).
MOTCUA_PAYMENT_ORDER_SIGNED = env_list("MOTCUA_PAYMENT_ORDER_SIGNED", "merchant,reference,amount,dossier,created_at")
MOTCUA_PAYMENT_CALLBACK_SIGNED = env_list(
    "MOTCUA_PAYMENT_CALLBACK_SIGNED", "merchant,reference,transaction_id,amount,status,paid_at"
)
MOTCUA_PAYMENT_RECONCILIATION_FORMAT = os.environ.get("MOTCUA_PAYMENT_RECONCILIATION_FORMAT", "csv")  # [R] csv, json
# 1: DVCQG's payment platform; 2: a ministry's or the province's own gateway (DuocThanhToanTrucTuyen).
MOTCUA_PAYMENT_CHANNEL = int(os.environ.get("MOTCUA_PAYMENT_CHANNEL", "1"))
MOTCUA_PAYMENT_TIMEOUT = float(os.environ.get("MOTCUA_PAYMENT_TIMEOUT", "10"))  # seconds we wait for the platform
# When an online filing pays its fee: "before" (at submission, the portal's payment step) or "after" (with the
# result). The catalogue record does not say it per procedure [R].
MOTCUA_ONLINE_FEE_COLLECTION = os.environ.get("MOTCUA_ONLINE_FEE_COLLECTION", "before")
# The portal's «Thanh toán» form is answered by a redirect to the platform's page: the policy lets forms go there.
CONTENT_SECURITY_POLICY["DIRECTIVES"]["form-action"].append(MOTCUA_PAYMENT_URL)
# VNeID sign-in (issue 20 b): motcua is an OpenID Connect relying party of VNeID through mozilla-django-oidc (the
# authorization code flow with PKCE S256, state and nonce; RS256 ID tokens checked against the provider's JWKS, and
# their issuer, audience and lifetime). VNeID's issuer, endpoints, client registration, scopes and claim names are not
# in our sources [R]: the defaults point at the local simulator (`motcua simulate vneid`); set them from the
# integration agreement. docs/integrations.md ("VNeID") lists what is confirmed and what is not.
MOTCUA_VNEID_ENABLED = env_bool("MOTCUA_VNEID_ENABLED", True)
MOTCUA_VNEID_ISSUER = os.environ.get("MOTCUA_VNEID_ISSUER", "http://127.0.0.1:8102").rstrip("/")
OIDC_OP_AUTHORIZATION_ENDPOINT = os.environ.get("MOTCUA_VNEID_AUTHORIZE_URL", f"{MOTCUA_VNEID_ISSUER}/authorize")
OIDC_OP_TOKEN_ENDPOINT = os.environ.get("MOTCUA_VNEID_TOKEN_URL", f"{MOTCUA_VNEID_ISSUER}/token")
OIDC_OP_USER_ENDPOINT = os.environ.get("MOTCUA_VNEID_USERINFO_URL", f"{MOTCUA_VNEID_ISSUER}/userinfo")
OIDC_OP_JWKS_ENDPOINT = os.environ.get("MOTCUA_VNEID_JWKS_URL", f"{MOTCUA_VNEID_ISSUER}/jwks")
OIDC_RP_CLIENT_ID = os.environ.get("MOTCUA_VNEID_CLIENT_ID", "motcua-demo")
OIDC_RP_CLIENT_SECRET = os.environ.get("MOTCUA_VNEID_CLIENT_SECRET", "motcua-demo-secret")
OIDC_RP_SCOPES = os.environ.get("MOTCUA_VNEID_SCOPES", "openid profile")
OIDC_RP_SIGN_ALGO = "RS256"
OIDC_USE_NONCE = True
OIDC_USE_PKCE = True
OIDC_PKCE_CODE_CHALLENGE_METHOD = "S256"
OIDC_AUTHENTICATION_CALLBACK_URL = "portal:vneid-callback"
OIDC_TIMEOUT = float(os.environ.get("MOTCUA_VNEID_TIMEOUT_SECONDS", "10"))  # the library's default waits forever
# Where each fact about the person is read, in the userinfo answer or else the ID token [R]: the 12-digit personal
# identification number links the account; the name, phone and e-mail only fill a new account.
MOTCUA_VNEID_CLAIMS = {
    "citizen_id": os.environ.get("MOTCUA_VNEID_CLAIM_CITIZEN_ID", "citizen_id"),
    "full_name": os.environ.get("MOTCUA_VNEID_CLAIM_NAME", "name"),
    "phone": os.environ.get("MOTCUA_VNEID_CLAIM_PHONE", "phone_number"),
    "email": os.environ.get("MOTCUA_VNEID_CLAIM_EMAIL", "email"),
}
# Minutes a started VNeID sign-in (its state, nonce and PKCE verifier) waits for the callback [R].
MOTCUA_VNEID_STATE_MINUTES = float(os.environ.get("MOTCUA_VNEID_STATE_MINUTES", "10"))

# Review meetings (motcua.reform.meetings). The conclusion notice's form is cited as QĐ 45/2018/QĐ-TTg (chế độ họp)
# [R, unconfirmed]: the citation printed on the notice is this setting. A bridge point's attendance locks this many
# working days after the meeting ends, on the province's official calendar.
MOTCUA_MEETING_NOTICE_FORM = os.environ.get("MOTCUA_MEETING_NOTICE_FORM", "QĐ 45/2018/QĐ-TTg")
MOTCUA_MEETING_ATTENDANCE_LOCK_WORKING_DAYS = int(os.environ.get("MOTCUA_MEETING_ATTENDANCE_LOCK_WORKING_DAYS", "1"))
# CCHC inspections: recommendations are due the conclusion notice's date + 15 days; whether calendar or working days
# is unconfirmed [R], so the province chooses ("calendar" or "working").
MOTCUA_REFORM_INSPECTION_REMEDY_DAYS = os.environ.get("MOTCUA_REFORM_INSPECTION_REMEDY_DAYS", "calendar")
# eOffice (motcua.eoffice), ND 30/2020/NĐ-CP. Art. 24 says urgent incoming documents are presented "at once": the
# working minutes allowed for that [R]. Document types whose số, ký hiệu carries the year ("26/2015/QĐ-UBND"): legal
# normative documents under Luật Ban hành văn bản quy phạm pháp luật; their type codes as entered in the register [R].
MOTCUA_EOFFICE_URGENT_PRESENTATION_MINUTES = int(os.environ.get("MOTCUA_EOFFICE_URGENT_PRESENTATION_MINUTES", "60"))
MOTCUA_EOFFICE_NEAR_DUE_MINUTES = int(os.environ.get("MOTCUA_EOFFICE_NEAR_DUE_MINUTES", "120"))
MOTCUA_EOFFICE_YEAR_IN_NOTATION_TYPES = tuple(
    env_list("MOTCUA_EOFFICE_YEAR_IN_NOTATION_TYPES", "quyet_dinh_qppl,nghi_quyet_qppl")
)
# Competency tests (motcua.assessments): membership roles never called to a campaign, beside its own list of job titles
# (An Giang left out police and military; the system accounts take no test) [R: each province's plan].
MOTCUA_ASSESSMENT_EXCLUDED_ROLES = tuple(env_list("MOTCUA_ASSESSMENT_EXCLUDED_ROLES", "system_admin,national_channel"))
# A domain score (on 100) under this lists the official for training; whether one-stop staff must have passed the
# latest qualifying campaign is the province's choice, beside ND 61's standard [R: each province's plan].
MOTCUA_ASSESSMENT_TRAINING_THRESHOLD = int(os.environ.get("MOTCUA_ASSESSMENT_TRAINING_THRESHOLD", "50"))
MOTCUA_ONE_STOP_REQUIRES_PASSED_CAMPAIGN = env_bool("MOTCUA_ONE_STOP_REQUIRES_PASSED_CAMPAIGN", True)
