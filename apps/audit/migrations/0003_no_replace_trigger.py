"""Database-level guard: on SQLite, ``INSERT OR REPLACE`` / ``REPLACE INTO`` cannot rewrite an audit event.

SQLite's REPLACE deletes the row it collides with without firing the DELETE trigger of migration 0002, so a raw
``INSERT OR REPLACE INTO audit_auditevent (id, ...) VALUES (1, ...)`` rewrote event 1. This BEFORE INSERT trigger
refuses any insert whose id already exists. PostgreSQL needs nothing: its ``ON CONFLICT DO UPDATE`` fires the UPDATE
trigger of migration 0002. How it works: apps/web/insert_only.py ``no_replace``.
"""

from django.db import migrations

from apps.web.insert_only import no_replace

TABLES = {"audit_auditevent": (("id",),)}
MESSAGE = "audit events are append-only"


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0002_append_only_triggers"),
    ]

    operations = [
        no_replace(TABLES, MESSAGE),
    ]
