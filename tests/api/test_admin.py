"""The API token admin: a revoked token stays revoked (its revocation cannot be cleared), tokens are never deleted
(revocation is the way), and every revocation is audited."""

from __future__ import annotations

import pytest

from apps.accounts.models import User
from apps.api.models import ApiToken
from apps.api.services import api_token_authenticate, api_token_create, api_token_revoke
from apps.audit.models import AuditEvent

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/api/apitoken/"


@pytest.fixture
def boss_client(client):
    boss = User.objects.create_superuser("boss", "boss@example.org", "pw-for-tests-only", role="admin")
    client.force_login(boss)
    return client


@pytest.fixture
def issued(make_user) -> tuple[ApiToken, str]:
    return api_token_create(user=make_user("api-owner"), name="EHR link")


def _revocations() -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(event=AuditEvent.Event.API_TOKEN_REVOKED))


def test_a_revoked_token_cannot_be_unrevoked_in_the_admin(boss_client, issued):
    token, raw = issued
    api_token_revoke(token=token, actor="boss")
    revoked_at = ApiToken.objects.get(pk=token.pk).revoked_at
    page = boss_client.get(f"{CHANGELIST}{token.pk}/change/").content.decode()
    assert 'name="revoked_at_0"' not in page and 'name="name"' not in page
    # Clearing the field by hand (as the form once allowed) changes nothing.
    response = boss_client.post(
        f"{CHANGELIST}{token.pk}/change/", {"name": "EHR link", "revoked_at_0": "", "revoked_at_1": ""}
    )
    assert response.status_code == 302
    assert ApiToken.objects.get(pk=token.pk).revoked_at == revoked_at
    assert api_token_authenticate(raw=raw) is None


def test_the_model_refuses_to_unrevoke_or_reassign_a_revoked_token(issued, make_user):
    token, raw = issued
    api_token_revoke(token=token)
    token = ApiToken.objects.get(pk=token.pk)
    token.revoked_at = None
    with pytest.raises(ValueError, match="revoked API token"):
        token.save()
    token = ApiToken.objects.get(pk=token.pk)
    token.user = make_user("someone-else")
    with pytest.raises(ValueError, match="revoked API token"):
        token.save()
    assert api_token_authenticate(raw=raw) is None


def test_tokens_cannot_be_deleted_in_the_admin(boss_client, issued):
    token, _ = issued
    assert "delete_selected" not in boss_client.get(CHANGELIST).content.decode()
    assert boss_client.post(f"{CHANGELIST}{token.pk}/delete/", {"post": "yes"}).status_code == 403
    response = boss_client.post(
        CHANGELIST, {"action": "delete_selected", "_selected_action": [token.pk], "post": "yes"}
    )
    assert ApiToken.objects.filter(pk=token.pk).exists(), response.status_code


def test_revoking_on_the_change_page_is_stamped_now_and_audited(boss_client, issued):
    token, raw = issued
    page = boss_client.get(f"{CHANGELIST}{token.pk}/change/").content.decode()
    assert 'name="revoked_at_0"' in page and 'name="key_hash"' not in page and 'name="user"' not in page
    response = boss_client.post(
        f"{CHANGELIST}{token.pk}/change/",
        {"name": "EHR link", "revoked_at_0": "2099-01-01", "revoked_at_1": "00:00:00"},
    )
    assert response.status_code == 302
    stored = ApiToken.objects.get(pk=token.pk)
    assert stored.revoked_at is not None and stored.revoked_at.year < 2099
    assert api_token_authenticate(raw=raw) is None
    [event] = _revocations()
    assert (event.actor, event.target_type, event.target_id) == ("boss", "api_token", str(token.pk))
    assert event.detail == {"token_user_id": token.user_id}


def test_the_revoke_action_revokes_and_audits_each_token_once(boss_client, issued, make_user):
    token, raw = issued
    other, other_raw = api_token_create(user=make_user("api-other"), name="second")
    api_token_revoke(token=other, actor="earlier")
    response = boss_client.post(CHANGELIST, {"action": "revoke", "_selected_action": [token.pk, other.pk]})
    assert response.status_code == 302
    assert api_token_authenticate(raw=raw) is None and api_token_authenticate(raw=other_raw) is None
    # The already revoked token keeps its first revocation and is not audited again.
    assert sorted((e.actor, e.target_id) for e in _revocations()) == sorted(
        [("boss", str(token.pk)), ("earlier", str(other.pk))]
    )
