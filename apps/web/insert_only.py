"""Insert-only rows: written once, then only read. Two layers: a model base that refuses changes and deletion
through the ORM, and database triggers that refuse every ``UPDATE`` and ``DELETE`` whatever code or tool issues
it (raw SQL, a bug that bypasses the ORM, a database shell).

The triggers are added by migrations (assessments 0004, cdshooks 0002). A migration must do the same thing
forever, so never change what ``insert_only`` creates; if the guard has to change, write a new function and a new
migration, as ``no_replace`` is: on SQLite, ``INSERT OR REPLACE`` / ``REPLACE INTO`` (and an ``INSERT`` whose
statement or table says ``ON CONFLICT REPLACE``) removes the row it collides with without firing ``DELETE``
triggers (unless ``PRAGMA recursive_triggers`` is on), so a row could be rewritten under its own key. ``no_replace``
adds a ``BEFORE INSERT`` trigger refusing an insert whose primary key, or any other unique key, already exists
(audit 0003, assessments 0005, cdshooks 0003). PostgreSQL has no ``REPLACE``; its ``INSERT ... ON CONFLICT DO
UPDATE`` (and ``MERGE``) fire the ``UPDATE`` trigger, so it needs nothing more.

Only SQLite and PostgreSQL are supported, so any other database fails loudly rather than run
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


def no_replace(tables: dict[str, tuple[tuple[str, ...], ...]], message: str) -> migrations.RunPython:
    """A migration operation adding, on SQLite, a ``BEFORE INSERT`` trigger ``{table}_no_replace`` to each table that
    refuses (with ``message``) an insert colliding with a stored row on any of the table's unique keys: the primary
    key first, then every other ``UNIQUE`` column set, as ``{table: (("id",), ("a", "b"))}``. Without it, ``INSERT OR
    REPLACE`` deletes the stored row silently and inserts the new one. Ordinary inserts are untouched: an
    automatically numbered key never collides, and a colliding plain ``INSERT`` failed anyway (now with ``message``).
    NULLs never collide, as in a ``UNIQUE`` constraint.

    Nothing on PostgreSQL, where an upsert fires the ``UPDATE`` trigger ``insert_only`` added (a test proves it on
    both databases); any other database fails loudly, as ``insert_only`` does."""
    guard = {"tables": tables, "message": message}
    return migrations.RunPython(partial(_no_replace_forward, **guard), partial(_no_replace_reverse, **guard))


def _no_replace_forward(apps, schema_editor, *, tables: dict[str, tuple[tuple[str, ...], ...]], message: str) -> None:
    vendor = schema_editor.connection.vendor
    _check(vendor, "no_replace")
    if vendor != "sqlite":
        return
    for table, keys in tables.items():
        collides = " OR ".join(
            f"EXISTS (SELECT 1 FROM {table} WHERE " + " AND ".join(f"{c} = NEW.{c}" for c in key) + ")" for key in keys
        )
        schema_editor.execute(
            f"CREATE TRIGGER {table}_no_replace BEFORE INSERT ON {table} "
            f"WHEN {collides} BEGIN SELECT RAISE(ABORT, '{message}'); END"
        )


def _no_replace_reverse(apps, schema_editor, *, tables: dict[str, tuple[tuple[str, ...], ...]], message: str) -> None:
    vendor = schema_editor.connection.vendor
    _check(vendor, "no_replace")
    if vendor != "sqlite":
        return
    for table in tables:
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_no_replace")
