from io import StringIO

import pytest
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command

from apps.accounts.models import Role, User


def run_command() -> str:
    out = StringIO()
    call_command("create_demo_users", stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_create_demo_users_creates_one_user_per_role():
    run_command()
    users = {user.username: user for user in User.objects.all()}
    assert {name: user.role for name, user in users.items()} == {
        "gp": Role.GP,
        "nurse": Role.NURSE,
        "physio": Role.PHYSIO,
        "admin": Role.ADMIN,
    }
    assert [name for name, user in users.items() if user.is_staff] == ["admin"]
    assert not any(user.is_superuser for user in users.values())


@pytest.mark.django_db
def test_create_demo_users_prints_working_passwords():
    output = run_command()
    for username in ("gp", "nurse", "physio", "admin"):
        line = next(line for line in output.splitlines() if f"  {username}  " in line)
        password = line.split()[-1]
        assert authenticate(username=username, password=password) is not None


@pytest.mark.django_db
def test_create_demo_users_second_run_updates_and_changes_passwords():
    first = run_command()
    second = run_command()
    assert User.objects.count() == 4
    assert first.splitlines()[2:] != second.splitlines()[2:]


@pytest.mark.django_db
def test_create_demo_users_refuses_in_production(settings):
    settings.DJANGO_ENV = "production"
    with pytest.raises(CommandError, match="production"):
        run_command()
    assert User.objects.count() == 0
