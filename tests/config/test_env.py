import pytest
from django.core.exceptions import ImproperlyConfigured

from config.env import env_bool, env_list, env_str


def test_env_str_missing_required_names_the_variable():
    with pytest.raises(ImproperlyConfigured, match="DJANGO_SECRET_KEY"):
        env_str("DJANGO_SECRET_KEY", environ={})


def test_env_str_empty_required_names_the_variable():
    with pytest.raises(ImproperlyConfigured, match="DJANGO_SECRET_KEY"):
        env_str("DJANGO_SECRET_KEY", environ={"DJANGO_SECRET_KEY": ""})


def test_env_str_missing_optional_returns_default():
    assert env_str("SQLITE_PATH", "db.sqlite3", environ={}) == "db.sqlite3"


def test_env_str_set_returns_value():
    assert env_str("SQLITE_PATH", "db.sqlite3", environ={"SQLITE_PATH": "/tmp/x"}) == "/tmp/x"


def test_env_str_value_outside_choices_names_the_variable():
    with pytest.raises(ImproperlyConfigured, match="DJANGO_ENV.*'staging'"):
        env_str(
            "DJANGO_ENV",
            "development",
            choices=("development", "production"),
            environ={"DJANGO_ENV": "staging"},
        )


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("true", True), ("TRUE", True), ("1", True), ("false", False), ("False", False), ("0", False)],
)
def test_env_bool_accepts_strict_values(raw, expected):
    assert env_bool("DJANGO_DEBUG", environ={"DJANGO_DEBUG": raw}) is expected


@pytest.mark.parametrize("raw", ["yes", "no", "on", "off", "ture", "2"])
def test_env_bool_malformed_names_the_variable(raw):
    with pytest.raises(ImproperlyConfigured, match="DJANGO_DEBUG"):
        env_bool("DJANGO_DEBUG", environ={"DJANGO_DEBUG": raw})


def test_env_bool_missing_required_names_the_variable():
    with pytest.raises(ImproperlyConfigured, match="DJANGO_DEBUG"):
        env_bool("DJANGO_DEBUG", environ={})


def test_env_bool_missing_optional_returns_default():
    assert env_bool("DJANGO_DEBUG", False, environ={}) is False


def test_env_list_splits_and_strips_items():
    environ = {"DJANGO_ALLOWED_HOSTS": " example.org, www.example.org ,,"}
    assert env_list("DJANGO_ALLOWED_HOSTS", environ=environ) == ["example.org", "www.example.org"]


def test_env_list_missing_required_names_the_variable():
    with pytest.raises(ImproperlyConfigured, match="DJANGO_ALLOWED_HOSTS"):
        env_list("DJANGO_ALLOWED_HOSTS", environ={})


def test_env_list_required_but_empty_names_the_variable():
    with pytest.raises(ImproperlyConfigured, match="DJANGO_ALLOWED_HOSTS"):
        env_list("DJANGO_ALLOWED_HOSTS", environ={"DJANGO_ALLOWED_HOSTS": " , "})


def test_env_list_missing_optional_returns_copy_of_default():
    default = ["localhost"]
    result = env_list("DJANGO_ALLOWED_HOSTS", default, environ={})
    assert result == ["localhost"]
    assert result is not default


def test_env_int():
    from django.core.exceptions import ImproperlyConfigured

    from config.env import env_int

    assert env_int("N", 30, environ={}) == 30
    assert env_int("N", 30, environ={"N": " 7 "}) == 7
    with pytest.raises(ImproperlyConfigured, match="N must be a whole number"):
        env_int("N", 30, environ={"N": "7 days"})
    with pytest.raises(ImproperlyConfigured, match="N must be at least 1"):
        env_int("N", 30, minimum=1, environ={"N": "0"})
    with pytest.raises(ImproperlyConfigured, match="N must be at most 5"):
        env_int("N", 3, maximum=5, environ={"N": "6"})
    with pytest.raises(ImproperlyConfigured, match=r"N must be between 1 and 5 \(got 9\)"):
        env_int("N", 3, minimum=1, maximum=5, environ={"N": "9"})
    with pytest.raises(ImproperlyConfigured, match="Set the N environment variable"):
        env_int("N", environ={})
