"""API tokens: only a hash is stored; the command prints the token once."""

import hashlib
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from apps.api.models import ApiToken
from apps.api.services import api_token_authenticate, api_token_create


@pytest.mark.django_db
def test_token_is_stored_only_as_a_hash(make_user):
    token, raw = api_token_create(user=make_user(), name="EMIS integration")
    assert raw.startswith("sp_") and len(raw) > 40
    stored = ApiToken.objects.get(pk=token.pk)
    assert stored.key_hash == hashlib.sha256(raw.encode()).hexdigest()
    assert raw not in {stored.key_hash, stored.prefix, stored.name}
    assert api_token_authenticate(raw=raw) == stored
    assert ApiToken.objects.get(pk=token.pk).last_used_at is not None


@pytest.mark.django_db
def test_create_api_token_command_prints_a_working_token(make_user):
    make_user("nurse1", role="nurse")
    out = StringIO()
    call_command("create_api_token", "nurse1", "--name", "tests", stdout=out)
    raw = out.getvalue().strip()
    assert api_token_authenticate(raw=raw).user.username == "nurse1"


@pytest.mark.django_db
def test_create_api_token_command_names_a_missing_user():
    with pytest.raises(CommandError, match="no active user 'ghost'"):
        call_command("create_api_token", "ghost")
