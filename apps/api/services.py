"""API token writes: create (returns the raw token once), authenticate (recording when it was last used) and
revoke (audited). The one read, the tokens a revoke names, is in selectors.py."""

from __future__ import annotations

import secrets

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from apps.audit.models import AuditEvent
from apps.audit.services import audit_record

from .models import TOKEN_PREFIX, ApiToken, token_hash


def api_token_create(*, user: AbstractBaseUser, name: str) -> tuple[ApiToken, str]:
    """Create a token for ``user``; the raw token is returned once and never stored."""
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(user=user, name=name, prefix=raw[:10], key_hash=token_hash(raw))
    return token, raw


def api_token_authenticate(*, raw: str) -> ApiToken | None:
    """The active token matching ``raw`` (its user active too), or None. Records when it was last used."""
    if not raw.startswith(TOKEN_PREFIX) or len(raw) > 200:
        return None
    token = (
        ApiToken.objects.select_related("user")
        .filter(key_hash=token_hash(raw), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if token is not None:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
    return token


def api_token_revoke(*, token: ApiToken, actor: AbstractBaseUser | str | None = None) -> bool:
    """Revoke ``token`` now, for good, and audit it (``api_token_revoked``, by ``actor``). Returns whether it was
    revoked by this call: an already revoked token keeps its first revocation time and is not audited again."""
    with transaction.atomic():
        revoked = ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())
        if revoked:
            audit_record(
                event=AuditEvent.Event.API_TOKEN_REVOKED,
                actor=actor,
                target_type="api_token",
                target_id=str(token.pk),
                detail={"token_user_id": token.user_id},
            )
    return bool(revoked)
