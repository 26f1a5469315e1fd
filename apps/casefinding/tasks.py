"""The background import of an uploaded extract, as a Django task (``django_tasks``, the backport of Django 6's
``django.tasks``: on Django 6 only the import line changes). The task knows nothing of its backend: the embedded
default is the database backend (``django_tasks_db``, on SQLite or PostgreSQL, worked by ``manage.py db_worker``);
a region can run the same task on Celery or RQ through their backends (docs/case-finding.md)."""

from __future__ import annotations

from django_tasks import task

from . import services


@task()
def import_extract(run_id: str, paths: list[str], username: str = "") -> None:
    services.casefinding_import(run_id=run_id, paths=paths, username=username)
