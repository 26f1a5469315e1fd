"""Database-level guard: the cards sent to GP systems and the feedback they sent back are never changed or
deleted, whatever code or tool tries.

The models and querysets already refuse (``AppendOnlyError``); these triggers also stop raw SQL, a future bug that
bypasses the ORM, and manual edits through a database shell, so the feedback dashboard keeps reporting how each
rule's cards were really received (which rule and version a card came from, and what the clinician did with it).
Same design as the audit log's and the stored assessments' (apps/assessments migration 0004).

How the triggers work, per database: apps/web/insert_only.py.
"""

from django.db import migrations

from apps.web.insert_only import insert_only

TABLES = ("cdshooks_issuedcard", "cdshooks_cardfeedback")
MESSAGE = "issued CDS Hooks cards and their feedback are never changed or deleted"


class Migration(migrations.Migration):
    dependencies = [
        ("cdshooks", "0001_initial"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="cardfeedback",
            options={"ordering": ["-created_at", "-id"], "verbose_name_plural": "card feedback"},
        ),
        insert_only("cdshooks", TABLES, MESSAGE),
    ]
