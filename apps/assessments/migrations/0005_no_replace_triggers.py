"""Database-level guard: on SQLite, ``INSERT OR REPLACE`` / ``REPLACE INTO`` cannot rewrite a stored assessment, a
shown prompt, a decision or a report review.

SQLite's REPLACE deletes the row it collides with (on the primary key or any other unique key) without firing the
DELETE triggers of migration 0004. These BEFORE INSERT triggers refuse an insert that collides with a stored row on
any unique key. PostgreSQL needs nothing: its ``ON CONFLICT DO UPDATE`` fires the UPDATE trigger of migration 0004.
How it works: apps/web/insert_only.py ``no_replace``.
"""

from django.db import migrations

from apps.web.insert_only import no_replace

# Each table's unique keys: the primary key, then the other UNIQUE column sets.
TABLES = {
    "assessments_assessment": (("id",),),
    "assessments_shownprompt": (("id",), ("assessment_id", "prompt_id")),
    "assessments_decision": (("id",),),
    "assessments_reportreview": (("id",), ("reassessment_id",)),
}
MESSAGE = "stored assessments are never changed or deleted"


class Migration(migrations.Migration):
    dependencies = [
        ("assessments", "0004_insert_only_triggers"),
    ]

    operations = [
        no_replace(TABLES, MESSAGE),
    ]
