"""Failed password logins are recorded (masked) and throttled per username and per client address."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.factories import make_user
from yiwang.core.audit.models import AuditEvent
from yiwang.core.identity import throttle
from yiwang.core.models import LoginLockout, LoginRecord

PASSWORD = "pw-long-enough-1"
LIMITS = {"FAILURES": 5, "IP_FAILURES": 20, "WINDOW_MINUTES": 15, "COOLDOWN_MINUTES": 15}


@pytest.fixture(autouse=True)
def limits(settings):
    settings.LOGIN_THROTTLE = LIMITS


@pytest.fixture
def clock(monkeypatch):
    """The throttle's clock, movable: ``clock.advance(minutes=16)``."""

    class Clock:
        offset = timedelta()

        def advance(self, **delta):
            self.offset += timedelta(**delta)

    moved = Clock()
    monkeypatch.setattr(throttle, "now", lambda: timezone.now() + moved.offset)
    return moved


def attempt(client, username, password, ip="10.1.2.3"):
    return client.post("/accounts/login/", {"username": username, "password": password}, REMOTE_ADDR=ip)


def logged_in(client) -> bool:
    return "_auth_user_id" in client.session


@pytest.mark.django_db
def test_the_sixth_attempt_is_refused_even_with_the_right_password_and_works_after_the_cool_down(client, clock):
    make_user(username="disp", password=PASSWORD)
    for _ in range(5):
        assert attempt(client, "disp", "wrong").status_code == 200
    response = attempt(client, "disp", PASSWORD)
    assert response.status_code == 200 and not logged_in(client)
    assert "Too many failed logins" in response.content.decode()
    clock.advance(minutes=14)
    attempt(client, "disp", PASSWORD)
    assert not logged_in(client)
    clock.advance(minutes=2)
    assert attempt(client, "disp", PASSWORD).status_code == 302 and logged_in(client)


@pytest.mark.django_db
def test_four_failures_do_not_lock_and_a_success_ends_the_run(client):
    make_user(username="disp", password=PASSWORD)
    for _ in range(4):
        attempt(client, "disp", "wrong")
    assert attempt(client, "disp", PASSWORD).status_code == 302
    client.logout()
    for _ in range(4):
        attempt(client, "disp", "wrong")
    assert not LoginLockout.objects.exists()
    assert attempt(client, "disp", PASSWORD).status_code == 302


@pytest.mark.django_db
def test_failures_older_than_the_window_do_not_count(client, clock):
    make_user(username="disp", password=PASSWORD)
    for _ in range(4):
        attempt(client, "disp", "wrong")
    clock.advance(minutes=16)
    attempt(client, "disp", "wrong")
    assert attempt(client, "disp", PASSWORD).status_code == 302


@pytest.mark.django_db
def test_each_attempt_is_recorded_with_the_username_masked_and_the_address(client):
    make_user(username="dispatcher7", password=PASSWORD)
    attempt(client, "dispatcher7", "wrong", ip="10.1.2.3")
    attempt(client, "nobody-here", "wrong", ip="10.9.9.9")
    rows = list(LoginRecord.objects.order_by("at").values_list("outcome", "username_masked", "client_ip", "user"))
    assert rows == [("failed", "d***7", "10.1.2.3", None), ("failed", "n***e", "10.9.9.9", None)]
    assert not LoginRecord.objects.filter(username_masked__contains="dispatcher7").exists()
    assert all(
        len(key) == 64 and "dispatcher" not in key for key in LoginRecord.objects.values_list("username_key", flat=True)
    )


@pytest.mark.django_db
def test_attempts_during_a_lockout_are_recorded_as_refused_not_as_more_failures(client):
    make_user(username="disp", password=PASSWORD)
    for _ in range(5):
        attempt(client, "disp", "wrong")
    attempt(client, "disp", PASSWORD)
    attempt(client, "disp", "wrong")
    outcomes = list(LoginRecord.objects.order_by("at").values_list("outcome", flat=True))
    assert outcomes == ["failed"] * 5 + ["locked_out"] * 2
    assert LoginLockout.objects.count() == 1


@pytest.mark.django_db
def test_a_lockout_writes_one_audit_row_with_masked_values(client):
    make_user(username="disp", password=PASSWORD)
    for _ in range(5):
        attempt(client, "disp", "wrong", ip="10.1.2.3")
    lockout = LoginLockout.objects.get()
    assert (lockout.scope, lockout.label, lockout.failures) == ("username", "d***p", 5)
    event = AuditEvent.objects.get(action="core.login.lockout")
    assert event.object_id == str(lockout.pk)
    assert event.summary["after"]["who"] == "d***p" and event.summary["after"]["failures"] == 5
    assert 'disp"' not in str(event.summary)


@pytest.mark.django_db
def test_other_users_are_unaffected_by_one_users_lockout(client):
    make_user(username="disp", password=PASSWORD)
    make_user(username="other", password=PASSWORD)
    for _ in range(6):
        attempt(client, "disp", "wrong")
    assert attempt(client, "other", PASSWORD).status_code == 302 and logged_in(client)


@pytest.mark.django_db
def test_the_username_is_counted_case_insensitively(client):
    make_user(username="disp", password=PASSWORD)
    for name in ("disp", "DISP", "Disp ", "dIsp", "disP"):
        attempt(client, name, "wrong")
    attempt(client, "disp", PASSWORD)
    assert not logged_in(client)


@pytest.mark.django_db
def test_many_failures_from_one_address_lock_that_address_out_for_every_username(client, settings):
    settings.LOGIN_THROTTLE = {**LIMITS, "IP_FAILURES": 8}
    make_user(username="victim", password=PASSWORD)
    for n in range(8):
        attempt(client, f"guess{n}", "wrong", ip="203.0.113.9")
    lockout = LoginLockout.objects.get(scope="client_ip")
    assert lockout.key == "203.0.113.9" and lockout.label == "203.0.113.*"
    attempt(client, "victim", PASSWORD, ip="203.0.113.9")
    assert not logged_in(client)
    assert attempt(client, "victim", PASSWORD, ip="198.51.100.4").status_code == 302


@pytest.mark.django_db
def test_the_lockout_counts_are_in_the_database_not_in_process_memory(client):
    make_user(username="disp", password=PASSWORD)
    for _ in range(5):
        attempt(client, "disp", "wrong")
    # another gunicorn process knows nothing but the database: the lockout is read from it
    assert throttle.active_lockout("disp", None) == LoginLockout.objects.get()
    LoginLockout.objects.all().delete()
    assert throttle.active_lockout("disp", None) is None


@pytest.mark.django_db
def test_the_back_office_login_counts_and_honours_the_same_lockout(client):
    make_user(username="admin1", password=PASSWORD, is_staff=True, is_superuser=True)
    for _ in range(3):
        client.post("/admin/login/", {"username": "admin1", "password": "wrong"}, REMOTE_ADDR="10.1.2.3")
    for _ in range(2):
        attempt(client, "admin1", "wrong")
    response = client.post("/admin/login/", {"username": "admin1", "password": PASSWORD}, REMOTE_ADDR="10.1.2.3")
    assert "Too many failed logins" in response.content.decode() and not logged_in(client)
    assert LoginRecord.objects.filter(outcome="failed").count() == 5


@pytest.mark.django_db
def test_the_right_password_of_a_non_staff_user_at_the_back_office_is_not_a_failure(client):
    make_user(username="resident1", password=PASSWORD)
    client.post("/admin/login/", {"username": "resident1", "password": PASSWORD}, REMOTE_ADDR="10.1.2.3")
    assert not LoginRecord.objects.filter(outcome="failed").exists()
