"""Write the readability table of the patient resources into docs/resources.md (a test fails when it is stale)."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from apps.resources.readability import table_markdown

START = "<!-- readability:start (manage.py resources_docs) -->"
END = "<!-- readability:end -->"
DOC = Path(settings.BASE_DIR) / "docs" / "resources.md"


def with_table(text: str) -> str:
    if START not in text or END not in text:
        raise CommandError(f"{DOC} has no readability markers")
    head, rest = text.split(START, 1)
    _old, tail = rest.split(END, 1)
    return f"{head}{START}\n{table_markdown()}\n{END}{tail}"


class Command(BaseCommand):
    help = "Write the readability table into docs/resources.md."

    def handle(self, *args, **options):
        DOC.write_text(with_table(DOC.read_text()))
        self.stdout.write(f"wrote {DOC}")
