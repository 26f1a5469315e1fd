"""Fixtures shared by the whole suite."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from apps.accounts.models import Role, User


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings):
    # Speed only: the real hasher is deliberately slow, and tests create many users.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    # The rate limits count in the (per-process) cache: every test starts with none used.
    from django.core.cache import cache

    cache.clear()


IMMEDIATE_TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture(autouse=True)
def _tasks_run_at_once(settings, tmp_path):
    # A background task (the case-finding import) runs inside the request unless a test asks for the database
    # backend and a worker (tests/casefinding/test_background.py); uploads wait in the test's own folder.
    settings.TASKS = IMMEDIATE_TASKS
    settings.CASEFINDING_UPLOAD_DIR = str(tmp_path / "uploads")


@pytest.fixture
def make_user(db) -> Callable[..., User]:
    """Build and save a user; every account needs a role."""

    def _make_user(username: str = "clinician", *, role: str = Role.GP, password: str = "pw-for-tests-only") -> User:
        return User.objects.create_user(username=username, password=password, role=role)

    return _make_user
