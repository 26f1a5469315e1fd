"""API token reads: the tokens a revoke from the command line names."""

from __future__ import annotations

from .models import ApiToken, token_hash


def api_token_active_matching(*, token_or_prefix: str) -> list[ApiToken]:
    """The active tokens that a whole token, or the prefix the admin lists, names (for revoking from the command
    line): the token's own match if there is one, else every active token with that prefix."""
    active = ApiToken.objects.filter(revoked_at__isnull=True)
    return list(active.filter(key_hash=token_hash(token_or_prefix))) or list(active.filter(prefix=token_or_prefix))
