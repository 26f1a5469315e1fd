"""Database-level guard: the cards sent to GP systems and the feedback they sent back are never changed or
deleted, whatever code or tool tries.

The models and querysets already refuse (``AppendOnlyError``); these triggers also stop raw SQL, a future bug that
bypasses the ORM, and manual edits through a database shell, so the feedback dashboard keeps reporting how each
rule's cards were really received (which rule and version a card came from, and what the clinician did with it).
Same design as the audit log's and the stored assessments' (apps/assessments migration 0004): only SQLite and
PostgreSQL are supported, so any other database fails loudly here rather than run unguarded.

On SQLite, a later migration that rebuilds one of these tables drops its triggers and must recreate them;
tests/cdshooks/test_insert_only.py fails if it doesn't. TRUNCATE (PostgreSQL) is not blocked, so
``manage.py flush`` still works there.
"""

from django.db import migrations

TABLES = ("cdshooks_issuedcard", "cdshooks_cardfeedback")
MESSAGE = "issued CDS Hooks cards and their feedback are never changed or deleted"


def _forward(vendor: str, table: str) -> list[str]:
    if vendor == "postgresql":
        return [
            f"CREATE TRIGGER {table}_insert_only BEFORE UPDATE OR DELETE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION cdshooks_insert_only()"
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
        raise NotImplementedError(f"No insert-only CDS Hooks triggers for the {vendor} database.")


def forward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    _check(vendor)
    if vendor == "postgresql":
        schema_editor.execute(
            "CREATE FUNCTION cdshooks_insert_only() RETURNS trigger AS $$ "
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
        schema_editor.execute("DROP FUNCTION IF EXISTS cdshooks_insert_only()")


class Migration(migrations.Migration):
    dependencies = [
        ("cdshooks", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(forward, reverse),
    ]
