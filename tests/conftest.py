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


@pytest.fixture
def make_user(db) -> Callable[..., User]:
    """Build and save a user; every account needs a role."""

    def _make_user(username: str = "clinician", *, role: str = Role.GP, password: str = "pw-for-tests-only") -> User:
        return User.objects.create_user(username=username, password=password, role=role)

    return _make_user
