"""API tokens, stored hashed; idempotency records: a repeated POST with the same key returns the first answer."""

from django.conf import settings
from django.db import models
from knox.models import AuthToken

from motcua.core import clock


class TokenBinding(models.Model):
    """The password a knox token (only its SHA-512 digest is stored) was obtained with.

    The fingerprint is Django's session hash of the password: a new password (set by the person, a reset link, an
    administrator or `changepassword`) no longer matches, so every token obtained before it stops working.
    """

    token = models.OneToOneField(AuthToken, on_delete=models.CASCADE, primary_key=True, related_name="binding")
    password_fingerprint = models.CharField(max_length=128)

    def __str__(self) -> str:
        return str(self.token_id)


class IdempotencyRecord(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    key = models.CharField(max_length=100)
    fingerprint = models.CharField(max_length=64)  # method, path and body: the same key may not carry another request
    status_code = models.PositiveSmallIntegerField()
    body = models.JSONField(null=True)
    created_at = models.DateTimeField(default=clock.now, db_index=True)  # the purge deletes by age

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="one_record_per_user_and_key")]

    def __str__(self) -> str:
        return f"{self.user_id}:{self.key}"
