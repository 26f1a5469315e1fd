"""python manage.py rulebook_docs [--check]: write docs/recommendations.md from the rule objects."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from core.rules.catalogue import render_markdown


def docs_path() -> Path:
    return Path(settings.BASE_DIR) / "docs" / "recommendations.md"


class Command(BaseCommand):
    help = "Generate docs/recommendations.md from the rulebook (--check: fail if the committed file is stale)."
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--check", action="store_true", help="exit non-zero if the file is out of date")

    def handle(self, *args: Any, **options: Any) -> None:
        path = docs_path()
        text = render_markdown() + "\n"
        if options["check"]:
            if not path.exists() or path.read_text(encoding="utf-8") != text:
                raise CommandError(f"{path} is stale: run python manage.py rulebook_docs")
            self.stdout.write(f"{path} is up to date")
            return
        path.write_text(text, encoding="utf-8")
        self.stdout.write(f"wrote {path}")
