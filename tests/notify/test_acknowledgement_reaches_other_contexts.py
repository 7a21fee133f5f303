import pytest

from yiwang.core.actor import Actor
from yiwang.core.notify.ack import acknowledge
from yiwang.core.notify.services import notify
from yiwang.core.notify.signals import notification_acknowledged, off_acknowledged, on_acknowledged


@pytest.fixture
def case_message(sent, system):
    return notify(system, channel="sms", address="13900001111", subject="s", body="b", about=("ops.case", 9), ack=True)


@pytest.mark.django_db
def test_signal_and_registry_hear_the_first_acknowledgement_only(case_message):
    heard_signal, heard_registry, heard_other = [], [], []

    def receiver(sender, notification, **kwargs):
        heard_signal.append(notification.pk)

    def case_handler(notification):
        heard_registry.append((notification.subject_type, notification.subject_id))

    def other_handler(notification):
        heard_other.append(notification.pk)

    notification_acknowledged.connect(receiver)
    on_acknowledged("ops.case", case_handler)
    on_acknowledged("services.application", other_handler)
    try:
        acknowledge(Actor.system(), case_message.ack_token)
        acknowledge(Actor.system(), case_message.ack_token)
    finally:
        notification_acknowledged.disconnect(receiver)
        off_acknowledged("ops.case", case_handler)
        off_acknowledged("services.application", other_handler)
    assert heard_signal == [case_message.pk]
    assert heard_registry == [("ops.case", "9")]
    assert heard_other == []


@pytest.mark.django_db
def test_a_failing_handler_does_not_undo_the_acknowledgement(case_message, caplog):
    calls = []

    def broken(notification):
        raise RuntimeError("bug in another context")

    def fine(notification):
        calls.append(notification.pk)

    on_acknowledged("ops.case", broken)
    on_acknowledged("*", fine)
    try:
        result = acknowledge(Actor.system(), case_message.ack_token)
    finally:
        off_acknowledged("ops.case", broken)
        off_acknowledged("*", fine)
    assert result.newly_acknowledged
    case_message.refresh_from_db()
    assert case_message.acknowledged_at is not None
    assert calls == [case_message.pk]
    assert "bug in another context" in caplog.text
