"""Test settings: the same as base, with fast hashing and in-memory email."""

import os

os.environ.setdefault("DATABASE_URL", "sqlite://:memory:")

from .base import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
# Each test starts from an empty, private cache. The tests of the shared store (core/tests/test_shared_limits.py) start
# processes with the real settings, against Redis (REDIS_URL, exported by scripts/test.sh) and the database cache.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Test keys live beside the other local data, never in the repository; the session seed creates them once.
MOTCUA_SIGNING_KEY_DIR = DATA_DIR / "test-signing-keys"  # noqa: F405
MOTCUA_SIGNING_TRUST_ROOTS = [str(MOTCUA_SIGNING_KEY_DIR / "test-ca.pem")]

# Tests that are not about the second factor sign officials in with the password alone; the second-factor tests turn
# it back on (motcua/organizations/tests/test_second_factor.py).
MOTCUA_STAFF_OTP_REQUIRED = False
