"""Test settings: the same as base, with fast hashing and in-memory email."""

import os

os.environ.setdefault("DATABASE_URL", "sqlite://:memory:")

from .base import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Test keys live beside the other local data, never in the repository; the session seed creates them once.
MOTCUA_SIGNING_KEY_DIR = DATA_DIR / "test-signing-keys"  # noqa: F405
MOTCUA_SIGNING_TRUST_ROOTS = [str(MOTCUA_SIGNING_KEY_DIR / "test-ca.pem")]
