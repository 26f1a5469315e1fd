import hashlib

from django.conf import settings
from django.db import models

TOKEN_PREFIX = "sp_"


def token_hash(raw: str) -> str:
    """What is stored of a token: its SHA-256, never the token itself."""
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


class ApiToken(models.Model):
    """A per-user API token. Only a SHA-256 hash is stored; the token itself is shown once, when created."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100, help_text="What the token is for, e.g. the calling system.")
    prefix = models.CharField(max_length=12, help_text="The start of the token, to recognise it in lists.")
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    def save(self, *args, **kwargs):
        # Revocation is final: a revoked token's revocation time, key and owner never change, whatever code
        # saves it (the admin makes them read-only too). Stamping revoked_at goes through api_token_revoke.
        if self.pk is not None:
            stored = ApiToken.objects.filter(pk=self.pk).values("revoked_at", "key_hash", "user_id").first()
            if stored is not None and stored["revoked_at"] is not None:
                current = {"revoked_at": self.revoked_at, "key_hash": self.key_hash, "user_id": self.user_id}
                if current != stored:
                    raise ValueError("a revoked API token cannot be changed back or reassigned")
        super().save(*args, **kwargs)
