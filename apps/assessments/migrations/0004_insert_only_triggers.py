"""Database-level guard: stored assessments, the prompts they showed, decisions and report reviews are never
changed or deleted, whatever code or tool tries.

The models and querysets already refuse (``ImmutableError``); these triggers also stop raw SQL, a future bug that
bypasses the ORM, and manual edits through a database shell, so the results page can keep its promise to show
"the prompts exactly as they were shown then". Same design as the audit log's (apps/audit migration 0002).

How the triggers work, per database: apps/web/insert_only.py.
"""

from django.db import migrations

from apps.web.insert_only import insert_only

TABLES = (
    "assessments_assessment",
    "assessments_shownprompt",
    "assessments_decision",
    "assessments_reportreview",
)
MESSAGE = "stored assessments are never changed or deleted"


class Migration(migrations.Migration):
    dependencies = [
        ("assessments", "0003_assessmentdraft"),
    ]

    operations = [
        insert_only("assessments", TABLES, MESSAGE),
    ]
