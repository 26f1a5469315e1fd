"""Login lockout: LOGIN_LOCKOUT_ATTEMPTS failures for a username within LOGIN_LOCKOUT_MINUTES refuse
further logins for that username for LOGIN_LOCKOUT_MINUTES, counted from the audit log."""

from datetime import timedelta
from unittest import mock

import pytest
from django.utils import timezone

from apps.accounts.models import Role, User
from apps.audit.models import AuditEvent

pytestmark = pytest.mark.django_db

PASSWORD = "right-password-1234"
LOCKED = "Too many failed attempts. Try again in 15 minutes."


@pytest.fixture
def gp(make_user):
    return make_user("gp", role=Role.GP, password=PASSWORD)


def login(client, username, password=PASSWORD, url="/accounts/login/"):
    return client.post(url, {"username": username, "password": password})


def fail(username, *, minutes_ago, times=1):
    """Failures as if they happened earlier: the service stamps every event with its own clock (a caller cannot
    back-date one), so the clock is set back while they are written."""
    for _ in range(times):
        at(minutes_ago, event=AuditEvent.Event.LOGIN_FAILED, actor=username)


def at(minutes_ago, **fields):
    then = timezone.now() - timedelta(minutes=minutes_ago)
    with mock.patch("django.utils.timezone.now", return_value=then):
        return AuditEvent.objects.create(**fields)


def test_settings_default_to_five_attempts_in_fifteen_minutes(settings):
    assert (settings.LOGIN_LOCKOUT_ATTEMPTS, settings.LOGIN_LOCKOUT_MINUTES) == (5, 15)


def test_five_failures_then_the_right_password_is_refused(client, gp):
    for _ in range(5):
        assert login(client, "gp", "wrong-password").status_code == 200
    response = login(client, "gp")
    html = response.content.decode()
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    assert 'class="nhsuk-error-summary"' in html
    assert f'<a href="#id_username">{LOCKED}</a>' in html
    # The refusal is audited, marked as a lockout, and no login was recorded.
    latest = AuditEvent.objects.first()
    assert (latest.event, latest.actor, latest.detail) == ("login_failed", "gp", {"locked": True})
    assert not AuditEvent.objects.filter(event=AuditEvent.Event.LOGIN).exists()


def test_four_failures_do_not_lock(client, gp):
    for _ in range(4):
        login(client, "gp", "wrong-password")
    assert login(client, "gp").status_code == 302


def test_another_username_is_unaffected(client, gp, make_user):
    make_user("physio", role=Role.PHYSIO, password=PASSWORD)
    for _ in range(5):
        login(client, "gp", "wrong-password")
    assert login(client, "physio").status_code == 302


def test_failures_spread_over_more_than_the_window_do_not_lock(client, gp):
    fail("gp", minutes_ago=20)
    fail("gp", minutes_ago=4, times=4)
    assert login(client, "gp").status_code == 302


def test_login_works_again_after_the_window(client, gp):
    fail("gp", minutes_ago=16, times=5)
    assert login(client, "gp").status_code == 302


def test_lockout_lasts_the_window_from_the_last_failure(client, gp):
    fail("gp", minutes_ago=25)
    fail("gp", minutes_ago=14, times=4)  # the fifth failure within 15 minutes of the first
    assert LOCKED in login(client, "gp").content.decode()


def test_refusals_while_locked_do_not_extend_the_lockout(client, gp):
    fail("gp", minutes_ago=16, times=5)
    for _ in range(3):
        at(5, event=AuditEvent.Event.LOGIN_FAILED, actor="gp", detail={"locked": True})
    assert login(client, "gp").status_code == 302


def test_admin_login_is_locked_out_too(client, db):
    User.objects.create_superuser("boss", "boss@example.org", PASSWORD, role="admin")
    fail("boss", minutes_ago=1, times=5)
    response = login(client, "boss", url="/admin/login/?next=/admin/")
    assert response.status_code == 200
    assert LOCKED in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_thresholds_come_from_settings(client, gp, settings):
    settings.LOGIN_LOCKOUT_ATTEMPTS = 2
    settings.LOGIN_LOCKOUT_MINUTES = 30
    fail("gp", minutes_ago=25, times=2)
    assert "Try again in 30 minutes." in login(client, "gp").content.decode()


# --- concurrent guesses (found by a security review: 100 parallel POSTs, 99 wrong passwords and the right one,
# were all checked and the right one logged in; the count only saw failures already finished) ---------------------


def test_checks_still_running_count_so_no_more_than_the_limit_run_at_once(client, gp):
    from apps.audit.services import login_attempt_begin

    running = [login_attempt_begin(username="gp") for _ in range(5)]  # five password checks in progress
    assert all(running)
    assert login_attempt_begin(username="gp") is None  # a sixth, sent at the same moment, is refused unchecked
    assert LOCKED in login(client, "gp").content.decode()  # and so is the right password, through the form
    assert login_attempt_begin(username="physio") is not None  # other usernames are unaffected


def test_a_finished_check_frees_its_place_and_a_failure_stays_counted(client, gp):
    from apps.audit.models import LoginAttempt

    for _ in range(4):
        login(client, "gp", "wrong-password")
    assert not LoginAttempt.objects.exists()  # every check removed its reservation when it ended
    assert login(client, "gp").status_code == 302  # four failures: the right password still logs in
    assert not LoginAttempt.objects.exists()


def test_a_reservation_left_by_a_dead_process_expires(gp):
    from apps.audit.models import LoginAttempt
    from apps.audit.services import login_attempt_begin

    for _ in range(5):
        LoginAttempt.objects.create(username="gp", started_at=timezone.now() - timedelta(minutes=2))
    assert login_attempt_begin(username="gp") is not None


@pytest.mark.django_db(transaction=True)
def test_parallel_guesses_check_at_most_the_limit(gp, monkeypatch):
    """Twenty logins at once, each password check slowed as a real hash is: at most five are checked."""
    import threading
    import time

    from django.db import connection
    from django.test import Client

    if connection.vendor == "sqlite" and connection.settings_dict["NAME"].startswith(("file:memorydb", ":memory:")):
        pytest.skip("an in-memory SQLite test database cannot be written from several threads; PostgreSQL runs it")
    import django.contrib.auth.forms as auth_forms

    real, checked, lock = auth_forms.authenticate, [], threading.Lock()

    def slow(*args, **kwargs):
        with lock:
            checked.append(1)
        time.sleep(0.3)
        return real(*args, **kwargs)

    monkeypatch.setattr(auth_forms, "authenticate", slow)
    start = threading.Barrier(20)

    def guess():
        c = Client()
        start.wait()
        c.post("/accounts/login/", {"username": "gp", "password": "wrong-password"})
        connection.close()

    threads = [threading.Thread(target=guess) for _ in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert 1 <= len(checked) <= 5
