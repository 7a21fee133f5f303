from datetime import timedelta

import pytest
from django.utils import timezone

from tests.notify import recording
from yiwang.core.audit.models import AuditEvent
from yiwang.core.notify.models import Notification, Status
from yiwang.core.notify.services import backoff, deliver, due_for_retry, notify, retry_due


def _queue(system, **kw):
    return notify(system, channel="sms", address="13900001111", subject="s", body="b", **kw)


@pytest.mark.django_db
def test_failure_is_recorded_then_the_periodic_retry_sends_it(sent, system, gateway_down):
    row = _queue(system)
    assert deliver(row.pk) is False
    row.refresh_from_db()
    assert row.status == Status.FAILED
    assert row.attempts == 1
    assert row.last_error == "gateway timeout"
    assert row.next_attempt_at > timezone.now()

    # not due yet: the retry job leaves it alone
    assert retry_due() == 0
    assert row.pk not in list(due_for_retry().values_list("pk", flat=True))

    recording.FAIL["on"] = False
    later = row.next_attempt_at + timedelta(seconds=1)
    assert retry_due(now=later) == 1
    row.refresh_from_db()
    assert row.status == Status.SENT and row.attempts == 2 and row.last_error == ""
    assert [pk for pk, _to, _t in sent] == [row.pk]
    outcomes = list(
        AuditEvent.objects.filter(action="notify.notification.deliver", object_id=str(row.pk))
        .order_by("seq")
        .values_list("summary", flat=True)
    )
    assert [o["after"]["status"] for o in outcomes] == ["failed", "sent"]


def test_backoff_doubles_and_is_capped(settings):
    settings.NOTIFY = {**settings.NOTIFY, "RETRY_BASE_SECONDS": 60, "RETRY_MAX_SECONDS": 600}
    waits = [backoff(n).total_seconds() for n in range(1, 7)]
    assert waits == [60, 120, 240, 480, 600, 600]


@pytest.mark.django_db
def test_gives_up_after_max_attempts(sent, system, gateway_down, settings):
    settings.NOTIFY = {**settings.NOTIFY, "MAX_ATTEMPTS": 3}
    row = _queue(system)
    far = timezone.now() + timedelta(days=2)
    deliver(row.pk)
    retry_due(now=far)
    retry_due(now=far)
    row.refresh_from_db()
    assert row.attempts == 3 and row.status == Status.FAILED and row.next_attempt_at is None
    assert retry_due(now=far + timedelta(days=1)) == 0
    assert Notification.objects.get(pk=row.pk).attempts == 3


@pytest.mark.django_db
def test_a_sent_message_is_never_sent_again(sent, system):
    row = _queue(system)
    assert deliver(row.pk) is True
    assert deliver(row.pk) is False
    assert retry_due(now=timezone.now() + timedelta(days=1)) == 0
    assert len(sent) == 1


@pytest.mark.django_db
def test_queued_message_lost_before_delivery_is_picked_up_by_the_retry_job(sent, system):
    row = _queue(system)  # on_commit never ran (the process died)
    assert retry_due() == 0  # within the grace period the after-commit delivery still owns it
    assert retry_due(now=timezone.now() + timedelta(minutes=5)) == 1
    assert [pk for pk, _to, _t in sent] == [row.pk]


@pytest.mark.django_db
def test_adapter_bug_counts_as_a_failed_attempt(settings, system):
    settings.NOTIFY = {**settings.NOTIFY, "ADAPTERS": {**settings.NOTIFY["ADAPTERS"], "sms": "builtins.object"}}
    row = _queue(system)
    assert deliver(row.pk) is False
    row.refresh_from_db()
    assert row.status == Status.FAILED and row.attempts == 1 and row.last_error
