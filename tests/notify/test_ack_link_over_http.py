from datetime import timedelta

import pytest
from django.utils import timezone

from yiwang.core.audit.models import AuditEvent
from yiwang.core.notify.models import Notification, Status
from yiwang.core.notify.services import deliver, notify


@pytest.fixture
def message(sent, system):
    row = notify(
        system, channel="sms", address="13900001111", subject="Was your pothole fixed?", body="Case 12.", ack=True
    )
    deliver(row.pk)
    row.refresh_from_db()
    return row


def _acks(row):
    return AuditEvent.objects.filter(action="notify.notification.acknowledge", object_id=str(row.pk)).count()


@pytest.mark.django_db
def test_link_is_absolute_unguessable_and_in_the_sent_text(message, sent):
    assert message.ack_url.startswith("https://yiwang.example.gov.cn/notify/ack/")
    assert len(message.ack_token) >= 40
    assert message.ack_url in sent[0][2]


@pytest.mark.django_db
def test_get_shows_the_message_and_does_not_acknowledge(client, message):
    for _ in range(2):  # a link scanner prefetching twice
        response = client.get(message.ack_path)
        assert response.status_code == 200
        assert "Was your pothole fixed?" in response.content.decode()
        assert b"notify-confirm-form" in response.content
    assert client.head(message.ack_path).status_code == 200
    message.refresh_from_db()
    assert message.acknowledged_at is None and message.status == Status.SENT
    assert _acks(message) == 0


@pytest.mark.django_db
def test_post_acknowledges_once_and_a_second_click_says_already_confirmed(client, message):
    first = client.post(message.ack_path)
    assert first.status_code == 200
    message.refresh_from_db()
    assert message.status == Status.ACKNOWLEDGED
    at = message.acknowledged_at
    assert at is not None
    assert b"notify-confirm-form" not in first.content

    second = client.post(message.ack_path)
    assert second.status_code == 200
    message.refresh_from_db()
    assert message.acknowledged_at == at
    assert _acks(message) == 1
    local = timezone.localtime(at).strftime("%Y-%m-%d %H:%M")
    assert local in second.content.decode()
    # the page after acknowledgement (GET) also tells it is done
    assert local in client.get(message.ack_path).content.decode()


@pytest.mark.django_db
def test_second_click_wording_differs_from_the_first(client, message):
    client.cookies.load({"django_language": "en"})
    first = client.post(message.ack_path, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    second = client.post(message.ack_path, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Thank you: confirmed at" in first
    assert "Already confirmed at" in second


@pytest.mark.django_db
@pytest.mark.parametrize("method", ["get", "post"])
def test_unknown_token_is_a_clear_404(client, message, method):
    response = getattr(client, method)("/notify/ack/not-a-real-token/")
    assert response.status_code == 404
    assert "Was your pothole fixed?" not in response.content.decode()
    assert b'role="alert"' in response.content


@pytest.mark.django_db
@pytest.mark.parametrize("method", ["get", "post"])
def test_expired_token_is_a_404_and_changes_nothing(client, message, method):
    Notification.objects.filter(pk=message.pk).update(ack_expires_at=timezone.now() - timedelta(seconds=1))
    assert getattr(client, method)(message.ack_path).status_code == 404
    message.refresh_from_db()
    assert message.acknowledged_at is None


@pytest.mark.django_db
def test_post_requires_csrf_token_from_the_page(message):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    assert strict.post(message.ack_path).status_code == 403
    page = strict.get(message.ack_path)
    token = page.context["csrf_token"]
    assert strict.post(message.ack_path, {"csrfmiddlewaretoken": str(token)}).status_code == 200
    message.refresh_from_db()
    assert message.acknowledged_at is not None


@pytest.mark.django_db
def test_late_delivery_outcome_does_not_overwrite_the_acknowledgement(client, sent, system):
    row = notify(system, channel="sms", address="13900001111", subject="s", body="b", ack=True)
    client.post(row.ack_path)  # clicked before the delivery outcome was recorded (e.g. in-app view)
    deliver(row.pk)
    row.refresh_from_db()
    assert row.status == Status.ACKNOWLEDGED
