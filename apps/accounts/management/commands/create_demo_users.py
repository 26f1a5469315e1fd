"""Create or refresh one demonstration account per role, for local development only."""

import secrets

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from apps.accounts.models import Role, User

# Usernames match the role values, so the README can say "log in as gp".
DEMO_USERNAMES = {
    Role.GP: "gp",
    Role.NURSE: "nurse",
    Role.PHYSIO: "physio",
    Role.ADMIN: "admin",
}


class Command(BaseCommand):
    help = (
        "Create or update the demo accounts gp, nurse, physio and admin with fresh random "
        "passwords, and print them. Refuses to run when DJANGO_ENV=production."
    )

    def handle(self, *args, **options):
        if settings.DJANGO_ENV == "production":
            raise CommandError("create_demo_users refuses to run when DJANGO_ENV=production.")

        rows = []
        for role, username in DEMO_USERNAMES.items():
            password = secrets.token_urlsafe(12)
            user, _created = User.objects.update_or_create(
                username=username,
                defaults={
                    "role": role,
                    "first_name": "Demo",
                    "last_name": role.label,
                    "is_staff": role == Role.ADMIN,
                    "is_active": True,
                },
            )
            user.set_password(password)
            user.save(update_fields=["password"])
            rows.append((role.label, username, password))

        headers = ("Role", "Username", "Password")
        widths = [max(len(row[i]) for row in [headers, *rows]) for i in range(3)]
        line = "  ".join(f"{{:<{width}}}" for width in widths)
        self.stdout.write("Demo accounts (passwords change every run):")
        self.stdout.write(line.format(*headers))
        self.stdout.write(line.format(*("-" * width for width in widths)))
        for row in rows:
            self.stdout.write(line.format(*row))
