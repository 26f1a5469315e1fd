"""python manage.py casefind_purge: delete case-finding runs older than CASEFINDING_RETENTION_DAYS (for cron)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

from apps.casefinding.services import casefinding_purge


class Command(BaseCommand):
    help = "Delete case-finding runs (and their worklists) older than CASEFINDING_RETENTION_DAYS. Run it daily."

    def handle(self, *args: Any, **options: Any) -> None:
        n = casefinding_purge()
        self.stdout.write(f"Deleted {n} run(s) older than {settings.CASEFINDING_RETENTION_DAYS} days.")
