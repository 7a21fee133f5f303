"""A batch action queues many messages in one transaction (the Open311 drainer: one per report with a
phone number): after its commit they are delivered together — claimed together, their outcomes and
audit rows written in one transaction — each still sent once, audited once, on a chain that verifies."""

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.notify import recording
from yiwang.core.audit.models import AuditEvent
from yiwang.core.audit.verify import verify
from yiwang.core.notify.models import Notification, Status
from yiwang.core.notify.services import _claim, deliver_many, due_for_retry, notify

pytestmark = pytest.mark.django_db


def _queue_many(system, n):
    with transaction.atomic():
        return [notify(system, channel="sms", address=f"1390000{k:04d}", subject="s", body=f"b{k}") for k in range(n)]


def _delivered_after_commit(system, n, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        rows = _queue_many(system, n)
    with CaptureQueriesContext(connection) as queries:
        for callback in callbacks:
            callback()
    return rows, len(queries)


def test_many_messages_of_one_commit_go_out_in_one_delivery(sent, system, django_capture_on_commit_callbacks):
    _rows, few = _delivered_after_commit(system, 2, django_capture_on_commit_callbacks)
    sent.clear()
    rows, many = _delivered_after_commit(system, 30, django_capture_on_commit_callbacks)
    assert many == few  # the same statements for 30 messages as for 2 (one by one: ~6 each)
    assert [pk for pk, _to, _text in sent] == [r.pk for r in rows]  # each once, in order
    stored = Notification.objects.filter(pk__in=[r.pk for r in rows])
    assert {(n.status, n.attempts) for n in stored} == {(Status.SENT, 1)}
    audited = AuditEvent.objects.filter(action="notify.notification.deliver", object_id__in=[str(r.pk) for r in rows])
    assert audited.count() == 30
    assert verify().ok


def test_a_message_of_a_rolled_back_transaction_is_never_sent(sent, system, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as discarded:
        with pytest.raises(RuntimeError), transaction.atomic():
            notify(system, channel="sms", address="13900000001", subject="s", body="undone")
            raise RuntimeError
    assert discarded == [] and not Notification.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        kept = _queue_many(system, 2)
    assert [pk for pk, _to, _text in sent] == [r.pk for r in kept]  # the undone one is skipped, no error


def test_a_failed_message_among_many_is_retried_and_the_others_are_sent(sent, system):
    rows = _queue_many(system, 3)
    recording.FAIL["only"] = {rows[1].pk}
    try:
        assert deliver_many([r.pk for r in rows]) == 2
    finally:
        recording.FAIL.pop("only")
    states = dict(Notification.objects.values_list("pk", "status"))
    assert states == {rows[0].pk: Status.SENT, rows[1].pk: Status.FAILED, rows[2].pk: Status.SENT}
    failed = Notification.objects.get(pk=rows[1].pk)
    assert failed.next_attempt_at > timezone.now() and failed.last_error


def test_messages_another_process_took_meanwhile_are_left_to_the_retry_job(sent, system):
    rows = _queue_many(system, 3)
    read = list(Notification.objects.filter(pk__in=[r.pk for r in rows]).order_by("pk"))
    Notification.objects.filter(pk=rows[0].pk).update(attempts=1)  # the other process claimed attempt 1
    assert _claim(read, timezone.now()) == []  # which ones it took is unknown here: none is sent from here
    assert sent == []
    ours = Notification.objects.filter(pk__in=[rows[1].pk, rows[2].pk])
    assert {(n.status, n.attempts) for n in ours} == {(Status.QUEUED, 1)}
    later = max(n.next_attempt_at for n in ours)
    assert not set(due_for_retry().values_list("pk", flat=True)) & {rows[1].pk, rows[2].pk}
    assert {rows[1].pk, rows[2].pk} <= set(due_for_retry(later).values_list("pk", flat=True))
