import logging
from datetime import timedelta

import pytest
from django.utils import timezone

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


def test_retry_job_and_purger_are_registered_with_the_platform():
    from yiwang.core.periodic import registered_jobs
    from yiwang.core.retention import purgers

    jobs = {job.name: job for job in registered_jobs()}
    assert jobs["notify.retry_due"].every_seconds == hooks_every()
    assert any(p.name == "notify.notifications" and p.fn is purge_personal_data for p in purgers())
    assert [p.data_class for p in purgers() if p.name == "notify.notifications"] == ["notification"]


def hooks_every():
    from yiwang.core.notify.jobs import RETRY_EVERY_SECONDS

    return RETRY_EVERY_SECONDS


@pytest.mark.django_db
def test_retry_job_sends_due_messages(sent, system):
    from yiwang.core.notify.jobs import retry_notifications

    row = notify(system, channel="sms", address="13900001111", subject="s", body="b")
    Notification.objects.filter(pk=row.pk).update(next_attempt_at=timezone.now() - timedelta(seconds=1))
    assert retry_notifications() == "1 sent"
    assert [pk for pk, _to, _t in sent] == [row.pk]
