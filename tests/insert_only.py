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
