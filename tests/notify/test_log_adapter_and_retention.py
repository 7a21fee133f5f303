import logging
from datetime import timedelta

import pytest
from django.utils import timezone

from yiwang.core.notify import hooks
from yiwang.core.notify.models import Notification
from yiwang.core.notify.services import deliver, notify, purge_personal_data


@pytest.mark.django_db
def test_log_adapter_prints_the_clickable_link_and_masks_the_phone(settings, system, caplog):
    settings.NOTIFY = {**settings.NOTIFY, "ADAPTERS": {"sms": "yiwang.core.notify.adapters.LogAdapter"}}
    row = notify(system, channel="sms", address="13912345678", subject="Confirm", body="Please confirm.", ack=True)
    with caplog.at_level(logging.INFO, logger="yiwang.notify"):
        assert deliver(row.pk) is True
    assert row.ack_url in caplog.text
    assert "139****5678" in caplog.text and "13912345678" not in caplog.text


@pytest.mark.django_db
def test_email_adapter_sends_through_djangos_mail_api(settings, system, mailoutbox):
    row = notify(system, channel="email", address="wang@example.com", subject="Hello", body="Text", ack=True)
    assert deliver(row.pk) is True
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["wang@example.com"]
    assert row.ack_url in mailoutbox[0].body


@pytest.mark.django_db
def test_purger_blanks_old_addresses_bodies_and_tokens_only(sent, system):
    old = notify(system, channel="sms", address="13912345678", subject="old", body="old body", ack=True)
    new = notify(system, channel="sms", address="13912345679", subject="new", body="new body", ack=True)
    Notification.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=400))
    assert purge_personal_data(timezone.now() - timedelta(days=365)) == 1
    old.refresh_from_db()
    new.refresh_from_db()
    assert (old.address, old.body, old.ack_token) == ("", "", None) and old.purged_at is not None
    assert old.subject == "old"  # statistics keep channel, subject line, status
    assert (new.address, new.body) == ("13912345679", "new body") and new.ack_token
    assert purge_personal_data(timezone.now() - timedelta(days=365)) == 0


def test_hooks_register_when_the_platform_modules_exist(monkeypatch):
    import sys
    import types

    jobs, purgers = [], []
    periodic_mod = types.ModuleType("yiwang.core.periodic")
    periodic_mod.periodic = lambda name, every: lambda fn: jobs.append((name, every, fn)) or fn
    retention_mod = types.ModuleType("yiwang.core.retention")
    retention_mod.register_purger = lambda name, cls, fn: purgers.append((name, cls, fn))
    monkeypatch.setitem(sys.modules, "yiwang.core.periodic", periodic_mod)
    monkeypatch.setitem(sys.modules, "yiwang.core.retention", retention_mod)
    assert hooks.register_periodic_jobs() and hooks.register_retention_purger()
    assert jobs[0][0] == "notify.retry_due" and jobs[0][1] == 60
    assert purgers[0][:2] == ("notify.notifications", "notification")
    assert purgers[0][2] is purge_personal_data
