"""The tamper-evident audit log (issue 24, docs/audit.md): every event is hash-chained to the one before, and
``manage.py audit_verify`` names the first event that was altered, removed or inserted, on SQLite and PostgreSQL.
Each tamper here is what the app's own database role can do by raw SQL: lift the append-only trigger, change a
row, delete, insert, truncate."""

from __future__ import annotations

import io
from contextlib import contextmanager
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from apps.audit import chain
from apps.audit.models import AuditChainHead, AuditEvent
from apps.audit.services import audit_record
from apps.audit.verify import ChainBroken, chain_verify

pytestmark = pytest.mark.django_db


@pytest.fixture
def events():
    return [
        audit_record(event=AuditEvent.Event.LOGIN, actor=f"user{i}", detail={"n": i, "ratio": 1.0}) for i in range(5)
    ]


@contextmanager
def lifted():
    """The append-only guard lifted as an attacker with the app's database role would (the test's transaction
    rolls the DDL back afterwards on both databases)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE audit_auditevent DISABLE TRIGGER USER")
        else:
            for name in ("no_update", "no_delete", "no_replace"):
                cursor.execute(f"DROP TRIGGER IF EXISTS audit_auditevent_{name}")
        yield cursor


def verify(*expect: str) -> int:
    """Run the command; its exit code."""
    args = [a for e in expect for a in ("--expect", e)]
    try:
        call_command("audit_verify", *args, stdout=io.StringIO())
    except SystemExit as exc:
        return int(exc.code)
    return 0


def forged_hash(event: AuditEvent, **changes) -> str:
    """The hash someone without the key would compute for ``event`` with ``changes`` (plain SHA-256)."""
    return chain.digest(
        seq=event.seq, created_at=event.created_at, prev_hash=event.prev_hash,
        content={**event.content(), **changes}, key=b"",
    )  # fmt: skip


def broken(**kwargs) -> str:
    with pytest.raises(ChainBroken) as info:
        chain_verify(**kwargs)
    return str(info.value)


def test_events_are_numbered_and_linked_and_the_chain_verifies(events):
    assert [e.seq for e in events] == [1, 2, 3, 4, 5]
    assert events[0].prev_hash == chain.GENESIS
    assert all(b.prev_hash == a.hash for a, b in zip(events, events[1:], strict=False))
    result = chain_verify()
    assert (result.events, result.seq, result.hash) == (5, 5, events[-1].hash)
    assert AuditChainHead.objects.get(pk=1).seq == 5


def test_the_command_prints_a_checkpoint_and_exits_0(events, capsys):
    out = io.StringIO()
    call_command("audit_verify", stdout=out)
    assert out.getvalue().strip() == f"audit chain OK: 5 events; checkpoint 5:{events[-1].hash}"


def test_a_caller_cannot_back_date_an_event():
    event = AuditEvent.objects.create(event=AuditEvent.Event.LOGIN, created_at=timezone.now() - timedelta(days=30))
    assert abs(event.created_at - timezone.now()) < timedelta(minutes=1)
    chain_verify()


def test_an_altered_event_is_named(events):
    with lifted() as cursor:
        cursor.execute("UPDATE audit_auditevent SET actor = 'mallory' WHERE seq = 3")
    assert broken().startswith(f"event seq 3 (id {events[2].pk}, login) was altered")


def test_an_altered_time_is_named(events):
    with lifted() as cursor:
        cursor.execute(
            "UPDATE audit_auditevent SET created_at = %s WHERE seq = 2", [events[1].created_at - timedelta(hours=1)]
        )
    assert "event seq 2" in broken() and "altered" in broken()


def test_an_event_rewritten_with_its_hash_recomputed_breaks_the_next_link(events):
    forged = forged_hash(events[2], actor="mallory")
    with lifted() as cursor:
        cursor.execute("UPDATE audit_auditevent SET actor = 'mallory', hash = %s WHERE seq = 3", [forged])
    assert broken().startswith("event seq 4") and "does not link to event seq 3" in broken()


def test_a_removed_event_is_named(events):
    with lifted() as cursor:
        cursor.execute("DELETE FROM audit_auditevent WHERE seq = 2")
    assert broken().startswith(f"event seq 2 is missing (before id {events[2].pk})")


def test_removing_the_last_events_is_noticed_by_the_head(events):
    with lifted() as cursor:
        cursor.execute("DELETE FROM audit_auditevent WHERE seq >= 4")
    assert "the chain ends at seq 3 but its head records seq 5" in broken()


def test_truncating_the_log_is_noticed(events):
    with lifted() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("TRUNCATE audit_auditevent")
        else:
            cursor.execute("DELETE FROM audit_auditevent")
    assert "the chain ends at seq 0 but its head records seq 5" in broken()


def test_truncating_the_log_and_its_head_is_noticed_by_a_published_checkpoint(events):
    checkpoint = f"5:{events[-1].hash}"
    assert verify(checkpoint) == 0
    with lifted() as cursor:
        cursor.execute("DELETE FROM audit_auditevent")
        cursor.execute("DELETE FROM audit_auditchainhead")
    chain_verify()  # an empty log with no head is consistent: only the checkpoint kept outside can tell
    assert "checkpoint 5 is gone" in broken(expect=[(5, events[-1].hash)])
    assert verify(checkpoint) == 1


def test_an_event_inserted_by_raw_sql_is_named(events):
    with connection.cursor() as cursor:  # inserting needs no trigger lifted: the guard is on UPDATE and DELETE
        cursor.execute(
            "INSERT INTO audit_auditevent (created_at, event, actor, actor_role, target_type, target_id, "
            "rulebook_version, rules, detail) VALUES (%s, 'login', 'mallory', '', '', '', '', '[]', '{}')",
            [events[0].created_at - timedelta(days=1)],
        )
    assert "has no place in the chain: it was inserted outside the service" in broken()


def test_an_event_inserted_with_a_forged_place_in_the_chain_is_named(events):
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO audit_auditevent (created_at, event, actor, actor_role, target_type, target_id, "
            "rulebook_version, rules, detail, seq, prev_hash, hash) "
            "VALUES (%s, 'login', 'mallory', '', '', '', '', '[]', '{}', 3, %s, %s)",
            [events[2].created_at, events[1].hash, events[2].hash],
        )
    assert "repeats seq 3: an event was inserted" in broken()


def test_a_whole_chain_rewritten_without_the_key_fails_when_a_key_is_set(settings):
    """Without AUDIT_CHAIN_KEY, someone who rewrites every event and recomputes every hash and the head makes a
    valid chain (docs/audit.md says so: publish checkpoints); with the key kept outside the database, cannot."""
    settings.AUDIT_CHAIN_KEY = "kept-in-the-environment"
    audit_record(event=AuditEvent.Event.LOGIN, actor="first")
    audit_record(event=AuditEvent.Event.LOGOUT, actor="keyed")
    chain_verify()
    keyed = AuditEvent.objects.get(actor="keyed")
    forged = forged_hash(keyed, actor="mallory")
    with lifted() as cursor:
        cursor.execute("UPDATE audit_auditevent SET actor = 'mallory', hash = %s WHERE id = %s", [forged, keyed.pk])
        cursor.execute("UPDATE audit_auditchainhead SET hash = %s", [forged])
    assert f"event seq {keyed.seq}" in broken() and "altered" in broken()


def test_a_failed_verify_exits_1_and_says_where(events, capsys):
    with lifted() as cursor:
        cursor.execute("UPDATE audit_auditevent SET detail = '{}' WHERE seq = 1")
    assert verify() == 1
    assert capsys.readouterr().err.startswith("audit chain BROKEN: event seq 1")


def test_the_migration_chain_matches_the_service(events):
    """What the service stores, the verifier reads back identically from the database (JSON, times)."""
    for event in AuditEvent.objects.order_by("seq"):
        assert (
            chain.digest(
                seq=event.seq, created_at=event.created_at, prev_hash=event.prev_hash, content=event.content(), key=b""
            )
            == event.hash
        )
