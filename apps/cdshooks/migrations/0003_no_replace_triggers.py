"""Database-level guard: on SQLite, ``INSERT OR REPLACE`` / ``REPLACE INTO`` cannot rewrite an issued card or its
feedback.

SQLite's REPLACE deletes the row it collides with without firing the DELETE triggers of migration 0002. These BEFORE
INSERT triggers refuse an insert whose primary key already exists. PostgreSQL needs nothing: its ``ON CONFLICT DO
UPDATE`` fires the UPDATE trigger of migration 0002. How it works: apps/web/insert_only.py ``no_replace``.
"""

from django.db import migrations

from apps.web.insert_only import no_replace

TABLES = {
    "cdshooks_issuedcard": (("id",),),
    "cdshooks_cardfeedback": (("id",),),
}
MESSAGE = "issued CDS Hooks cards and their feedback are never changed or deleted"


class Migration(migrations.Migration):
    dependencies = [
        ("cdshooks", "0002_insert_only_triggers"),
    ]

    operations = [
        no_replace(TABLES, MESSAGE),
    ]
