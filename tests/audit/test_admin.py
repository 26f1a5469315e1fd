"""The audit admin lists and shows events and offers no way to add, change or delete them."""

import pytest
from django.contrib import admin

from apps.accounts.models import User
from apps.audit.models import AuditEvent
from apps.audit.services import audit_record

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/audit/auditevent/"


@pytest.fixture
def superuser_client(client, db):
    boss = User.objects.create_superuser("boss", "boss@example.org", "pw-for-tests-only", role="admin")
    client.force_login(boss)
    return client


@pytest.fixture
def event(db):
    return audit_record(event=AuditEvent.Event.VIEW, actor="gp", target_type="assessment", target_id="42")


def test_changelist_lists_events_with_filters_and_no_actions(superuser_client, event):
    response = superuser_client.get(CHANGELIST)
    html = response.content.decode()
    assert response.status_code == 200
    assert f"/admin/audit/auditevent/{event.pk}/change/" in html
    assert "delete_selected" not in html
    assert 'name="action"' not in html
    assert "?event__exact=login_failed" in html  # filter by event
    assert "created_at__gte" in html  # filter by date
    assert "/admin/audit/auditevent/add/" not in html


def test_change_page_is_read_only(superuser_client, event):
    response = superuser_client.get(f"{CHANGELIST}{event.pk}/change/")
    html = response.content.decode()
    assert response.status_code == 200
    assert 'name="actor"' not in html
    assert "/delete/" not in html


def test_post_to_change_page_does_not_modify(superuser_client, event):
    response = superuser_client.post(f"{CHANGELIST}{event.pk}/change/", {"event": "login", "actor": "someone-else"})
    assert response.status_code == 403
    event = AuditEvent.objects.get(pk=event.pk)
    assert (event.event, event.actor) == ("view", "gp")


def test_add_and_delete_pages_are_refused(superuser_client, event):
    assert superuser_client.get(f"{CHANGELIST}add/").status_code == 403
    assert superuser_client.post(f"{CHANGELIST}{event.pk}/delete/", {"post": "yes"}).status_code == 403
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_admin_permissions_are_all_false(superuser_client, event, rf):
    model_admin = admin.site._registry[AuditEvent]
    request = rf.get(CHANGELIST)
    request.user = User.objects.get(username="boss")
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request, event)
    assert not model_admin.has_delete_permission(request, event)
    assert model_admin.has_view_permission(request, event)
    assert model_admin.get_actions(request) == {}
