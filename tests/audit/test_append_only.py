"""Audit events can be added and read, never changed or removed: by the model, the queryset or raw SQL."""

import pytest
from django.db import DatabaseError, connection, transaction

from apps.accounts.models import Role
from apps.audit.models import AppendOnlyError, AuditEvent
from apps.audit.services import audit_record
from tests.insert_only import assert_raw_replace_refused

pytestmark = pytest.mark.django_db


@pytest.fixture
def event(db):
    return audit_record(event=AuditEvent.Event.VIEW, target_type="assessment", target_id="42")


def test_record_reads_username_and_role_from_the_user(make_user):
    user = make_user("nurse", role=Role.NURSE)
    event = audit_record(
        event=AuditEvent.Event.EVALUATION,
        actor=user,
        target_type="assessment",
        target_id=7,
        rulebook_version="2026.11",
        rules=[{"id": "R01-P01", "version": 2, "title": "dropped"}],
        detail={"prompts": 3},
    )
    event = AuditEvent.objects.get(pk=event.pk)
    assert (event.event, event.actor, event.actor_role) == ("evaluation", "nurse", "nurse")
    assert (event.target_type, event.target_id, event.rulebook_version) == ("assessment", "7", "2026.11")
    # Only id and version are kept from each rule.
    assert event.rules == [{"id": "R01-P01", "version": 2}]
    assert event.detail == {"prompts": 3}
    assert event.created_at is not None


def test_record_without_actor_leaves_it_blank():
    event = audit_record(event=AuditEvent.Event.API_EVALUATION)
    assert (event.actor, event.actor_role, event.rules, event.detail) == ("", "", [], {})


def test_saving_a_saved_event_is_refused(event):
    event.actor = "someone-else"
    with pytest.raises(AppendOnlyError):
        event.save()
    assert AuditEvent.objects.get(pk=event.pk).actor == ""


def test_deleting_an_event_is_refused(event):
    with pytest.raises(AppendOnlyError):
        event.delete()
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_queryset_update_is_refused(event):
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).update(actor="someone-else")
    # bulk_update() goes through update(); it runs inside atomic(savepoint=False), so a savepoint here
    # keeps the test's transaction usable after the refusal.
    with pytest.raises(AppendOnlyError), transaction.atomic():
        AuditEvent.objects.bulk_update([event], ["actor"])
    assert AuditEvent.objects.get(pk=event.pk).actor == ""


def test_queryset_delete_is_refused(event):
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.all().delete()
    assert AuditEvent.objects.filter(pk=event.pk).exists()


# The triggers come from migration 0002; the test database is built by running every migration, so
# these also fail if a later migration loses them (on SQLite, rebuilding the table drops triggers).
def test_database_rejects_raw_update(event):
    # atomic(): on PostgreSQL the failed statement aborts the transaction; the savepoint contains it.
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditevent SET actor = %s WHERE id = %s", ["someone-else", event.pk])
    assert AuditEvent.objects.get(pk=event.pk).actor == ""


def test_database_rejects_raw_delete(event):
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditevent WHERE id = %s", [event.pk])
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_database_rejects_raw_replace(event):
    """SQLite: INSERT OR REPLACE / REPLACE INTO once rewrote an event (the old row is deleted without firing the
    DELETE trigger); migration 0003 refuses them. PostgreSQL: ON CONFLICT DO UPDATE is an update, refused by 0002."""
    assert_raw_replace_refused(AuditEvent, "actor", "someone-else", "append-only")
    assert AuditEvent.objects.get(pk=event.pk).actor == ""


def test_the_reported_replace_into_row_1_is_refused(event):
    """The review's repro, literally: a new row given an existing id."""
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        verb = "INSERT OR REPLACE" if connection.vendor == "sqlite" else "INSERT"
        tail = "" if connection.vendor == "sqlite" else " ON CONFLICT (id) DO UPDATE SET actor = excluded.actor"
        cursor.execute(
            f"{verb} INTO audit_auditevent (id, created_at, event, actor, actor_role, target_type, target_id, "
            f"rulebook_version, rules, detail) VALUES (%s, %s, 'login', 'mallory', '', '', '', '', '[]', '{{}}'){tail}",
            [event.pk, event.created_at],
        )
    assert AuditEvent.objects.get(pk=event.pk).actor == ""


def test_database_still_accepts_inserts(event):
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM audit_auditevent")
        assert cursor.fetchone()[0] == 1
    audit_record(event=AuditEvent.Event.VIEW)
    assert AuditEvent.objects.count() == 2
    AuditEvent.objects.bulk_create([AuditEvent(event=AuditEvent.Event.VIEW), AuditEvent(event=AuditEvent.Event.LOGIN)])
    assert AuditEvent.objects.count() == 4
