"""Settings are read once per process, so each environment is tried in a fresh interpreter."""

from __future__ import annotations

import json
import os
import secrets
import string
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model

from apps.accounts.models import User

REPO_ROOT = Path(__file__).resolve().parents[2]

PRODUCTION_ENV = {
    "DJANGO_ENV": "production",
    "DJANGO_ALLOWED_HOSTS": "example.org",
}

SETTINGS_NAMES = [
    "DEBUG",
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "DATABASES",
    "SECURE_SSL_REDIRECT",
    "SESSION_COOKIE_SECURE",
    "CSRF_COOKIE_SECURE",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
    "SECURE_REFERRER_POLICY",
    "SECURE_CROSS_ORIGIN_OPENER_POLICY",
    "X_FRAME_OPTIONS",
    "MIDDLEWARE",
    "STORAGES",
]


def random_secret_key() -> str:
    alphabet = string.ascii_letters + string.digits + "!@#%^&*(-_=+)"
    return "".join(secrets.choice(alphabet) for _ in range(50))


def clean_environ(**overrides: str) -> dict[str, str]:
    """The current environment without any setting variables, plus the given ones."""
    names = ("DJANGO_", "DATABASE_URL", "SQLITE_PATH")
    environ = {k: v for k, v in os.environ.items() if not k.startswith(names)}
    environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    environ.update(overrides)
    return environ


def run_python(code: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=REPO_ROOT,
        env=clean_environ(**env),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def load_settings(**env: str) -> dict:
    code = (
        "import json, sys\n"
        "import config.settings as s\n"
        f"names = {SETTINGS_NAMES!r}\n"
        "out = {n: getattr(s, n, None) for n in names}\n"
        "out['imports_rules'] = any(m.startswith('core.rules') for m in sys.modules)\n"
        "print(json.dumps(out, default=str))\n"
    )
    result = run_python(code, **env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def settings_error(**env: str) -> str:
    result = run_python("import config.settings", **env)
    assert result.returncode != 0
    return result.stderr


@pytest.mark.slow
def test_settings_development_defaults_are_debug_and_sqlite():
    loaded = load_settings()
    assert loaded["DEBUG"] is True
    assert loaded["SECRET_KEY"].startswith("django-insecure-")
    assert loaded["DATABASES"]["default"]["ENGINE"] == "django.db.backends.sqlite3"
    assert loaded["DATABASES"]["default"]["NAME"] == str(REPO_ROOT / "db.sqlite3")
    assert loaded["STORAGES"]["staticfiles"]["BACKEND"].endswith("StaticFilesStorage")
    assert "whitenoise.middleware.WhiteNoiseMiddleware" not in loaded["MIDDLEWARE"]


@pytest.mark.slow
def test_settings_development_debug_false_when_django_debug_false():
    assert load_settings(DJANGO_DEBUG="false")["DEBUG"] is False


@pytest.mark.slow
def test_settings_sqlite_path_overrides_database_file(tmp_path):
    path = str(tmp_path / "other.sqlite3")
    assert load_settings(SQLITE_PATH=path)["DATABASES"]["default"]["NAME"] == path


@pytest.mark.slow
@pytest.mark.parametrize("source", ["default", "url"])
def test_a_sqlite_database_has_wal_and_immediate_transactions_however_it_is_named(tmp_path, source):
    """The audit chain numbers events one at a time on SQLite only with IMMEDIATE transactions (docs/audit.md); a
    SQLite file named by DATABASE_URL must get the same options as the default one, checked on a live connection."""
    path = tmp_path / "db.sqlite3"
    env = {"SQLITE_PATH": str(path)} if source == "default" else {"DATABASE_URL": f"sqlite:///{path}"}
    code = (
        "import django; django.setup()\n"
        "from django.db import connection\n"
        "with connection.cursor() as c:\n"
        "    mode = c.execute('PRAGMA journal_mode').fetchone()[0]\n"
        "    sync = c.execute('PRAGMA synchronous').fetchone()[0]\n"
        "print(mode, sync, connection.settings_dict['OPTIONS'].get('transaction_mode'))\n"
    )
    result = run_python(code, **env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["wal", "1", "IMMEDIATE"]  # synchronous 1 is NORMAL


@pytest.mark.slow
def test_settings_database_url_selects_postgresql():
    loaded = load_settings(DATABASE_URL="postgres://u:p@db.example:5433/spineprompt")
    database = loaded["DATABASES"]["default"]
    assert database["ENGINE"] == "django.db.backends.postgresql"
    assert (database["HOST"], database["PORT"], database["NAME"]) == (
        "db.example",
        5433,
        "spineprompt",
    )


@pytest.mark.slow
def test_settings_do_not_import_rules_package():
    assert load_settings()["imports_rules"] is False


@pytest.mark.slow
def test_settings_production_without_secret_key_names_the_variable():
    assert "DJANGO_SECRET_KEY" in settings_error(**PRODUCTION_ENV)


@pytest.mark.slow
def test_settings_production_without_allowed_hosts_names_the_variable():
    error = settings_error(DJANGO_ENV="production", DJANGO_SECRET_KEY=random_secret_key())
    assert "DJANGO_ALLOWED_HOSTS" in error


@pytest.mark.slow
def test_settings_production_with_debug_true_is_refused():
    error = settings_error(**PRODUCTION_ENV, DJANGO_SECRET_KEY=random_secret_key(), DJANGO_DEBUG="1")
    assert "DJANGO_DEBUG" in error


@pytest.mark.slow
def test_settings_unknown_environment_names_the_variable():
    assert "DJANGO_ENV" in settings_error(DJANGO_ENV="staging")


@pytest.mark.slow
def test_settings_production_turns_on_transport_security():
    loaded = load_settings(**PRODUCTION_ENV, DJANGO_SECRET_KEY=random_secret_key())
    assert loaded["DEBUG"] is False
    assert loaded["ALLOWED_HOSTS"] == ["example.org"]
    assert loaded["SECURE_SSL_REDIRECT"] is True
    assert loaded["SESSION_COOKIE_SECURE"] is True
    assert loaded["CSRF_COOKIE_SECURE"] is True
    assert loaded["SECURE_HSTS_SECONDS"] == 31536000
    assert loaded["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is True
    assert loaded["SECURE_HSTS_PRELOAD"] is True
    assert loaded["SECURE_REFERRER_POLICY"] == "same-origin"
    assert loaded["SECURE_CROSS_ORIGIN_OPENER_POLICY"] == "same-origin"
    assert loaded["X_FRAME_OPTIONS"] == "DENY"
    assert "whitenoise.middleware.WhiteNoiseMiddleware" in loaded["MIDDLEWARE"]
    assert loaded["STORAGES"]["staticfiles"]["BACKEND"] == "config.storage.StaticStorage"


@pytest.mark.slow
def test_check_deploy_with_production_env_reports_no_issues():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=REPO_ROOT,
        env=clean_environ(**PRODUCTION_ENV, DJANGO_SECRET_KEY=random_secret_key()),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "System check identified no issues" in output, output


def test_settings_session_idle_timeout_is_thirty_minutes():
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    assert settings.SESSION_SAVE_EVERY_REQUEST is True
    assert settings.SESSION_COOKIE_HTTPONLY is True


def test_settings_locale_is_uk():
    assert (settings.LANGUAGE_CODE, settings.TIME_ZONE, settings.USE_TZ) == (
        "en-gb",
        "Europe/London",
        True,
    )


def test_auth_user_model_is_accounts_user():
    assert settings.AUTH_USER_MODEL == "accounts.User"
    assert get_user_model() is User
