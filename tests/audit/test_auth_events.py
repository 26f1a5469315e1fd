"""Logins, failed logins and logouts each write one audit event, and a failed login keeps no password."""

import json

import pytest

from apps.accounts.models import Role
from apps.audit.models import AuditEvent

pytestmark = pytest.mark.django_db

PASSWORD = "right-password-1234"


@pytest.fixture
def nurse(make_user):
    return make_user("nurse", role=Role.NURSE, password=PASSWORD)


def test_login_writes_one_event(client, nurse):
    response = client.post("/accounts/login/", {"username": "nurse", "password": PASSWORD})
    assert response.status_code == 302
    [event] = AuditEvent.objects.all()
    assert (event.event, event.actor, event.actor_role) == ("login", "nurse", "nurse")


def test_failed_login_writes_one_event_without_the_password(client, nurse):
    client.post("/accounts/login/", {"username": "nurse", "password": "a-wrong-guess-5678"})
    [event] = AuditEvent.objects.all()
    assert (event.event, event.actor, event.actor_role) == ("login_failed", "nurse", "")
    assert event.detail == {}
    # Nothing of the password, or Django's mask of it, anywhere in the row.
    row = json.dumps(list(AuditEvent.objects.values().get(pk=event.pk).values()), default=str)
    assert "a-wrong-guess" not in row
    assert "password" not in row
    assert "****" not in row


def test_failed_login_for_unknown_username_records_the_attempted_name(client, db):
    client.post("/accounts/login/", {"username": "nobody", "password": "whatever-1234"})
    [event] = AuditEvent.objects.all()
    assert (event.event, event.actor) == ("login_failed", "nobody")


def test_logout_writes_one_event(client, nurse):
    client.force_login(nurse)
    assert AuditEvent.objects.count() == 1  # the login
    client.post("/accounts/logout/")
    assert list(AuditEvent.objects.order_by("id").values_list("event", "actor")) == [
        ("login", "nurse"),
        ("logout", "nurse"),
    ]


def test_logout_when_not_logged_in_writes_nothing(client, db):
    client.post("/accounts/logout/")
    assert not AuditEvent.objects.exists()
