"""Insert-only rows: written once, then only read. Two layers: a model base that refuses changes and deletion
through the ORM, and database triggers that refuse every ``UPDATE`` and ``DELETE`` whatever code or tool issues
it (raw SQL, a bug that bypasses the ORM, a database shell).

The triggers are added by migrations (assessments 0004, cdshooks 0002). A migration must do the same thing
forever, so never change what ``insert_only`` creates; if the guard has to change, write a new function and a new
migration. Only SQLite and PostgreSQL are supported, so any other database fails loudly rather than run
unguarded. On SQLite, a later migration that rebuilds a guarded table drops its triggers and must recreate them
(each app's ``test_insert_only.py`` fails if it doesn't). ``TRUNCATE`` (PostgreSQL) is not blocked, so
``manage.py flush`` still works there.
"""

from __future__ import annotations

from functools import partial

from django.db import migrations, models


class InsertOnlyError(Exception):
    """Raised on any attempt to change or remove an insert-only row through the ORM. Each app subclasses it (the
    audit log, stored assessments, CDS Hooks cards)."""


class InsertOnlyQuerySet(models.QuerySet):
    # Bulk paths bypass Model.save() and Model.delete(), so they are closed here too.
    # (bulk_update() goes through update(), so it is refused as well.)
    def update(self, **kwargs):
        raise self.model.refused(f"{self.model._meta.verbose_name_plural} are never changed once stored")

    def delete(self):
        raise self.model.refused(f"{self.model._meta.verbose_name_plural} are never deleted")


class InsertOnlyModel(models.Model):
    """Saved once; a later ``save()``, ``delete()`` or queryset ``update()``/``delete()`` raises ``refused``."""

    refused: type[InsertOnlyError] = InsertOnlyError
    objects = InsertOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise self.refused(f"a stored {self._meta.verbose_name} cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise self.refused(f"a stored {self._meta.verbose_name} cannot be deleted")


def insert_only(prefix: str, tables: tuple[str, ...], message: str) -> migrations.RunPython:
    """A migration operation adding the triggers to ``tables``; ``prefix`` names the PostgreSQL trigger function
    (``{prefix}_insert_only()``), and ``message`` is the database error every refused statement raises.
    (``partial`` of module functions, not closures, so that ``squashmigrations`` can still write them out.)"""
    guard = {"prefix": prefix, "tables": tables, "message": message}
    return migrations.RunPython(partial(_forward, **guard), partial(_reverse, **guard))


def _check(vendor: str, prefix: str) -> None:
    if vendor not in ("postgresql", "sqlite"):
        raise NotImplementedError(f"No insert-only triggers ({prefix}) for the {vendor} database.")


def _forward(apps, schema_editor, *, prefix: str, tables: tuple[str, ...], message: str) -> None:
    vendor = schema_editor.connection.vendor
    _check(vendor, prefix)
    if vendor == "postgresql":
        schema_editor.execute(
            f"CREATE FUNCTION {prefix}_insert_only() RETURNS trigger AS $$ "
            f"BEGIN RAISE EXCEPTION '{message}'; END; $$ LANGUAGE plpgsql"
        )
    for table in tables:
        if vendor == "postgresql":
            schema_editor.execute(
                f"CREATE TRIGGER {table}_insert_only BEFORE UPDATE OR DELETE ON {table} "
                f"FOR EACH ROW EXECUTE FUNCTION {prefix}_insert_only()"
            )
        else:
            for statement, suffix in (("UPDATE", "no_update"), ("DELETE", "no_delete")):
                schema_editor.execute(
                    f"CREATE TRIGGER {table}_{suffix} BEFORE {statement} ON {table} "
                    f"BEGIN SELECT RAISE(ABORT, '{message}'); END"
                )


def _reverse(apps, schema_editor, *, prefix: str, tables: tuple[str, ...], message: str) -> None:
    vendor = schema_editor.connection.vendor
    _check(vendor, prefix)
    for table in tables:
        if vendor == "postgresql":
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_insert_only ON {table}")
        else:
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_no_update")
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_no_delete")
    if vendor == "postgresql":
        schema_editor.execute(f"DROP FUNCTION IF EXISTS {prefix}_insert_only()")
