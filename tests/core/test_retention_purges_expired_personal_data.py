"""Personal data retention: purgers per data class, one audit row per run, `yiwang purge [--dry-run]`."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone

from tests.factories import make_user
from yiwang.core import retention
from yiwang.core.audit.models import AuditEvent
from yiwang.core.models import LoginLockout, LoginRecord

DAYS = {"contact": 30, "identity": 100, "location": 10, "notification": 5}


@pytest.fixture
def logins(db):
    user = make_user()
    now = timezone.now()
    ages = {"fresh": 1, "past_location": 20, "past_identity": 200}
    rows = {
        name: LoginRecord.objects.create(
            user=user, at=now - timedelta(days=age), method="password", assurance="password", client_ip="10.0.0.1"
        )
        for name, age in ages.items()
    }
    return now, rows


@pytest.fixture
def only_core_purgers():
    saved = dict(retention._registry)
    retention._registry.clear()
    retention.register_core_purgers()
    yield
    retention._registry.clear()
    retention._registry.update(saved)


@override_settings(RETENTION_DAYS=DAYS)
def test_core_purges_login_addresses_after_the_location_period_and_records_after_the_identity_period(
    logins, only_core_purgers
):
    now, rows = logins
    counts = retention.purge_expired(now)
    assert counts == {
        "core.admin_log": 0,
        "core.login_addresses": 2,
        "core.login_lockouts": 0,
        "core.login_records": 1,
    }
    assert not LoginRecord.objects.filter(pk=rows["past_identity"].pk).exists()
    assert LoginRecord.objects.get(pk=rows["past_location"].pk).client_ip is None
    assert LoginRecord.objects.get(pk=rows["fresh"].pk).client_ip == "10.0.0.1"
    event = AuditEvent.objects.get(action="core.retention.purge")
    assert "core.login_addresses=2" in event.summary["note"] and event.digest


@override_settings(RETENTION_DAYS=DAYS)
def test_each_purger_gets_the_cutoff_of_its_own_class(db, only_core_purgers):
    seen = {}
    now = timezone.now()
    for data_class in DAYS:
        retention.register_purger(
            f"test.{data_class}", data_class, lambda cutoff, c=data_class: seen.setdefault(c, cutoff) and 0
        )
    retention.purge_expired(now)
    assert {c: (now - cutoff).days for c, cutoff in seen.items()} == DAYS


@override_settings(RETENTION_DAYS=DAYS)
def test_a_dry_run_counts_but_changes_nothing_and_audits_nothing(logins, only_core_purgers):
    now, _ = logins
    counts = retention.purge_expired(now, dry_run=True)
    assert counts == {
        "core.admin_log": 0,
        "core.login_addresses": 2,
        "core.login_lockouts": 0,
        "core.login_records": 1,
    }
    assert LoginRecord.objects.count() == 3 and not LoginRecord.objects.filter(client_ip=None).exists()
    assert not AuditEvent.objects.exists()


@override_settings(RETENTION_DAYS=DAYS)
def test_a_failing_purger_rolls_the_whole_run_back(logins, only_core_purgers):
    now, _ = logins

    def broken(cutoff):
        raise RuntimeError("disk on fire")

    retention.register_purger("zz.broken", "contact", broken)
    with pytest.raises(RuntimeError):
        retention.purge_expired(now)
    assert LoginRecord.objects.count() == 3 and not AuditEvent.objects.exists()


def test_register_purger_refuses_an_unknown_class_and_replaces_by_name(only_core_purgers):
    with pytest.raises(ValueError, match="unknown retention class"):
        retention.register_purger("x", "biometrics", lambda cutoff: 0)
    retention.register_purger("core.login_records", "contact", lambda cutoff: 0)
    assert {p.name: p.data_class for p in retention.purgers()}["core.login_records"] == "contact"


@override_settings(RETENTION_DAYS=DAYS)
def test_purge_command_dry_run_and_real_run(logins, only_core_purgers):
    out = StringIO()
    call_command("purge", "--dry-run", stdout=out)
    assert "would purge 3 record(s)" in out.getvalue() and LoginRecord.objects.count() == 3
    out = StringIO()
    call_command("purge", stdout=out)
    assert "core.login_records (identity" in out.getvalue() and "purged 3 record(s)" in out.getvalue()
    assert LoginRecord.objects.count() == 2


@override_settings(RETENTION_DAYS=DAYS)
def test_lockouts_that_ended_before_the_location_period_are_deleted(db, only_core_purgers):
    now = timezone.now()
    old = LoginLockout.objects.create(
        scope="client_ip",
        key="10.0.0.1",
        label="10.0.0.*",
        started_at=now - timedelta(days=21),
        until=now - timedelta(days=20),
        failures=20,
    )
    recent = LoginLockout.objects.create(
        scope="client_ip",
        key="10.0.0.2",
        label="10.0.0.*",
        started_at=now - timedelta(days=2),
        until=now - timedelta(days=2),
        failures=20,
    )
    assert retention.purge_expired(now)["core.login_lockouts"] == 1
    assert list(LoginLockout.objects.values_list("pk", flat=True)) == [recent.pk] and old.pk != recent.pk


@override_settings(RETENTION_DAYS=DAYS)
def test_the_admin_log_is_purged_after_the_contact_period(db, only_core_purgers):
    from django.contrib.admin.models import ADDITION, LogEntry
    from django.contrib.contenttypes.models import ContentType

    user = make_user()
    now = timezone.now()
    kind = ContentType.objects.get_for_model(LoginRecord)
    for age in (10, 40):  # contact period 30 days
        entry = LogEntry.objects.create(
            user=user, content_type=kind, object_id="1", object_repr="张三", action_flag=ADDITION
        )
        LogEntry.objects.filter(pk=entry.pk).update(action_time=now - timedelta(days=age))
    counts = retention.purge_expired(now)
    assert counts["core.admin_log"] == 1
    assert [e.action_time.date() for e in LogEntry.objects.all()] == [(now - timedelta(days=10)).date()]
