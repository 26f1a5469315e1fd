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


@pytest.mark.django_db
def test_revoke_api_token_command_revokes_by_token_prefix_or_user_and_audits_it(make_user):
    from apps.audit.models import AuditEvent

    user = make_user("gp-revoke", role="gp")
    first, first_raw = api_token_create(user=user, name="one")
    second, second_raw = api_token_create(user=user, name="two")
    third, third_raw = api_token_create(user=user, name="three")
    out = StringIO()
    call_command("revoke_api_token", first_raw, stdout=out)
    assert out.getvalue().strip() == "revoked 1 token"
    assert api_token_authenticate(raw=first_raw) is None
    assert api_token_authenticate(raw=second_raw) is not None
    call_command("revoke_api_token", second.prefix, stdout=StringIO())
    assert api_token_authenticate(raw=second_raw) is None
    assert api_token_authenticate(raw=third_raw) is not None
    call_command("revoke_api_token", "--user", "gp-revoke", stdout=out)
    assert api_token_authenticate(raw=third_raw) is None
    events = AuditEvent.objects.filter(event=AuditEvent.Event.API_TOKEN_REVOKED)
    assert sorted(int(e.target_id) for e in events) == sorted([first.pk, second.pk, third.pk])
    assert {e.actor for e in events} == {"manage.py revoke_api_token"}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((), "give a token"),
        (("sp_x", "--user", "someone"), "not both"),
        (("not-a-token",), "a token starts with 'sp_'"),
        (("sp_nothing",), "no active token matches"),
        (("--user", "ghost"), "no active token for user 'ghost'"),
    ],
)
def test_revoke_api_token_command_says_what_is_wrong_and_revokes_nothing(make_user, args, message):
    _, raw = api_token_create(user=make_user("gp-keep", role="gp"), name="kept")
    with pytest.raises(CommandError, match=message):
        call_command("revoke_api_token", *args, stdout=StringIO())
    assert api_token_authenticate(raw=raw) is not None
