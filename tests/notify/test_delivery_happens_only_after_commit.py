import pytest
from django.db import transaction

from yiwang.core.audit.models import AuditEvent
from yiwang.core.notify.models import Notification, Status
from yiwang.core.notify.services import notify


@pytest.mark.django_db
def test_message_is_sent_only_when_the_callers_transaction_commits(sent, system, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        row = notify(system, channel="sms", address="13900001111", subject="Case 7", body="Your case was closed.")
    assert sent == []  # nothing leaves before commit
    assert Notification.objects.get(pk=row.pk).status == Status.QUEUED
    for cb in callbacks:
        cb()
    assert [(pk, to) for pk, to, _text in sent] == [(row.pk, "13900001111")]
    row.refresh_from_db()
    assert row.status == Status.SENT and row.attempts == 1 and row.sent_at is not None


@pytest.mark.django_db(transaction=True)
def test_rolled_back_transaction_sends_nothing_and_leaves_no_row(sent, system):
    class Boom(Exception):
        pass

    with pytest.raises(Boom):
        with transaction.atomic():
            notify(system, channel="sms", address="13900001111", subject="s", body="b")
            raise Boom
    assert sent == []
    assert not Notification.objects.exists()
    assert not AuditEvent.objects.filter(action="notify.notification.queue").exists()


@pytest.mark.django_db(transaction=True)
def test_committed_transaction_delivers_once(sent, system):
    with transaction.atomic():
        row = notify(system, channel="email", address="wang@example.com", subject="s", body="hello")
        assert sent == []
    assert [pk for pk, _to, _t in sent] == [row.pk]


@pytest.mark.django_db
def test_recipient_address_on_file_is_used_when_none_given(sent, system, resident, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        notify(system, channel="sms", recipient=resident, subject="s", body="b")
        notify(system, channel="email", recipient=resident, subject="s", body="b")
    assert [to for _pk, to, _t in sent] == ["13812345678", "li@example.com"]


@pytest.mark.django_db
def test_queue_audit_event_holds_masked_address_and_reference_only(sent, system, resident):
    row = notify(
        system,
        channel="sms",
        address="13812345678",
        subject="Visit 138",
        body="secret body text",
        about=("operations.case", 42),
    )
    event = AuditEvent.objects.get(action="notify.notification.queue", object_id=str(row.pk))
    text = str(event.summary)
    assert "13812345678" not in text
    assert "138****5678" in text
    assert "secret body text" not in text
    assert event.summary["after"]["about"] == "operations.case:42"
    assert (row.subject_type, row.subject_id) == ("operations.case", "42")


@pytest.mark.django_db
def test_about_accepts_a_model_instance(sent, system, resident):
    row = notify(system, channel="inapp", recipient=resident, subject="s", body="b", about=resident)
    assert (row.subject_type, row.subject_id) == ("core.user", str(resident.pk))


@pytest.mark.django_db
def test_task_delivery_mode_hands_the_message_to_the_tasks_backend(
    sent, system, settings, django_capture_on_commit_callbacks
):
    settings.NOTIFY = {**settings.NOTIFY, "DELIVERY": "task"}
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    from django_tasks import default_task_backend

    with django_capture_on_commit_callbacks(execute=True):
        row = notify(system, channel="sms", address="13900001111", subject="s", body="b")
    assert sent == []  # not delivered in this process
    queued = default_task_backend.results
    assert [r.args for r in queued] == [[row.pk]]

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    with django_capture_on_commit_callbacks(execute=True):
        row2 = notify(system, channel="sms", address="13900001111", subject="s", body="b")
    assert [pk for pk, _to, _t in sent] == [row2.pk]
