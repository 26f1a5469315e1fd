from typing import Any

from django.core.management.base import BaseCommand, CommandError

from apps.api.models import TOKEN_PREFIX, ApiToken
from apps.api.selectors import api_token_active_matching
from apps.api.services import api_token_revoke

ACTOR = "manage.py revoke_api_token"


class Command(BaseCommand):
    help = (
        "Revoke API tokens for good (audited as api_token_revoked): one token, given whole or by the prefix shown "
        "in the admin, or every active token of a user (--user)."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("token", nargs="?", help="the token (sp_...) or its prefix as listed in the admin")
        parser.add_argument("--user", help="revoke every active token of this username")

    def handle(self, *args: Any, **options: Any) -> None:
        token, username = options["token"], options["user"]
        if bool(token) == bool(username):
            raise CommandError("give a token (or its prefix) or --user USERNAME, not both")
        if username:
            found = list(ApiToken.objects.filter(revoked_at__isnull=True, user__username=username))
            if not found:
                raise CommandError(f"no active token for user {username!r}")
        else:
            if not token.startswith(TOKEN_PREFIX):
                raise CommandError(f"a token starts with {TOKEN_PREFIX!r}")
            found = api_token_active_matching(token_or_prefix=token)
            if not found:
                raise CommandError("no active token matches (it may be revoked already)")
            if len(found) > 1:
                # Prefixes are 10 characters of a random token: a clash is unlikely, but never revoke a guess.
                raise CommandError("more than one active token has this prefix: give the whole token")
        revoked = sum(api_token_revoke(token=t, actor=ACTOR) for t in found)
        self.stdout.write(f"revoked {revoked} token{'s' if revoked != 1 else ''}")
