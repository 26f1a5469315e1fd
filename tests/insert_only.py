"""Checks shared by the apps' ``test_insert_only.py``: raw SQL cannot change or remove a guarded table's rows."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, connection, transaction


def assert_raw_update_refused(model, field: str, message: str) -> None:
    """``UPDATE`` of ``field`` on every row fails with ``message`` and changes nothing."""
    table, column = model._meta.db_table, model._meta.get_field(field).column
    before = list(model.objects.values_list(column, flat=True).order_by("pk"))
    assert before, f"no {model.__name__} rows to try"
    # atomic(): on PostgreSQL the failed statement aborts the transaction; the savepoint contains it.
    with pytest.raises(DatabaseError, match=message), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET {column} = %s", ["changed"])
    assert list(model.objects.values_list(column, flat=True).order_by("pk")) == before


def assert_raw_delete_refused(model, message: str) -> None:
    """``DELETE`` of every row fails with ``message`` and removes nothing."""
    count = model.objects.count()
    assert count, f"no {model.__name__} rows to try"
    with pytest.raises(DatabaseError, match=message), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {model._meta.db_table}")
    assert model.objects.count() == count


def assert_raw_replace_refused(model, field: str, value, message: str, *, key: tuple[str, ...] = ()) -> None:
    """An insert that collides with the first stored row, on its primary key or on the unique ``key`` (field names;
    the new row then gets a fresh primary key), and asks to replace it or update it instead, fails with ``message``
    and leaves every row as it was. The row inserted is the stored one with ``field`` set to ``value`` (a valid value,
    so a CHECK constraint cannot be what refuses it).

    SQLite: ``INSERT OR REPLACE``, ``REPLACE INTO`` (they delete the stored row without firing DELETE triggers) and
    ``INSERT ... ON CONFLICT DO UPDATE``; PostgreSQL: ``INSERT ... ON CONFLICT DO UPDATE`` (it has no REPLACE)."""
    table, pk = model._meta.db_table, model._meta.pk.column
    target = model._meta.get_field(field).column
    conflict = [model._meta.get_field(name).column for name in key] or [pk]
    columns = [f.column for f in model._meta.concrete_fields if key == () or f.column != pk]
    row = model.objects.order_by("pk").first()
    assert row is not None, f"no {model.__name__} rows to try"
    before = list(model.objects.values_list("pk", target).order_by("pk"))
    names = ", ".join(columns)
    values = ", ".join("%s" if c == target else c for c in columns)
    select = f"({names}) SELECT {values} FROM {table} WHERE {pk} = %s"
    upsert = (
        f"INSERT INTO {table} {select} ON CONFLICT ({', '.join(conflict)}) DO UPDATE SET {target} = excluded.{target}"
    )
    statements = [upsert]
    if connection.vendor == "sqlite":
        statements += [f"INSERT OR REPLACE INTO {table} {select}", f"REPLACE INTO {table} {select}"]
    for statement in statements:
        with pytest.raises(DatabaseError, match=message), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(statement, [value, model._meta.pk.get_db_prep_value(row.pk, connection)])
        assert list(model.objects.values_list("pk", target).order_by("pk")) == before, statement
