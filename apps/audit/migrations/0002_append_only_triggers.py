"""Database-level guard: the audit table rejects UPDATE and DELETE, whatever code or tool issues them.

The model and queryset already refuse updates and deletes; these triggers also stop raw SQL, a
future bug that bypasses the ORM, and manual edits through a database shell. Only SQLite and
PostgreSQL are supported, so any other database fails loudly here rather than running unguarded.

On SQLite, a later migration that rebuilds this table (most field changes do) drops these
triggers: such a migration must recreate them. tests/audit/test_append_only.py fails if it doesn't.
"""

from django.db import migrations

MESSAGE = "audit events are append-only"

FORWARD = {
    "postgresql": [
        f"""
        CREATE FUNCTION audit_auditevent_append_only() RETURNS trigger AS $$
        BEGIN
            RAISE EXCEPTION '{MESSAGE}';
        END;
        $$ LANGUAGE plpgsql
        """,
        """
        CREATE TRIGGER audit_auditevent_append_only
        BEFORE UPDATE OR DELETE ON audit_auditevent
        FOR EACH ROW EXECUTE FUNCTION audit_auditevent_append_only()
        """,
    ],
    "sqlite": [
        f"""
        CREATE TRIGGER audit_auditevent_no_update BEFORE UPDATE ON audit_auditevent
        BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END
        """,
        f"""
        CREATE TRIGGER audit_auditevent_no_delete BEFORE DELETE ON audit_auditevent
        BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END
        """,
    ],
}

REVERSE = {
    "postgresql": [
        "DROP TRIGGER IF EXISTS audit_auditevent_append_only ON audit_auditevent",
        "DROP FUNCTION IF EXISTS audit_auditevent_append_only()",
    ],
    "sqlite": [
        "DROP TRIGGER IF EXISTS audit_auditevent_no_update",
        "DROP TRIGGER IF EXISTS audit_auditevent_no_delete",
    ],
}


def _run(statements):
    def run(apps, schema_editor):
        vendor = schema_editor.connection.vendor
        if vendor not in statements:
            raise NotImplementedError(f"No append-only audit triggers for the {vendor} database.")
        for sql in statements[vendor]:
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(_run(FORWARD), _run(REVERSE)),
    ]
