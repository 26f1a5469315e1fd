"""Database-level guard: stored assessments, the prompts they showed, decisions and report reviews are never
changed or deleted, whatever code or tool tries.

The models and querysets already refuse (``ImmutableError``); these triggers also stop raw SQL, a future bug that
bypasses the ORM, and manual edits through a database shell, so the results page can keep its promise to show
"the prompts exactly as they were shown then". Same design as the audit log's (apps/audit migration 0002):
only SQLite and PostgreSQL are supported, so any other database fails loudly here rather than run unguarded.

On SQLite, a later migration that rebuilds one of these tables (most field changes do) drops its triggers and must
recreate them; tests/assessments/test_insert_only.py fails if it doesn't. TRUNCATE (PostgreSQL) is not blocked,
so ``manage.py flush`` still works there.
"""

from django.db import migrations

TABLES = (
    "assessments_assessment",
    "assessments_shownprompt",
    "assessments_decision",
    "assessments_reportreview",
)
MESSAGE = "stored assessments are never changed or deleted"


def _forward(vendor: str, table: str) -> list[str]:
    if vendor == "postgresql":
        return [
            f"CREATE TRIGGER {table}_insert_only BEFORE UPDATE OR DELETE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION assessments_insert_only()"
        ]
    return [
        f"CREATE TRIGGER {table}_no_update BEFORE UPDATE ON {table} BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END",
        f"CREATE TRIGGER {table}_no_delete BEFORE DELETE ON {table} BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END",
    ]


def _reverse(vendor: str, table: str) -> list[str]:
    if vendor == "postgresql":
        return [f"DROP TRIGGER IF EXISTS {table}_insert_only ON {table}"]
    return [f"DROP TRIGGER IF EXISTS {table}_no_update", f"DROP TRIGGER IF EXISTS {table}_no_delete"]


def _check(vendor: str) -> None:
    if vendor not in ("postgresql", "sqlite"):
        raise NotImplementedError(f"No insert-only assessment triggers for the {vendor} database.")


def forward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    _check(vendor)
    if vendor == "postgresql":
        schema_editor.execute(
            "CREATE FUNCTION assessments_insert_only() RETURNS trigger AS $$ "
            f"BEGIN RAISE EXCEPTION '{MESSAGE}'; END; $$ LANGUAGE plpgsql"
        )
    for table in TABLES:
        for sql in _forward(vendor, table):
            schema_editor.execute(sql)


def reverse(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    _check(vendor)
    for table in TABLES:
        for sql in _reverse(vendor, table):
            schema_editor.execute(sql)
    if vendor == "postgresql":
        schema_editor.execute("DROP FUNCTION IF EXISTS assessments_insert_only()")


class Migration(migrations.Migration):
    dependencies = [
        ("assessments", "0003_assessmentdraft"),
    ]

    operations = [
        migrations.RunPython(forward, reverse),
    ]
