"""Settings for every environment, read from the process environment (see README, "Configuration")."""

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
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "simple_history",
    "django_tasks",
    "django_tasks_db",
    "motcua.core",
    "motcua.notifications",
    "motcua.organizations",
    "motcua.worktime",
    "motcua.catalogue",
    "motcua.dossiers",
    "motcua.signing",
    "motcua.documents",
    "motcua.indices",
    "motcua.api",
    "motcua.portal",
    "motcua.office",
    "motcua.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "motcua.core.middleware.VietnameseFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
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
AUTHENTICATION_BACKENDS = ["motcua.organizations.auth.PhoneEmailOrUsernameBackend"]
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator",
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

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticatedOrReadOnly"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PAGINATION_CLASS": "motcua.api.pagination.PageNumberPagination",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "motcua.api.problems.problem_exception_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
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
        "ApplicantKindEnum": "motcua.dossiers.models.ApplicantKind",
        "DossierStatusEnum": "motcua.dossiers.models.STATUS_CHOICES",
        "DossierChannelEnum": "motcua.catalogue.models.Channel",
        "RatingEnum": "motcua.dossiers.models.RATING_CHOICES",
        "UserKindEnum": "motcua.organizations.models.UserKind",
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}

# "Sắp đến hạn": a deadline within this much working time is flagged near-due (one working day by default) [R].
MOTCUA_NEAR_DUE_WORKING_MINUTES = int(os.environ.get("MOTCUA_NEAR_DUE_WORKING_MINUTES", "480"))

# ND 30/2020 art. 13: may a deputy (phó) do a step the internal process gives to the head (e.g. the chairman's
# signature)? Provinces decide this in their approved processes [R].
MOTCUA_DEPUTY_MAY_ACT_FOR_HEAD = os.environ.get("MOTCUA_DEPUTY_MAY_ACT_FOR_HEAD", "1") == "1"

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
